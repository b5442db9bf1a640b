package io.kefu.audit.log;

import io.kefu.audit.batch.BatchSealer;
import io.kefu.audit.batch.BatchSigner;
import io.kefu.audit.batch.BatchStore;
import io.kefu.audit.batch.SignedBatchHeader;
import io.kefu.schemas.OperationLogRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The append-only operation log (layout in {@link LogFormat}). Appends from any number of threads
 * are queued to one writer thread, which assigns sequences and encodes, hashes and chains the
 * records of a whole group into a buffer. A second thread, the syncer, writes that buffer with one
 * write (direct I/O where the file system allows it: {@link SegmentWriter}) and one fsync, and only
 * then acknowledges every record of the group (group commit). A third one closes the Merkle batches
 * that are due from the leaves of durable records. The threads form a pipeline: while one group is
 * being forced to disk, the next one is encoded and the previous one's batch is sealed, so a caller
 * that keeps two groups in flight ({@link #appendAllAsync}) waits for the disk only when the disk
 * is slower than the hashing.
 *
 * <p>Opening a log recovers it: the last segment is re-checked frame by frame and a torn tail — a
 * partial or damaged write after the last good frame, no longer than what can be unsynced at a
 * crash — is cut and moved to {@code torn/}; anything else that is wrong is refused, because
 * cutting it would destroy evidence. Only one process may have a log open (a file lock).
 */
public final class OperationLog implements AutoCloseable {

  /** The writer forces data to disk at least this often, which bounds a torn tail. */
  static final int MAX_UNSYNCED_BYTES = 8 << 20;

  static final long TORN_TAIL_LIMIT =
      MAX_UNSYNCED_BYTES
          + LogFormat.MAX_RECORD_BYTES
          + LogFormat.FRAME_OVERHEAD
          + LogFormat.MAX_PADDING;

  private static final Object CLOSE_BATCHES = new Object();
  private static final Object STOP = new Object();

  /** One queued request: records to append, or a control message. */
  private static final class Pending {
    final Object what;
    final CompletableFuture<Object> done = new CompletableFuture<>();
    long firstSeq;
    boolean handedOff; // its last record is in a flush the syncer owns

    Pending(Object what) {
      this.what = what;
    }
  }

  /** Leaf hashes of durable records for the sealer thread, or a control message after them. */
  private record Sealing(byte[] leaves, int count, Pending control) {}

  /**
   * Frames ready for the disk, handed from the writer to the syncer: the frames, their leaf hashes
   * for the open batch, the appends whose last record is among them, and what to do afterwards (a
   * control message, or starting a new segment). Two of them circulate, so one is filled while the
   * other is written.
   */
  private static final class Flush {
    /**
     * Frames are encoded and hashed here, and moved to {@link #frames} a cache-sized piece at once.
     */
    static final int STAGING_BYTES = 64 << 10;

    final RecordEncoding.Sink staging = new RecordEncoding.Sink();

    /** The block size {@link #frames} is aligned to, for direct writes ({@link SegmentWriter}). */
    final int align;

    /**
     * The frames, in native memory, from {@link #prefix}: the segment write takes them from here.
     * (A heap buffer is first copied into a native one by the JDK, by then long out of the CPU
     * cache.) The first {@code prefix} bytes are left for the segment's last partial block, which a
     * direct write repeats.
     */
    ByteBuffer frames;

    int prefix;

    byte[] leaves = new byte[LogFormat.HASH * 1024];
    int count;
    long endSeq;
    final List<Pending> acks = new ArrayList<>();
    Pending control;
    byte[] rollChain; // when set: start a new segment after these frames, chained from this value

    Flush(int align) {
      this.align = align;
      this.frames = aligned(1 << 18, align);
    }

    private static ByteBuffer aligned(int capacity, int align) {
      return ByteBuffer.allocateDirect(capacity + align - 1).alignedSlice(align);
    }

    /** Starts filling the flush with frames that go at {@code segmentOffset} of the segment. */
    void begin(long segmentOffset) {
      prefix = (int) (segmentOffset % align);
      frames.position(prefix);
    }

    /** Bytes of frames in the flush. */
    int size() {
      return frames.position() - prefix + staging.len;
    }

    /** Moves the staged frames to {@link #frames}, keeping room for a direct write's padding. */
    void drain() {
      if (frames.remaining() < staging.len + align) {
        ByteBuffer bigger =
            aligned(
                Math.max(2 * frames.capacity(), frames.position() + staging.len + align), align);
        bigger.put(frames.flip());
        frames = bigger;
      }
      frames.put(staging.buf, 0, staging.len);
      staging.reset();
    }

    byte[] nextLeaf() {
      if ((count + 1) * LogFormat.HASH > leaves.length) {
        leaves = Arrays.copyOf(leaves, leaves.length * 2);
      }
      return leaves;
    }

    void clear() {
      staging.reset();
      frames.clear();
      prefix = 0;
      count = 0;
      acks.clear();
      control = null;
      rollChain = null;
    }
  }

  private final Path dir;
  private final LogOptions options;
  private final Recovery recovery;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final BatchSealer sealer;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final BlockingQueue<Flush> toSync = new ArrayBlockingQueue<>(2);
  private final BlockingQueue<Flush> free = new ArrayBlockingQueue<>(2);
  private final BlockingQueue<Sealing> toSeal = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final Thread syncer;
  private final Thread sealing;

  // The writer thread's state.
  private final LogFormat.Hasher hasher = new LogFormat.Hasher();

  /** chain_{i-1} ‖ leaf_i: the chain hash's input, kept contiguous to hash it in one update. */
  private final byte[] link = new byte[2 * LogFormat.HASH];

  private long nextSeq;

  /** Bytes of the current segment once every flush handed to the syncer is written. */
  private long plannedSegmentSize;

  /** The block size frames are aligned to for direct writes, or 1 (see {@link SegmentWriter}). */
  private final int align;

  // The syncer thread's state.
  private SegmentWriter segment;
  private volatile long fsyncs;

  private volatile long durable;
  private volatile boolean closing;
  private volatile Throwable failure;

  private OperationLog(
      Path dir,
      LogOptions options,
      FileChannel lockChannel,
      FileLock lock,
      Recovery recovery,
      BatchSealer sealer,
      SegmentWriter segment,
      byte[] chain) {
    this.dir = dir;
    this.options = options;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.recovery = recovery;
    this.sealer = sealer;
    this.segment = segment;
    this.plannedSegmentSize = segment.size();
    System.arraycopy(chain, 0, link, 0, LogFormat.HASH);
    this.nextSeq = recovery.nextSeq();
    this.durable = nextSeq;
    this.align = segment.alignment();
    free.add(new Flush(align));
    free.add(new Flush(align));
    this.writer = new Thread(this::encodeLoop, "oplog-writer " + dir.getFileName());
    this.syncer = new Thread(this::syncLoop, "oplog-syncer " + dir.getFileName());
    this.sealing = new Thread(this::sealLoop, "oplog-sealer " + dir.getFileName());
    writer.setDaemon(true);
    syncer.setDaemon(true);
    sealing.setDaemon(true);
    sealing.start();
    syncer.start();
    writer.start();
  }

  /** Opens (creating when needed) and recovers the log in {@code dir}. */
  public static OperationLog open(Path dir, LogOptions options) throws IOException {
    Files.createDirectories(dir);
    FileChannel lockChannel =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null; // held by this same process
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException(dir + ": the log is open in another process");
    }
    try {
      String logId = LogMeta.loadOrCreate(dir, options.logId());
      LogOptions opts = options.withLogId(logId);
      BatchStore store = new BatchStore(dir);
      SignedBatchHeader lastBatch = recoverBatches(dir, store);
      LogState state = recoverSegments(dir, lastBatch);
      long batchedUpTo = lastBatch == null ? 0 : lastBatch.header().lastSeq() + 1;
      if (batchedUpTo > state.nextSeq) {
        throw new IOException(
            String.format(
                "%s: batch %d covers records up to %d but the log ends at %d: the log was"
                    + " truncated; run `kefu audit verify`",
                dir, lastBatch.header().batchId(), batchedUpTo - 1, state.nextSeq));
      }
      Recovery recovery =
          new Recovery(
              state.nextSeq,
              batchedUpTo,
              state.tornSegment,
              state.tornOffset,
              state.tornBytes,
              state.tornReason,
              state.savedTail,
              state.paddingBytes);
      BatchSigner signer = BatchSigner.loadOrCreate(dir.resolve("keys"));
      BatchSealer sealer =
          new BatchSealer(logId, store, signer, opts.batches(), lastBatch, batchedUpTo);
      reloadOpenLeaves(dir, sealer, batchedUpTo, state.nextSeq);
      SegmentWriter out =
          SegmentWriter.open(
              state.segment, state.segmentSize, SegmentWriter.alignmentFor(state.segment));
      return new OperationLog(dir, opts, lockChannel, lock, recovery, sealer, out, state.chain);
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  public Path dir() {
    return dir;
  }

  public String logId() {
    return options.logId();
  }

  public Recovery recovery() {
    return recovery;
  }

  /** Records acknowledged so far (the next sequence). */
  public long size() {
    return durable;
  }

  /**
   * Appends one record and returns its sequence once it is on disk. The record's {@code sequence}
   * field is overwritten with its position in the log.
   */
  public long append(OperationLogRecord record) throws IOException {
    return (Long) await(submit(List.of(record)));
  }

  /**
   * Appends records in order as one group; returns the first one's sequence once all are durable.
   */
  public long appendAll(List<OperationLogRecord> records) throws IOException {
    if (records.isEmpty()) {
      return size();
    }
    return (Long) await(submit(List.copyOf(records)));
  }

  /**
   * Like {@link #appendAll} without waiting: the future completes with the first record's sequence
   * once all are durable. Keeping two groups in flight lets the next group be hashed while the
   * previous one is forced to disk. The records must not be changed until the future completes.
   */
  public CompletableFuture<Long> appendAllAsync(List<OperationLogRecord> records) {
    try {
      if (records.isEmpty()) {
        return CompletableFuture.completedFuture(size());
      }
      return submit(List.copyOf(records)).thenApply(o -> (Long) o);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** How many times segment data was forced to disk so far (one per group commit). */
  public long fsyncs() {
    return fsyncs;
  }

  /**
   * Whether segments are written with direct I/O ({@link SegmentWriter}): the file system takes it,
   * and it was not turned off with {@code -Dkefu.audit.directIo=false}.
   */
  public boolean writesDirect() {
    return align > 1;
  }

  /** Like {@link #append} without waiting: the future completes when the record is durable. */
  public CompletableFuture<Long> appendAsync(OperationLogRecord record) {
    try {
      return submit(List.of(record)).thenApply(o -> (Long) o);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Closes the open batch now (whatever its size) and returns the batches closed. */
  @SuppressWarnings("unchecked")
  public List<SignedBatchHeader> closeBatches() throws IOException {
    return (List<SignedBatchHeader>) await(enqueue(CLOSE_BATCHES));
  }

  private CompletableFuture<Object> submit(List<OperationLogRecord> records) throws IOException {
    for (OperationLogRecord r : records) {
      requireComplete(r);
    }
    return enqueue(records);
  }

  private CompletableFuture<Object> enqueue(Object what) throws IOException {
    if (failure != null) {
      throw new IOException("the log failed earlier and accepts no more records", failure);
    }
    if (closing || !writer.isAlive()) {
      throw new IOException("the log is closed");
    }
    Pending p = new Pending(what);
    queue.add(p);
    return p.done;
  }

  /**
   * Waits for a future of {@link #appendAllAsync} (or any of this log's futures) and returns its
   * value; a failure surfaces as the {@link IOException} the synchronous call would have thrown.
   */
  public static <T> T await(CompletableFuture<T> f) throws IOException {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** Required fields are checked before queueing, so one bad record never fails a group. */
  private static void requireComplete(OperationLogRecord r) {
    String missing =
        r.getTime() == null
            ? "time"
            : r.getActor() == null
                ? "actor"
                : r.getActorRole() == null
                    ? "actor_role"
                    : r.getAction() == null
                        ? "action"
                        : r.getResourceType() == null
                            ? "resource_type"
                            : r.getResourceId() == null
                                ? "resource_id"
                                : r.getOutcome() == null ? "outcome" : null;
    if (missing != null) {
      throw new IllegalArgumentException("operation-log record: " + missing + " is required");
    }
    if (r.getAttributes() != null) {
      r.getAttributes()
          .forEach(
              (k, v) -> {
                if (k == null || v == null) {
                  throw new IllegalArgumentException(
                      "operation-log record: attributes may not hold null keys or values");
                }
              });
    }
  }

  // ------------------------------------------------------------------ the writer thread

  private void encodeLoop() {
    List<Pending> group = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        failure = e;
        return;
      }
      queue.drainTo(group, 4095);
      stop = encodeGroup(group);
      group.clear();
    }
    Pending p;
    while ((p = queue.poll()) != null) {
      p.done.completeExceptionally(new IOException("the log is closed"));
    }
  }

  /**
   * Encodes a group of requests into flushes and hands them to the syncer, in order. Returns true
   * once STOP has been handed over.
   */
  @SuppressWarnings("unchecked")
  private boolean encodeGroup(List<Pending> group) {
    Flush f = null;
    try {
      for (Pending p : group) {
        if (f == null) {
          f = nextFlush();
        }
        if (p.what == STOP || p.what == CLOSE_BATCHES) {
          // Handled after everything before it is durable and before anything after it is sealed.
          f.control = p;
          handOff(f);
          f = null;
          if (p.what == STOP) {
            return true;
          }
        } else if (failure != null) {
          p.done.completeExceptionally(
              new IOException("the log failed and accepts no more records", failure));
        } else {
          p.firstSeq = nextSeq;
          for (OperationLogRecord r : (List<OperationLogRecord>) p.what) {
            if (plannedSegmentSize + f.size() >= options.segmentBytes()) {
              f.rollChain = Arrays.copyOf(link, LogFormat.HASH);
              handOff(f);
              f = nextFlush();
            }
            frame(r, f);
            if (f.size() >= MAX_UNSYNCED_BYTES) {
              handOff(f);
              f = nextFlush();
            }
          }
          f.acks.add(p);
        }
      }
      if (f != null && !f.acks.isEmpty()) {
        handOff(f);
        f = null;
      }
      return false;
    } catch (Throwable t) {
      // The chain has moved past what reaches the disk: the log accepts nothing more.
      failure = t;
      for (Pending p : group) {
        if (!p.handedOff && p.what != STOP) {
          p.done.completeExceptionally(t);
        }
      }
      return stopAfterFailure(group);
    } finally {
      if (f != null) {
        f.clear();
        free.add(f);
      }
    }
  }

  /** After a failure in the writer, still passes a STOP of the group on so that close() ends. */
  private boolean stopAfterFailure(List<Pending> group) {
    for (Pending p : group) {
      if (p.what == STOP && !p.handedOff) {
        Flush f = new Flush(1);
        f.control = p;
        p.handedOff = true;
        try {
          toSync.put(f); // the syncer fails it (the log has failed) and stops
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return true;
      }
    }
    return false;
  }

  /** A free flush, started where the frames handed off so far end. */
  private Flush nextFlush() throws InterruptedException {
    Flush f = free.take();
    f.begin(plannedSegmentSize);
    return f;
  }

  private void handOff(Flush f) throws InterruptedException {
    f.drain();
    f.endSeq = nextSeq;
    for (Pending p : f.acks) {
      p.handedOff = true;
    }
    if (f.control != null) {
      f.control.handedOff = true;
    }
    plannedSegmentSize =
        f.rollChain != null ? LogFormat.HEADER_BYTES : plannedSegmentSize + f.size();
    toSync.put(f);
  }

  /** Encodes one record as a frame into the flush and advances the chain. */
  private void frame(OperationLogRecord r, Flush f) {
    RecordEncoding.Sink sink = f.staging;
    r.setSequence(nextSeq);
    int start = sink.len;
    sink.ensure(4);
    sink.len += 4;
    RecordEncoding.encode(r, sink);
    int len = sink.len - start - 4;
    if (len > LogFormat.MAX_RECORD_BYTES) {
      sink.len = start;
      throw new IllegalArgumentException(
          "operation-log record " + nextSeq + " is " + len + " bytes, more than 1 MiB");
    }
    // The byte before the record (the length's last byte, written just after) is briefly the leaf
    // prefix 0x00, so the leaf hash reads one contiguous input.
    final int h = LogFormat.HASH;
    sink.buf[start + 3] = 0;
    hasher.leafAndChain(sink.buf, start + 3, len, link);
    LogFormat.putU32(sink.buf, start, len);
    System.arraycopy(link, h, f.nextLeaf(), f.count * h, h);
    sink.ensure(h);
    System.arraycopy(link, 0, sink.buf, sink.len, h);
    sink.len += h;
    if (sink.len >= Flush.STAGING_BYTES) {
      f.drain();
    }
    f.count++;
    nextSeq++;
  }

  // ------------------------------------------------------------------ the syncer thread

  private void syncLoop() {
    boolean stop = false;
    while (!stop) {
      Flush f;
      try {
        f = toSync.take();
      } catch (InterruptedException e) {
        failure = e;
        return;
      }
      try {
        sync(f);
      } catch (Throwable t) {
        failure = t;
        fail(f);
      }
      if (f.control != null) {
        toSeal.add(new Sealing(null, 0, f.control)); // in order, after the leaves before it
        stop = f.control.what == STOP;
      }
      f.clear();
      free.offer(f); // refused only for the extra flush that carried STOP after a failure
    }
  }

  /** Writes and forces one flush, acknowledges it, and passes its leaves on to the sealer. */
  private void sync(Flush f) throws IOException {
    if (failure != null) {
      fail(f);
      return;
    }
    if (f.size() > 0) {
      segment.write(f.frames, f.prefix);
      if (options.fsync()) {
        segment.force();
        fsyncs++;
      }
    }
    durable = f.endSeq;
    if (f.rollChain != null) {
      roll(f.endSeq, f.rollChain);
    }
    for (Pending p : f.acks) {
      p.done.complete(p.firstSeq);
    }
    if (f.count > 0) {
      toSeal.add(new Sealing(Arrays.copyOf(f.leaves, f.count * LogFormat.HASH), f.count, null));
    }
  }

  private void fail(Flush f) {
    IOException e = new IOException("the log failed and accepts no more records", failure);
    for (Pending p : f.acks) {
      p.done.completeExceptionally(e);
    }
  }

  // ------------------------------------------------------------------ the sealer thread

  /**
   * Closes the batches that are due, from the leaves of durable records, so that neither the Merkle
   * trees and signatures nor the fsync of the batch file hold up the next group's fsync.
   */
  private void sealLoop() {
    while (true) {
      Sealing s = null;
      try {
        long wait = sealer.millisUntilDue(System.currentTimeMillis());
        s = toSeal.poll(wait < 0 ? 1000 : Math.max(1, wait), TimeUnit.MILLISECONDS);
        long now = System.currentTimeMillis();
        if (s != null && s.leaves != null) {
          sealer.addAll(s.leaves, 0, s.count, now);
        }
        if (failure == null) {
          sealer.closeDue(now);
        }
        if (s != null && s.control != null) {
          if (s.control.what == STOP) {
            s.control.done.complete(null);
            return;
          }
          if (failure != null) {
            throw new IOException("the log failed and accepts no more records", failure);
          }
          s.control.done.complete(sealer.closeAll(now));
        }
      } catch (InterruptedException e) {
        failure = e;
        return;
      } catch (Throwable t) {
        if (failure == null) {
          failure = t;
        }
        if (s != null && s.control != null) {
          s.control.done.completeExceptionally(t);
        }
      }
    }
  }

  private void roll(long firstSeq, byte[] chainIn) throws IOException {
    segment.force();
    segment.close();
    Path file = createSegment(dir, firstSeq, chainIn);
    segment = SegmentWriter.open(file, LogFormat.HEADER_BYTES, align);
  }

  @Override
  public void close() throws IOException {
    if (writer.isAlive()) {
      closing = true;
      queue.add(new Pending(STOP));
      try {
        writer.join();
        syncer.join();
        sealing.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      segment.close();
    } finally {
      lock.release();
      lockChannel.close();
    }
    if (failure != null) {
      throw new IOException("the log failed", failure);
    }
  }

  // ------------------------------------------------------------------ recovery

  /** Where the writable end of the log is after recovery. */
  private record LogState(
      Path segment,
      long segmentSize,
      long nextSeq,
      byte[] chain,
      Path tornSegment,
      long tornOffset,
      long tornBytes,
      String tornReason,
      Path savedTail,
      long paddingBytes) {}

  /** Writes a new segment's header atomically (temp file, fsync, rename, fsync directory). */
  static Path createSegment(Path dir, long firstSeq, byte[] chainIn) throws IOException {
    byte[] header = new byte[LogFormat.HEADER_BYTES];
    System.arraycopy(LogFormat.MAGIC, 0, header, 0, LogFormat.MAGIC.length);
    LogFormat.putU64(header, LogFormat.MAGIC.length, firstSeq);
    System.arraycopy(chainIn, 0, header, LogFormat.MAGIC.length + 8, LogFormat.HASH);
    Path file = dir.resolve(LogFormat.segmentName(firstSeq));
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(header);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(dir);
    return file;
  }

  static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot fsync a directory; the rename is still atomic.
    }
  }

  private static SignedBatchHeader recoverBatches(Path dir, BatchStore store) throws IOException {
    BatchStore.Contents c = store.read();
    if (c.bad() != null) {
      boolean tornLastLine = c.bad().reason().startsWith("last line has no newline");
      if (!tornLastLine) {
        throw new IOException(
            store.file()
                + " line "
                + c.bad().line()
                + ": "
                + c.bad().reason()
                + "; run `kefu audit verify`");
      }
      // An unfinished append of a batch header: the batch is closed again from the records.
      byte[] all = Files.readAllBytes(store.file());
      int keep = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          keep = i + 1;
        }
      }
      saveTail(dir, store.file(), keep, all.length - keep);
      truncate(store.file(), keep);
    }
    List<SignedBatchHeader> b = c.batches();
    return b.isEmpty() ? null : b.get(b.size() - 1);
  }

  private static LogState recoverSegments(Path dir, SignedBatchHeader lastBatch)
      throws IOException {
    try (var s = Files.list(dir)) {
      for (Path tmp : s.filter(p -> p.toString().endsWith(".seg.tmp")).toList()) {
        Files.delete(tmp); // a segment whose creation never finished holds no records
      }
    }
    List<Path> files = Segment.files(dir);
    if (files.isEmpty()) {
      Path first = createSegment(dir, 0, LogFormat.GENESIS);
      return new LogState(
          first, LogFormat.HEADER_BYTES, 0, LogFormat.GENESIS.clone(), null, 0, 0, null, null, 0);
    }
    Path last = files.get(files.size() - 1);
    Segment seg = Segment.read(last);
    if (!seg.headerValid || seg.firstSeq != LogFormat.segmentFirstSeq(last)) {
      throw new IOException(last + ": segment header is damaged; run `kefu audit verify`");
    }
    LogFormat.Hasher h = new LogFormat.Hasher();
    byte[] chain = seg.chainIn.clone();
    byte[] leaf = new byte[LogFormat.HASH];
    byte[] computed = new byte[LogFormat.HASH];
    long expected = seg.firstSeq;
    int goodEnd = LogFormat.HEADER_BYTES;
    String reason = seg.brokenReason;
    for (Segment.Frame f : seg.frames) {
      h.leaf(seg.bytes, f.recordOffset(), f.recordLength(), leaf);
      h.chain(chain, leaf, computed, 0);
      if (f.seq() != expected) {
        reason = "record sequence " + f.seq() + " where " + expected + " was expected";
        break;
      }
      if (!Arrays.equals(
          computed,
          0,
          LogFormat.HASH,
          seg.bytes,
          f.chainOffset(),
          f.chainOffset() + LogFormat.HASH)) {
        reason = "chain hash of record " + f.seq() + " does not match";
        break;
      }
      System.arraycopy(computed, 0, chain, 0, LogFormat.HASH);
      expected++;
      goodEnd = f.end();
    }
    long torn = seg.length - goodEnd;
    if (torn == 0) {
      return new LogState(last, goodEnd, expected, chain, null, 0, 0, null, null, 0);
    }
    if (torn < LogFormat.MAX_PADDING && Segment.isZero(seg.bytes, goodEnd, seg.length)) {
      truncate(last, goodEnd); // the padding of the last direct write, not a torn write
      return new LogState(last, goodEnd, expected, chain, null, 0, 0, null, null, torn);
    }
    if (torn > TORN_TAIL_LIMIT) {
      throw new IOException(
          String.format(
              "%s: %d bytes after offset %d (%s) are more than a crash can leave unsynced; this is"
                  + " damage, not a torn write — nothing was cut; run `kefu audit verify`",
              last, torn, goodEnd, reason));
    }
    if (lastBatch != null && lastBatch.header().lastSeq() >= expected) {
      throw new IOException(
          String.format(
              "%s: record %d is damaged but batch %d already sealed it; nothing was cut; run"
                  + " `kefu audit verify`",
              last, expected, lastBatch.header().batchId()));
    }
    Path saved = saveTail(dir, last, goodEnd, torn);
    truncate(last, goodEnd);
    return new LogState(last, goodEnd, expected, chain, last, goodEnd, torn, reason, saved, 0);
  }

  /** Copies a cut tail to {@code torn/} first: recovery never throws bytes away. */
  private static Path saveTail(Path dir, Path file, long offset, long length) throws IOException {
    Path tornDir = dir.resolve(LogFormat.TORN_DIR);
    Files.createDirectories(tornDir);
    Path out =
        tornDir.resolve(
            file.getFileName() + "." + offset + "." + System.currentTimeMillis() + ".tail");
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        FileChannel o =
            FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long done = 0;
      while (done < length) {
        done += in.transferTo(offset + done, length - done, o);
      }
      o.force(true);
    }
    forceDirectory(tornDir);
    return out;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(true);
    }
  }

  /** Re-hashes the records after the last closed batch so the open batch continues. */
  private static void reloadOpenLeaves(Path dir, BatchSealer sealer, long from, long to)
      throws IOException {
    if (from >= to) {
      return;
    }
    LogFormat.Hasher h = new LogFormat.Hasher();
    byte[] leaf = new byte[LogFormat.HASH];
    long now = System.currentTimeMillis();
    for (Path file : Segment.files(dir)) {
      Segment seg = Segment.read(file);
      for (Segment.Frame f : seg.frames) {
        if (f.seq() >= from && f.seq() < to) {
          h.leaf(seg.bytes, f.recordOffset(), f.recordLength(), leaf);
          sealer.add(leaf, 0, now);
        }
      }
    }
    if (sealer.openFirstSeq() + sealer.openCount() != to) {
      throw new IOException(dir + ": records " + from + ".." + (to - 1) + " are not all readable");
    }
  }
}
