package io.kefu.audit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.infra.Blackhole;

/**
 * SandboxBench's workload timed by the thread's CPU time rather than the wall clock, for a machine
 * shared with other work: events per CPU-second of the ingest thread (JIT and GC threads excluded).
 * {@code java -cp ... io.kefu.audit.bench.SandboxCpuTime [SECONDS]} (bench/sandbox.sh).
 */
public final class SandboxCpuTime {
  private SandboxCpuTime() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 12;
    SandboxBench bench = new SandboxBench();
    bench.setUp();
    Blackhole bh =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is"
                + " dangerous.");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 6; round++) {
      long cpu0 = mx.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      long events = 0;
      while (mx.getCurrentThreadCpuTime() - cpu0 < seconds * 1e9 / 12) {
        for (int i = 0; i < 10_000; i++) {
          bench.pseudonymiseRedactEncrypt(bh);
        }
        events += 10_000;
      }
      double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
      double wall = (System.nanoTime() - wall0) / 1e9;
      long cpu1 = mx.getCurrentThreadCpuTime();
      long texts = 0;
      while (mx.getCurrentThreadCpuTime() - cpu1 < seconds * 1e9 / 12) {
        for (int i = 0; i < 10_000; i++) {
          bench.redactOnly(bh);
        }
        texts += 10_000;
      }
      double cpuText = (mx.getCurrentThreadCpuTime() - cpu1) / 1e9;
      System.out.printf(
          "round %d: pseudonymise + redact + encrypt %,.0f events per CPU-second (%,.0f per"
              + " wall-second); detector alone %,.0f events per CPU-second; %,d vault rows%n",
          round, events / cpu, events / wall, texts / cpuText, bench.vaultRows);
    }
  }
}
