package io.kefu.audit.anchor;

import io.kefu.audit.batch.SignedBatchHeader;
import java.util.List;
import java.util.Optional;

/**
 * Where batch headers are notarised. Two implementations: {@link EmbeddedLedger} (a local
 * hash-linked file, the demo default) and {@link FabricLedger} (the project's chaincode on a
 * Hyperledger Fabric channel). Both keep only headers — roots and counts, never customer data.
 *
 * <p>Rules every implementation keeps: anchoring is idempotent (the identical header again returns
 * the existing anchor); a different header under the same log and batch id throws {@link
 * AnchorConflictException}; batch {@code n > 0} is accepted only when batch {@code n - 1} is
 * anchored and its header hash is the new header's {@code prev_header_hash}.
 */
public interface Ledger extends AutoCloseable {

  /** Anchors one batch header and returns where it landed (or where it already was). */
  Anchor anchor(SignedBatchHeader batch) throws LedgerException;

  Optional<Anchor> get(String logId, long batchId) throws LedgerException;

  /** The highest anchored batch of a log. */
  Optional<Anchor> latest(String logId) throws LedgerException;

  /** Anchored batches with ids in {@code [fromBatch, toBatch]}, in order. */
  List<Anchor> list(String logId, long fromBatch, long toBatch) throws LedgerException;

  /** A short name for reports: {@code embedded:/path} or {@code fabric:channel/chaincode}. */
  String describe();

  @Override
  void close() throws LedgerException;
}
