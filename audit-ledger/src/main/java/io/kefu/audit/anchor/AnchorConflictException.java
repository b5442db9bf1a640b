package io.kefu.audit.anchor;

/**
 * The alarm case: the ledger already holds a <em>different</em> header under the same log and batch
 * id (or the previous batch on the ledger is not the one this header points back to). Never
 * retried; somebody has rewritten the log or the ledger.
 */
public final class AnchorConflictException extends LedgerException {
  private final Anchor existing;

  public AnchorConflictException(String message, Anchor existing) {
    super(message, false);
    this.existing = existing;
  }

  /** What the ledger holds, when it was readable. */
  public Anchor existing() {
    return existing;
  }
}
