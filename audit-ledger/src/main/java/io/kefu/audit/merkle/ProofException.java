package io.kefu.audit.merkle;

/** A Merkle proof that does not verify; the message says why. */
public final class ProofException extends Exception {
  public ProofException(String message) {
    super(message);
  }
}
