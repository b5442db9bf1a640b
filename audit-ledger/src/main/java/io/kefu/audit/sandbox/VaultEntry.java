package io.kefu.audit.sandbox;

import java.io.Serializable;

/**
 * One row of the vault: an original value, encrypted, under the token an analyst quotes to ask for
 * it. A plain mutable class (not a record) so that Flink serialises it as a POJO.
 */
public final class VaultEntry implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What an analyst quotes to ask for a reveal ({@link SandboxCrypto#token}). */
  public String token;

  /** The customer's pseudonym; null when the event did not name the customer. */
  public String pseudonym;

  /** The conversation the value was seen in: links text findings to the customer. */
  public String conversationId;

  /** A {@link PiiType} name. */
  public String field;

  /** The event the value was first seen in (null for CRM imports). */
  public String eventId;

  public int keyId;
  public byte[] ciphertext;
  public long createdAt;

  public VaultEntry() {}

  public VaultEntry(
      String token,
      String pseudonym,
      String conversationId,
      PiiType field,
      String eventId,
      int keyId,
      byte[] ciphertext,
      long createdAt) {
    this.token = token;
    this.pseudonym = pseudonym;
    this.conversationId = conversationId;
    this.field = field.name();
    this.eventId = eventId;
    this.keyId = keyId;
    this.ciphertext = ciphertext;
    this.createdAt = createdAt;
  }

  public PiiType type() {
    return PiiType.valueOf(field);
  }

  @Override
  public String toString() {
    // never the ciphertext's bytes in logs
    return "VaultEntry["
        + token
        + " "
        + field
        + " of "
        + (pseudonym != null ? pseudonym : conversationId)
        + ", key "
        + keyId
        + "]";
  }
}
