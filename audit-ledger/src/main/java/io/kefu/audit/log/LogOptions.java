package io.kefu.audit.log;

import io.kefu.audit.batch.BatchSealer;

/**
 * How an {@link OperationLog} is opened.
 *
 * @param logId the log's name on the ledger ({@code [A-Za-z0-9_.-]{1,64}}); fixed when the log is
 *     created, checked on every later open
 * @param segmentBytes roll to a new segment file once the current one reaches this size
 * @param fsync force every group to disk before acknowledging it; off only for benchmarks of the
 *     hashing itself
 * @param batches when to close Merkle batches
 */
public record LogOptions(
    String logId, long segmentBytes, boolean fsync, BatchSealer.Policy batches) {

  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  public static LogOptions defaults() {
    return new LogOptions("ops", DEFAULT_SEGMENT_BYTES, true, BatchSealer.Policy.DEFAULT);
  }

  public LogOptions withLogId(String id) {
    return new LogOptions(id, segmentBytes, fsync, batches);
  }

  public LogOptions withBatches(BatchSealer.Policy p) {
    return new LogOptions(logId, segmentBytes, fsync, p);
  }

  public LogOptions withSegmentBytes(long bytes) {
    return new LogOptions(logId, bytes, fsync, batches);
  }

  public LogOptions withFsync(boolean on) {
    return new LogOptions(logId, segmentBytes, on, batches);
  }
}
