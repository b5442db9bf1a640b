package io.kefu.audit.verify;

import io.kefu.audit.anchor.Anchor;
import io.kefu.audit.anchor.EmbeddedLedger;
import io.kefu.audit.anchor.Ledger;
import io.kefu.audit.anchor.LedgerException;
import io.kefu.audit.batch.BatchHeader;
import io.kefu.audit.batch.BatchSigner;
import io.kefu.audit.batch.BatchStore;
import io.kefu.audit.batch.SignedBatchHeader;
import io.kefu.audit.log.LogFormat;
import io.kefu.audit.log.LogMeta;
import io.kefu.audit.log.Segment;
import io.kefu.audit.merkle.Merkle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Re-checks a whole log from its bytes: every record's hash chain, gap-free sequences, segment
 * joins, every batch's signature, header chain and Merkle root, and every batch against its anchor
 * on the ledger. Nothing is trusted from earlier runs.
 *
 * <p>How precisely a problem is located depends on how it was made. An edit that leaves the stored
 * chain values alone is pinned to the exact record and classified (modified, deleted, inserted,
 * reordered) from the sequences around it. An edit that also recomputes the chain afterwards (the
 * chain has no key) is still caught by the sealed Merkle root of the batch — the signature and the
 * anchor keep that honest — and is reported at the first record of that batch.
 */
public final class LogVerifier {

  static final int MAX_PROBLEMS = 100;
  private static final int LOOK_AHEAD = 64;

  private final Path dir;
  private final Ledger ledger;
  private final BatchSigner.Verifier key;
  private final String keySource;
  private final LongConsumer progress;
  private final List<Problem> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private LogVerifier(
      Path dir, Ledger ledger, BatchSigner.Verifier key, String keySource, LongConsumer progress) {
    this.dir = dir;
    this.ledger = ledger;
    this.key = key;
    this.keySource = keySource;
    this.progress = progress;
  }

  /**
   * Verifies the log in {@code dir}.
   *
   * @param ledger where the batches should be anchored; null skips the anchor checks (a warning)
   * @param key the pinned public key; null uses {@code keys/batch-signing.pub.json} in the log
   *     directory (a warning: an auditor should pin the key out of band)
   */
  public static VerificationReport verify(
      Path dir, Ledger ledger, BatchSigner.Verifier key, LongConsumer progress)
      throws IOException, LedgerException {
    String keySource = "pinned";
    if (key == null) {
      Path pub = dir.resolve("keys").resolve(BatchSigner.PUBLIC_FILE);
      key = BatchSigner.Verifier.load(pub);
      keySource = pub.toString();
    }
    return new LogVerifier(dir, ledger, key, keySource, progress == null ? n -> {} : progress)
        .run();
  }

  private VerificationReport run() throws IOException, LedgerException {
    long started = System.nanoTime();
    String logId = LogMeta.read(dir);
    if (!"pinned".equals(keySource)) {
      warnings.add(
          "public key read from the log directory (" + keySource + "); pin it with --public-key");
    }
    List<SignedBatchHeader> batches = checkBatches();
    long records = checkRecords(batches);
    long sealed = batches.isEmpty() ? 0 : batches.get(batches.size() - 1).header().lastSeq() + 1;
    if (sealed > records) {
      problems.add(
          new Problem(
              Tampering.TRUNCATED,
              records,
              "log end",
              String.format(
                  "the log ends at record %d but batches seal records up to %d",
                  records, sealed - 1)));
    } else if (records > sealed) {
      warnings.add(
          String.format(
              "records %d..%d are not sealed in a batch yet (run `kefu audit anchor`)",
              sealed, records - 1));
    }
    long[] anchored = ledger == null ? new long[] {0, 0} : checkAnchors(logId, batches);
    if (ledger == null) {
      warnings.add("no ledger given: batches were not checked against their anchors");
    }
    return new VerificationReport(
        logId,
        ledger == null ? null : ledger.describe(),
        keySource,
        records,
        batches.size(),
        anchored[0],
        anchored[1],
        problems,
        warnings,
        (System.nanoTime() - started) / 1_000_000);
  }

  // ------------------------------------------------------------------ batches.jsonl

