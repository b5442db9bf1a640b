package io.kefu.audit.anchor;

import io.kefu.audit.batch.SignedBatchHeader;

/**
 * A batch header as a ledger holds it, with where it landed: the ledger's transaction id and block
 * number (for the embedded ledger, the entry's hash and index) and the ledger's own time of
 * anchoring (the transaction timestamp on Fabric, never a client clock).
 */
public record Anchor(
    SignedBatchHeader batch,
    String ledger,
    String transactionId,
    long blockNumber,
    long anchoredAt) {}
