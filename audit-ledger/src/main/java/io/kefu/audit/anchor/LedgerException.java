package io.kefu.audit.anchor;

/**
 * A ledger could not be reached or refused a request. {@link #retryable()} says whether trying
 * again with the same batch may succeed (unavailable, deadline, MVCC conflict).
 */
public class LedgerException extends Exception {
  private final boolean retryable;

  public LedgerException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public LedgerException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public boolean retryable() {
    return retryable;
  }
}
