package io.kefu.core.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * QaBench's workload timed by the thread's CPU time rather than the wall clock, for a machine
 * shared with other work: messages per CPU-second of the inspecting thread (JIT and GC threads
 * excluded). {@code java -cp ... io.kefu.core.bench.QaCpuTime [SECONDS]}.
 */
public final class QaCpuTime {
  private QaCpuTime() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    QaBench bench = new QaBench();
    bench.setUp();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int round = 0; round < 6; round++) {
      long cpu0 = mx.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      long messages = 0;
      while (mx.getCurrentThreadCpuTime() - cpu0 < seconds * 1e9 / 6) {
        for (int i = 0; i < 1000; i++) {
          sink += bench.inspectOnce();
          messages += QaBench.MESSAGES;
        }
      }
      double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
      double wall = (System.nanoTime() - wall0) / 1e9;
      System.out.printf(
          "round %d: %,.0f messages per CPU-second (%,.0f per wall-second)%n",
          round, messages / cpu, messages / wall);
    }
    System.out.println(sink == 42 ? "" : "done");
  }
}