  /** The header chain of the batch file; returns the batches that can be used for the records. */
  private List<SignedBatchHeader> checkBatches() throws IOException {
    BatchStore store = new BatchStore(dir);
    BatchStore.Contents c = store.read();
    String file = store.file().getFileName().toString();
    List<SignedBatchHeader> ok = new ArrayList<>();
    byte[] prevHash = BatchHeader.NO_PREVIOUS;
    long nextFirst = 0;
    for (int i = 0; i < c.batches().size(); i++) {
      SignedBatchHeader s = c.batches().get(i);
      BatchHeader h = s.header();
      String where = file + " line " + (i + 1);
      if (h.batchId() != i || h.firstSeq() != nextFirst) {
        Tampering kind =
            h.batchId() > i || h.firstSeq() > nextFirst ? Tampering.DELETED : Tampering.INSERTED;
        problems.add(
            new Problem(
                kind,
                Math.min(nextFirst, h.firstSeq()),
                where,
                String.format(
                    "batch %d (records %d..%d) found where batch %d starting at record %d belongs",
                    h.batchId(), h.firstSeq(), h.lastSeq(), i, nextFirst)));
      } else if (!Arrays.equals(h.prevHeaderHash(), prevHash)) {
        problems.add(
            new Problem(
                Tampering.MODIFIED,
                h.firstSeq(),
                where,
                "batch " + i + " does not point to the header of batch " + (i - 1)));
      }
      if (!key.valid(s)) {
        problems.add(
            new Problem(
                Tampering.BAD_SIGNATURE,
                h.firstSeq(),
                where,
                "the signature of batch "
                    + h.batchId()
                    + " does not verify with key "
                    + key.keyId()));
      }
      ok.add(s);
      prevHash = s.headerHash();
      nextFirst = h.lastSeq() + 1;
    }
    if (c.bad() != null) {
      problems.add(
          new Problem(
              Tampering.DAMAGED,
              nextFirst,
              file + " line " + c.bad().line(),
              "batch header cannot be read: " + c.bad().reason()));
    }
    return ok;
  }

  // ------------------------------------------------------------------ segments and records

  /** One segment read and hashed by a worker: each frame's leaf, and whether its chain holds. */
  private record Scan(Segment seg, byte[] leaves, boolean[] chainOk) {}

  /** Reads and hashes one segment; within a segment the chain starts from its own chain_in. */
  private static Scan scan(Path file, byte[] buffer) throws IOException {
    Segment seg = Segment.read(file, buffer);
    LogFormat.Hasher h = new LogFormat.Hasher();
    int n = seg.frames.size();
    byte[] leaves = new byte[n * LogFormat.HASH];
    boolean[] ok = new boolean[n];
    byte[] leaf = new byte[LogFormat.HASH];
    byte[] computed = new byte[LogFormat.HASH];
    byte[] chain = seg.headerValid ? seg.chainIn.clone() : new byte[LogFormat.HASH];
    for (int i = 0; i < n; i++) {
      Segment.Frame f = seg.frames.get(i);
      h.leaf(seg.bytes, f.recordOffset(), f.recordLength(), leaf);
      System.arraycopy(leaf, 0, leaves, i * LogFormat.HASH, LogFormat.HASH);
      h.chain(chain, leaf, computed, 0);
      ok[i] = Arrays.equals(computed, 0, LogFormat.HASH, seg.bytes, f.chainOffset(), f.end());
      // Continue from the stored value, so one bad record does not condemn the rest.
      System.arraycopy(seg.bytes, f.chainOffset(), chain, 0, LogFormat.HASH);
    }
    return new Scan(seg, leaves, ok);
  }

