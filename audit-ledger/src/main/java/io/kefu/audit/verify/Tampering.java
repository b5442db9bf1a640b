package io.kefu.audit.verify;

/** What kind of change the verifier found. */
public enum Tampering {
  /** A record's bytes (or its stored chain value) differ from what was chained or sealed. */
  MODIFIED,
  /** Records are missing: the sequence jumps. */
  DELETED,
  /** A record that does not belong is in the log (a duplicate sequence or a forged frame). */
  INSERTED,
  /** Records are present but out of order. */
  REORDERED,
  /** The log, or its list of batches, ends before what was sealed or anchored. */
  TRUNCATED,
  /** The ledger's anchor disagrees with the log, or the ledger itself is damaged. */
  FORGED_ANCHOR,
  /**
   * A batch header was re-signed after it was anchored, over the same records and root: the records
   * still match the ledger, but someone with the signing key rewrote the batch file.
   */
  RESEALED,
  /** A batch header's signature does not verify with the pinned public key. */
  BAD_SIGNATURE,
  /** Bytes that cannot be read as the format at all (broken framing, unreadable lines). */
  DAMAGED
}
