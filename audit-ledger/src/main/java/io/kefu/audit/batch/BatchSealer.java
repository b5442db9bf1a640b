package io.kefu.audit.batch;

import io.kefu.audit.merkle.Merkle;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Closes batches of the operation log: collects the leaf hash of every durable record and, every
 * {@code maxRecords} records or when the oldest open record has waited {@code maxAge}, builds the
 * batch's RFC 9162 tree, signs the header (chained to the previous header) and appends it to the
 * {@link BatchStore}. Full batches hold exactly {@code maxRecords} records, so the same log always
 * cuts into the same batches whatever the arrival pattern; only the age rule closes short ones.
 */
public final class BatchSealer {

  /** When to close a batch. */
  public record Policy(int maxRecords, Duration maxAge) {
    public static final Policy DEFAULT = new Policy(10_000, Duration.ofMinutes(1));

    public Policy {
      if (maxRecords < 1 || maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("batch size must be ≥ 1 and the age positive");
      }
    }
  }

  private final String logId;
  private final BatchStore store;
  private final BatchSigner signer;
  private final Policy policy;

  private SignedBatchHeader last;
  private long openFirstSeq;
  private long openSince = -1;
  private byte[] leaves = new byte[Merkle.HASH_BYTES * 1024];
  private int open;

  /**
   * @param last the last closed batch, or null for a new log
   * @param nextSeq the first sequence not yet in a batch
   */
  public BatchSealer(
      String logId,
      BatchStore store,
      BatchSigner signer,
      Policy policy,
      SignedBatchHeader last,
      long nextSeq) {
    this.logId = logId;
    this.store = store;
    this.signer = signer;
    this.policy = policy;
    this.last = last;
    this.openFirstSeq = nextSeq;
  }

  public Policy policy() {
    return policy;
  }

  public SignedBatchHeader last() {
    return last;
  }

  /** The sequence of the first record that is not yet in a closed batch. */
  public long openFirstSeq() {
    return openFirstSeq;
  }

  public int openCount() {
    return open;
  }

  /** Adds the leaf hash of record {@code openFirstSeq + openCount()}. */
  public void add(byte[] leaf, int offset, long nowMillis) {
    addAll(leaf, offset, 1, nowMillis);
  }

  /**
   * Adds {@code count} leaf hashes packed in {@code packed} from {@code offset} (32 bytes each), in
   * sequence order.
   */
  public void addAll(byte[] packed, int offset, int count, long nowMillis) {
    if (count == 0) {
      return;
    }
    int need = (open + count) * Merkle.HASH_BYTES;
    if (need > leaves.length) {
      leaves = Arrays.copyOf(leaves, Math.max(need, leaves.length * 2));
    }
    System.arraycopy(packed, offset, leaves, open * Merkle.HASH_BYTES, count * Merkle.HASH_BYTES);
    if (open == 0) {
      openSince = nowMillis;
    }
    open += count;
  }

  /** Closes every full batch, and the open one when it is older than the policy allows. */
  public List<SignedBatchHeader> closeDue(long nowMillis) throws IOException {
    List<SignedBatchHeader> closed = new ArrayList<>();
    while (open >= policy.maxRecords()) {
      closed.add(close(policy.maxRecords(), nowMillis));
    }
    if (open > 0 && nowMillis - openSince >= policy.maxAge().toMillis()) {
      closed.add(close(open, nowMillis));
    }
    return closed;
  }

  /** Closes whatever is open (at most {@code maxRecords} per batch). */
  public List<SignedBatchHeader> closeAll(long nowMillis) throws IOException {
    List<SignedBatchHeader> closed = new ArrayList<>(closeDue(nowMillis));
    while (open > 0) {
      closed.add(close(Math.min(open, policy.maxRecords()), nowMillis));
    }
    return closed;
  }

  /** Milliseconds until the open batch becomes due by age, or -1 when nothing is open. */
  public long millisUntilDue(long nowMillis) {
    return open == 0 ? -1 : Math.max(0, openSince + policy.maxAge().toMillis() - nowMillis);
  }

  private SignedBatchHeader close(int count, long nowMillis) throws IOException {
    BatchHeader header =
        new BatchHeader(
            BatchHeader.VERSION,
            logId,
            last == null ? 0 : last.header().batchId() + 1,
            openFirstSeq,
            openFirstSeq + count - 1,
            count,
            Merkle.rootOfPacked(leaves, count),
            last == null ? BatchHeader.NO_PREVIOUS : last.headerHash(),
            nowMillis,
            signer.keyId());
    SignedBatchHeader signed = signer.signed(header);
    store.append(signed);
    last = signed;
    openFirstSeq += count;
    System.arraycopy(
        leaves, count * Merkle.HASH_BYTES, leaves, 0, (open - count) * Merkle.HASH_BYTES);
    open -= count;
    if (open > 0) {
      openSince = nowMillis;
    }
    return signed;
  }
}
