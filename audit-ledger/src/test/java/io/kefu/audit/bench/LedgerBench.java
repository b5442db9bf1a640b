package io.kefu.audit.bench;

import io.kefu.audit.anchor.Anchoring;
import io.kefu.audit.anchor.EmbeddedLedger;
import io.kefu.audit.batch.BatchSealer;
import io.kefu.audit.batch.BatchSigner;
import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.OperationLog;
import io.kefu.audit.log.RecordEncoding;
import io.kefu.audit.log.SampleRecords;
import io.kefu.audit.proof.InclusionProof;
import io.kefu.audit.verify.LogVerifier;
import io.kefu.audit.verify.VerificationReport;
import io.kefu.schemas.OperationLogRecord;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The audit ledger's figures (bench/ledger.sh): append + hash throughput with and without fsync,
 * verify throughput, and inclusion-proof size and time, on a log of N records (default 10 M).
 * Records are the tests' sample records padded to about 256 bytes in canonical form; a pool of them
 * is built up front so the figure is the log's work, not building Avro objects.
 */
public final class LedgerBench {
  public static void main(String[] args) throws Exception {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    Path dir =
        Path.of(args.length > 1 ? args[1] : Files.createTempDirectory("ledger-bench").toString());
    String mode = args.length > 2 ? args[2] : "all";
    Path log = dir.resolve("log");
    Path ledgerDir = dir.resolve("ledger");
    if (!mode.equals("verify")) {
      append(n, dir, log, ledgerDir);
    }
    if (!mode.equals("append")) {
      verifyAndProve(n, log, ledgerDir);
    }
  }

  private static void append(long n, Path dir, Path log, Path ledgerDir) throws Exception {
    int chunk = 10_000;
    List<OperationLogRecord> pool = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < chunk; i++) {
      OperationLogRecord r = SampleRecords.record(i);
      // Pad to about 256 bytes, the size the figures are stated for.
      int size = RecordEncoding.encode(r).length;
      if (size < 250) {
        r.getAttributes().put("detail", "x".repeat(250 - size));
      }
      pool.add(r);
      bytes += RecordEncoding.encode(r).length;
    }
    System.out.printf("records: %,d, mean canonical size %d bytes%n", n, bytes / chunk);

    // 1. append without fsync: encoding, leaf hash, chain hash, Merkle batches, signing.
    Path nosync = dir.resolve("nosync");
    double rate =
        append(nosync, Math.min(n, 2_000_000), pool, LogOptions.defaults().withFsync(false));
    System.out.printf("append+hash, no fsync: %,.0f records/s%n", rate);
    // 2. append with group commit (fsync every group) — the durable figure.
    rate = append(log, n, pool, LogOptions.defaults());
    System.out.printf("append+hash, fsync per group: %,.0f records/s%n", rate);

