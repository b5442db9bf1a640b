package io.kefu.audit.sandbox;

/**
 * A reveal, export or erasure was refused (policy, unknown or erased token, a ciphertext that does
 * not authenticate). The refusal is in the operation log already, at {@link #sequence()}.
 */
public final class RevealDeniedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final long sequence;

  public RevealDeniedException(String message, long sequence) {
    super(message);
    this.sequence = sequence;
  }

  /** The DENIED record's sequence in the operation log. */
  public long sequence() {
    return sequence;
  }
}