  /**
   * Record-level checks; returns the number of records (frames) read. Segments are read and hashed
   * on every core, a few ahead of the one being checked; the checks that need the order (sequences,
   * joins, batch roots) run here, in order.
   */
  private long checkRecords(List<SignedBatchHeader> batches) throws IOException {
    List<Path> files = Segment.files(dir);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "verify-hash");
              t.setDaemon(true);
              return t;
            });
    RootChecker roots = new RootChecker(batches, pool);
    Deque<Future<Scan>> ahead = new ArrayDeque<>();
    // Segment buffers go round: one per segment in flight, handed back once checked (allocating
    // 64 MiB per segment kept the collector busy).
    java.util.concurrent.ConcurrentLinkedQueue<byte[]> buffers =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    int next = 0;
    byte[] chain = LogFormat.GENESIS.clone();
    long expected = 0;
    long position = 0;
    boolean resync = false;
    try {
      while (next < files.size() || !ahead.isEmpty()) {
        while (next < files.size() && ahead.size() < threads + 1) {
          Path f = files.get(next++);
          ahead.add(pool.submit(() -> scan(f, buffers.poll())));
        }
        Scan scan = await(ahead.poll());
        Segment seg = scan.seg();
        Path file = seg.file;
        String name = file.getFileName().toString();
        long nameSeq = LogFormat.segmentFirstSeq(file);
        if (!seg.headerValid || seg.firstSeq != nameSeq) {
          problems.add(
              new Problem(
                  Tampering.DAMAGED,
                  expected,
                  name + "@0",
                  seg.headerValid
                      ? "segment header says it starts at " + seg.firstSeq
                      : seg.brokenReason));
          resync = true;
          if (!seg.headerValid) {
            continue;
          }
        }
        if (!resync) {
          if (seg.firstSeq > expected) {
            problems.add(
                new Problem(
                    Tampering.DELETED,
                    expected,
                    name + "@0",
                    String.format(
                        "records %d..%d are missing before this segment",
                        expected, seg.firstSeq - 1)));
            resync = true;
          } else if (seg.firstSeq < expected) {
            problems.add(
                new Problem(
                    Tampering.INSERTED,
                    seg.firstSeq,
                    name + "@0",
                    "segment starts at record " + seg.firstSeq + " which came before"));
            resync = true;
          } else if (!Arrays.equals(seg.chainIn, chain)) {
            problems.add(
                new Problem(
                    Tampering.MODIFIED,
                    seg.firstSeq,
                    name + "@16",
                    "segment's incoming chain value does not match the end of the previous"
                        + " segment"));
          }
        }
        if (resync) {
          expected = seg.firstSeq;
          resync = false;
        }
        List<Segment.Frame> frames = seg.frames;
        for (int i = 0; i < frames.size(); i++) {
          Segment.Frame f = frames.get(i);
          boolean chainOk = scan.chainOk()[i];
          if (f.seq() != expected || !chainOk) {
            problems.add(classify(name, frames, i, expected, chainOk));
          }
          roots.add(position, scan.leaves(), i * LogFormat.HASH);
          position++;
          expected = Math.max(expected, f.seq()) + (f.seq() >= expected ? 1 : 0);
          if ((position & 0xFFFFF) == 0) {
            progress.accept(position);
          }
        }
        chain =
            frames.isEmpty()
                ? seg.chainIn.clone()
                : Arrays.copyOfRange(
                    seg.bytes,
                    frames.get(frames.size() - 1).chainOffset(),
                    frames.get(frames.size() - 1).end());
        if (seg.brokenAt >= 0) {
          problems.add(
              new Problem(
                  Tampering.DAMAGED, expected, name + "@" + seg.brokenAt, seg.brokenReason));
          resync = true;
        }
        buffers.add(seg.bytes); // nothing reads this segment's bytes any more
      }
      roots.finish();
    } finally {
      pool.shutdownNow();
    }
    progress.accept(position);
    return position;
  }

  private static Scan await(Future<Scan> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }

  private Problem classify(
      String name, List<Segment.Frame> frames, int i, long expected, boolean chainOk) {
    Segment.Frame f = frames.get(i);
    String where = name + "@" + f.start();
    long s = f.seq();
    if (s == expected) {
      if (i + 1 < frames.size() && frames.get(i + 1).seq() == s) {
        return new Problem(
            Tampering.INSERTED,
            s,
            where,
            "a record claiming sequence " + s + " was inserted before the real one");
      }
      return new Problem(
          Tampering.MODIFIED, s, where, "record " + s + " does not match its chain hash");
    }
    if (s > expected) {
      for (int j = i + 1; j < Math.min(frames.size(), i + 1 + LOOK_AHEAD); j++) {
        long later = frames.get(j).seq();
        if (later >= expected && later < s) {
          return new Problem(
              Tampering.REORDERED,
              expected,
              where,
              "record "
                  + s
                  + " stands where record "
                  + expected
                  + " belongs; "
                  + later
                  + " comes later");
        }
      }
      return new Problem(
          Tampering.DELETED,
          expected,
          where,
          String.format("records %d..%d are missing", expected, s - 1));
    }
    return new Problem(
        Tampering.INSERTED,
        expected,
        where,
        "record claiming sequence "
            + s
            + " appears where record "
            + expected
            + " belongs"
            + (chainOk ? "" : " (and breaks the chain)"));
  }

  /** Collects leaves by position and checks each batch's sealed root when its last leaf arrives. */
  /**
   * Packs each batch's leaves as they come and computes its Merkle root on the worker pool, so the
   * in-order loop never waits for a tree; {@link #finish} compares the roots, in batch order.
   */
  private static final long MAX_BATCH_LEAVES = 50_000_000;

  private static final long MAX_PENDING_BYTES = 64L << 20;

  private final class RootChecker {
    private final List<SignedBatchHeader> batches;
    private final ExecutorService pool;
    private final Deque<PendingRoot> pending = new ArrayDeque<>();
    private long pendingBytes;
    private byte[] packed;
    private int batch;
    private int count;

    private record PendingRoot(BatchHeader header, int count, Future<byte[]> root, int bytes) {}

    RootChecker(List<SignedBatchHeader> batches, ExecutorService pool) {
      this.batches = batches;
      this.pool = pool;
      this.packed = buffer(0);
    }

    /** Room for the leaves of batch {@code b} (a forged count cannot make it huge). */
    private byte[] buffer(int b) {
      long n = b < batches.size() ? batches.get(b).header().count() : 0;
      return new byte[(int) Math.max(1, Math.min(n, MAX_BATCH_LEAVES)) * Merkle.HASH_BYTES];
    }

    void add(long position, byte[] leaves, int offset) throws IOException {
      if (batch >= batches.size()) {
        return;
      }
      BatchHeader h = batches.get(batch).header();
      if (count * Merkle.HASH_BYTES < packed.length) {
        System.arraycopy(leaves, offset, packed, count * Merkle.HASH_BYTES, Merkle.HASH_BYTES);
      }
      count++;
      if (position == h.lastSeq()) {
        byte[] full = packed;
        int n = (int) Math.min(count, full.length / Merkle.HASH_BYTES);
        pending.add(
            new PendingRoot(
                h, count, pool.submit(() -> Merkle.rootOfPacked(full, n)), full.length));
        pendingBytes += full.length;
        batch++;
        count = 0;
        packed = buffer(batch);
        while (pendingBytes > MAX_PENDING_BYTES && pending.size() > 1) {
          check(pending.poll()); // bounds the memory held by trees not yet compared
        }
      }
    }

    /** Compares every root still pending; record-level problems are all known by now. */
    void finish() throws IOException {
      while (!pending.isEmpty()) {
        check(pending.poll());
      }
    }

    private void check(PendingRoot p) throws IOException {
      pendingBytes -= p.bytes();
      BatchHeader h = p.header();
      byte[] root;
      try {
        root = p.root().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while verifying", e);
      } catch (ExecutionException e) {
        throw new IOException("computing the Merkle root of batch " + h.batchId(), e.getCause());
      }
      if (p.count() != h.count() || !Arrays.equals(root, h.root())) {
        boolean explained =
            problems.stream()
                .anyMatch(q -> q.firstBadSeq() >= h.firstSeq() && q.firstBadSeq() <= h.lastSeq());
        if (!explained) {
          problems.add(
              new Problem(
                  Tampering.MODIFIED,
                  h.firstSeq(),
                  "batch " + h.batchId(),
                  String.format(
                      "records %d..%d do not hash to the sealed Merkle root (a record was changed"
                          + " and the chain recomputed)",
                      h.firstSeq(), h.lastSeq())));
        }
      }
    }
  }

  // ------------------------------------------------------------------ anchors

  /** Returns {anchored batches, anchored records}. */
  private long[] checkAnchors(String logId, List<SignedBatchHeader> batches)
      throws LedgerException {
    Map<Long, Anchor> onLedger = new HashMap<>();
    Anchor latest = ledger.latest(logId).orElse(null);
    long top = latest == null ? -1 : latest.batch().header().batchId();
    for (long from = 0; from <= top; from += 1000) {
      for (Anchor a : ledger.list(logId, from, Math.min(top, from + 999))) {
        onLedger.put(a.batch().header().batchId(), a);
      }
    }
    String damage = null;
    if (ledger instanceof EmbeddedLedger e && e.damage() != null) {
      damage = "ledger file line " + e.damage().line() + ": " + e.damage().reason();
    }
    long anchoredBatches = 0;
    long anchoredRecords = 0;
    long firstUnanchored = -1;
    for (SignedBatchHeader s : batches) {
      BatchHeader h = s.header();
      Anchor a = onLedger.get(h.batchId());
      String where = "anchor of batch " + h.batchId();
      if (a == null) {
        if (damage != null) {
          problems.add(
              new Problem(
                  Tampering.FORGED_ANCHOR,
                  h.firstSeq(),
                  where,
                  "the ledger is damaged ("
                      + damage
                      + "); batch "
                      + h.batchId()
                      + " cannot be confirmed"));
          damage = null; // report the damage once, at the first batch it hides
        } else if (h.batchId() <= top) {
          problems.add(
              new Problem(
                  Tampering.FORGED_ANCHOR,
                  h.firstSeq(),
                  where,
                  "the ledger has batches after " + h.batchId() + " but not this one"));
        } else if (firstUnanchored < 0) {
          firstUnanchored = h.batchId();
        }
        continue;
      }
      if (Arrays.equals(a.batch().headerHash(), s.headerHash())) {
        anchoredBatches++;
        anchoredRecords += h.count();
        continue;
      }
      BatchHeader anchored = a.batch().header();
      String tx = where + " (" + a.ledger() + ", tx " + a.transactionId() + ")";
      if (!key.valid(a.batch())) {
        // Nobody without the signing key can make a header that verifies: the anchor is forged.
        problems.add(
            new Problem(
                Tampering.FORGED_ANCHOR,
                Math.min(h.firstSeq(), anchored.firstSeq()),
                tx,
                "the anchored header of batch "
                    + h.batchId()
                    + " is not signed by key "
                    + key.keyId()));
      } else if (Arrays.equals(anchored.root(), h.root())
          && anchored.firstSeq() == h.firstSeq()
          && anchored.count() == h.count()) {
        problems.add(
            new Problem(
                Tampering.RESEALED,
                h.firstSeq(),
                tx,
                "batch "
                    + h.batchId()
                    + " was re-signed after anchoring; its records still match"
                    + " the anchored root"));
      } else {
        // Both headers are validly signed: the log was re-sealed after it was anchored.
        problems.add(
            new Problem(
                Tampering.MODIFIED,
                Math.min(h.firstSeq(), anchored.firstSeq()),
                tx,
                String.format(
                    "batch %d was anchored over records %d..%d with root %s; the log has been"
                        + " re-sealed since",
                    h.batchId(),
                    anchored.firstSeq(),
                    anchored.lastSeq(),
                    java.util.HexFormat.of().formatHex(anchored.root()))));
      }
    }
    if (damage != null) {
      problems.add(
          new Problem(
              Tampering.FORGED_ANCHOR,
              batches.isEmpty() ? 0 : batches.get(batches.size() - 1).header().lastSeq() + 1,
              ledger.describe(),
              damage));
    }
    if (top >= batches.size()) {
      Anchor missing = onLedger.get((long) batches.size());
      long first = missing == null ? 0 : missing.batch().header().firstSeq();
      problems.add(
          new Problem(
              Tampering.TRUNCATED,
              first,
              LogFormat.BATCHES_FILE,
              String.format(
                  "the ledger holds batches up to %d but the log only %d; sealed records from %d"
                      + " on are gone",
                  top, batches.size() - 1, first)));
    }
    if (firstUnanchored >= 0) {
      BatchHeader h = batches.get((int) firstUnanchored).header();
      warnings.add(
          String.format(
              "batches %d..%d (records %d..) are not anchored yet (run `kefu audit anchor`)",
              firstUnanchored, batches.size() - 1, h.firstSeq()));
    }
    return new long[] {anchoredBatches, anchoredRecords};
  }
}
