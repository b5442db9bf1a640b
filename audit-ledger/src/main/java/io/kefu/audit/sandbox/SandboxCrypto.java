package io.kefu.audit.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Pseudonyms, vault tokens and vault encryption over {@link SandboxKeys}.
 *
 * <ul>
 *   <li>Pseudonym of a customer id: {@code "p" + hex8(prf key id) + "-" + base32(PRF(0x01 ‖
 *       utf8(id)))[16 bytes]} (RFC 4648 alphabet, lower case, no padding), e.g. {@code
 *       p1a2b3c4d-mzxw6ytboi…}. Stable for a PRF key, keyed: nobody without the key can compute or
 *       invert it.
 *   <li>Vault token: {@code "v" + base32(PRF(0x02 ‖ lp(field) ‖ lp(owner) ‖ lp(value)))[10 bytes]},
 *       owner {@code "conversation:" + conversation id}: the same value in the same conversation
 *       always gets the same token, so re-processing writes the same vault row.
 *   <li>Vault ciphertext: Tink AEAD (AES256_GCM) with associated data {@code lp("vault") ‖
 *       lp(field) ‖ lp(token)} — table, column and record key, where {@code lp(s)} is the length of
 *       the UTF-8 bytes of s as a 4-byte big-endian integer followed by the bytes. A ciphertext
 *       moved to another row or field no longer decrypts.
 * </ul>
 *
 * Thread-safe (Tink primitives are).
 */
public final class SandboxCrypto {
  public static final String TABLE = "vault";
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private final SandboxKeys keys;
  private final String prefix;

  public SandboxCrypto(SandboxKeys keys) {
    this.keys = keys;
    this.prefix = "p" + String.format("%08x", keys.prfId()) + "-";
  }

  public SandboxKeys keys() {
    return keys;
  }

  /** The pseudonym of a customer id. */
  public String pseudonym(String customerId) {
    byte[] id = customerId.getBytes(StandardCharsets.UTF_8);
    byte[] in = new byte[id.length + 1];
    in[0] = 1;
    System.arraycopy(id, 0, in, 1, id.length);
    return prefix + base32(compute(in, 16));
  }

  /** The vault token of one value of one owner (the ingest uses {@code "conversation:" + id}). */
  public String token(PiiType field, String owner, String value) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    b.write(2);
    lp(b, field.name());
    lp(b, owner);
    lp(b, value);
    return "v" + base32(compute(b.toByteArray(), 10));
  }

  /** Encrypts a value for its vault row; {@link #aeadKeyId()} names the key used. */
  public byte[] encrypt(PiiType field, String token, String value) {
    try {
      return keys.aead()
          .encrypt(value.getBytes(StandardCharsets.UTF_8), associatedData(field, token));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("vault encryption failed", e);
    }
  }

  /**
   * Decrypts a vault row's ciphertext; throws when it was altered or belongs to another row or
   * field (Tink's AEAD tag does not verify).
   */
  public String decrypt(PiiType field, String token, byte[] ciphertext)
      throws GeneralSecurityException {
    return new String(
        keys.aead().decrypt(ciphertext, associatedData(field, token)), StandardCharsets.UTF_8);
  }

  /** The key new ciphertexts are made with. */
  public int aeadKeyId() {
    return keys.aeadPrimaryId();
  }

  /** {@code lp("vault") ‖ lp(field) ‖ lp(token)}. */
  public static byte[] associatedData(PiiType field, String token) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(48);
    lp(b, TABLE);
    lp(b, field.name());
    lp(b, token);
    return b.toByteArray();
  }

  /** Whether {@code s} has the form of a pseudonym of this scheme (any key). */
  public static boolean isPseudonym(String s) {
    return s != null && s.length() == 36 && s.charAt(0) == 'p' && s.charAt(9) == '-';
  }

  private byte[] compute(byte[] in, int n) {
    try {
      return keys.prf().compute(in, n);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PRF failed", e);
    }
  }

  private static void lp(ByteArrayOutputStream b, String s) {
    byte[] x = s.getBytes(StandardCharsets.UTF_8);
    b.write(x.length >>> 24);
    b.write(x.length >>> 16);
    b.write(x.length >>> 8);
    b.write(x.length);
    b.write(x, 0, x.length);
  }

  static String base32(byte[] bytes) {
    StringBuilder sb = new StringBuilder((bytes.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte x : bytes) {
      buffer = (buffer << 8) | (x & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }
}