    try (EmbeddedLedger ledger = EmbeddedLedger.open(ledgerDir)) {
      long t = System.nanoTime();
      Anchoring.Result a = Anchoring.anchorAll(log, ledger, null);
      System.out.printf("anchor %d batches: %.1f s%n", a.anchored(), (System.nanoTime() - t) / 1e9);
    }
  }

  private static void verifyAndProve(long n, Path log, Path ledgerDir) throws Exception {
    System.out.printf("verify on %d cores%n", Runtime.getRuntime().availableProcessors());
    BatchSigner.Verifier key =
        BatchSigner.Verifier.load(log.resolve("keys/" + BatchSigner.PUBLIC_FILE));
    for (int run = 0; run < 2; run++) {
      try (EmbeddedLedger ledger = EmbeddedLedger.open(ledgerDir)) {
        long t = System.nanoTime();
        VerificationReport r = LogVerifier.verify(log, ledger, key, null);
        double s = (System.nanoTime() - t) / 1e9;
        System.out.printf(
            "verify (run %d): %s, %,.0f records/s (%.1f s)%n",
            run + 1, r.intact() ? "intact" : "NOT INTACT", r.records() / s, s);
      }
    }
    SplittableRandom rnd = new SplittableRandom(1);
    long totalNanos = 0;
    long checkNanos = 0;
    int size = 0;
    int proofs = 20;
    for (int i = 0; i < proofs; i++) {
      long seq = rnd.nextLong(n);
      long t = System.nanoTime();
      InclusionProof p = InclusionProof.build(log, seq);
      totalNanos += System.nanoTime() - t;
      byte[] json = p.toJson();
      size = Math.max(size, json.length);
      t = System.nanoTime();
      p.checkOffline(key);
      checkNanos += System.nanoTime() - t;
    }
    System.out.printf(
        "proof: %.1f ms to build, %.2f ms to check offline, at most %,d bytes of JSON%n",
        totalNanos / 1e6 / proofs, checkNanos / 1e6 / proofs, size);
  }

  /**
   * CPU time of the process and of the log's threads since construction, per record: with the JVM
   * pinned to one core, the process figure is what one record costs that core (kernel time of the
   * writes and fsyncs included); "other" is GC, JIT compilation and the JVM's own threads, split
   * (on Linux, from each thread's {@code /proc} scheduler statistics) into the JIT compiler threads
   * and the VM thread, where the serial collector a one-core JVM picks runs its collections.
   */
  private static final class CpuTimes {
    private static final String[] THREADS = {
      "oplog-writer", "oplog-syncer", "oplog-sealer", "main"
    };
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final long process = os.getProcessCpuTime();
    private final long[] start = byThread();
    private final Map<String, Long> nativeStart = nativeThreads();

    private long[] byThread() {
      long[] cpu = new long[THREADS.length];
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        for (int i = 0; info != null && i < THREADS.length; i++) {
          if (info.getThreadName().startsWith(THREADS[i])) {
            cpu[i] += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
          }
        }
      }
      return cpu;
    }

    /** Nanoseconds on a CPU of every thread of this process by thread id ("tid name"). */
    private static Map<String, Long> nativeThreads() {
      Map<String, Long> cpu = new HashMap<>();
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
        for (Path task : tasks) {
          try {
            String name = Files.readString(task.resolve("comm")).strip();
            String ns = Files.readString(task.resolve("schedstat")).split(" ")[0];
            cpu.put(task.getFileName() + " " + name, Long.parseLong(ns));
          } catch (IOException | RuntimeException e) {
            // the thread ended meanwhile, or no scheduler statistics
          }
        }
      } catch (IOException | RuntimeException e) {
        return Map.of(); // not Linux
      }
      return cpu;
    }

    String perRecord(long n) {
      long[] now = byThread();
      double total = (os.getProcessCpuTime() - process) / (double) n;
      StringBuilder s = new StringBuilder(String.format("CPU per record: %,.0f ns (", total));
      double rest = total;
      for (int i = 0; i < THREADS.length; i++) {
        double ns = (now[i] - start[i]) / (double) n;
        rest -= ns;
        s.append(String.format("%s %,.0f, ", i == 3 ? "caller" : THREADS[i].substring(6), ns));
      }
      s.append(String.format("other %,.0f", rest));
      Map<String, Long> nativeNow = nativeThreads();
      if (!nativeNow.isEmpty()) {
        long jit = 0;
        long vm = 0;
        for (Map.Entry<String, Long> e : nativeNow.entrySet()) {
          long d = e.getValue() - nativeStart.getOrDefault(e.getKey(), 0L);
          String name = e.getKey().substring(e.getKey().indexOf(' ') + 1);
          if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            jit += d;
          } else if (name.startsWith("VM Thread") || name.startsWith("GC Thread")) {
            vm += d;
          }
        }
        s.append(String.format(": JIT %,.0f, VM/GC %,.0f", jit / (double) n, vm / (double) n));
      }
      return s.append(')').toString();
    }
  }

  /**
   * Appends {@code n} records in groups of 10,000, keeping two groups in flight: the next group is
   * hashed while the previous one is forced to disk. Each group is still acknowledged only once it
   * is durable, and each is forced on its own (the figure printed with the rate counts the fsyncs).
   */
  private static double append(Path dir, long n, List<OperationLogRecord> pool, LogOptions opts)
      throws Exception {
    opts = opts.withBatches(new BatchSealer.Policy(10_000, Duration.ofHours(1)));
    long t;
    try (OperationLog log = OperationLog.open(dir, opts)) {
      CpuTimes cpu = new CpuTimes();
      t = System.nanoTime();
      ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
      for (long done = 0; done < n; done += pool.size()) {
        if (inFlight.size() == 2) {
          inFlight.remove().join();
        }
        inFlight.add(log.appendAllAsync(pool.subList(0, (int) Math.min(pool.size(), n - done))));
      }
      for (CompletableFuture<Long> f : inFlight) {
        f.join();
      }
      log.closeBatches();
      System.out.printf(
          "  (%,d groups forced with fsync; segments written %s)%n",
          log.fsyncs(), log.writesDirect() ? "with direct I/O" : "through the page cache");
      System.out.println("  " + cpu.perRecord(n));
    }
    return n / ((System.nanoTime() - t) / 1e9);
  }
}
