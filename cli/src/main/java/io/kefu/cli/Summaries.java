package io.kefu.cli;

import io.kefu.schemas.Channel;
import io.kefu.schemas.EventType;
import io.kefu.simulator.Simulator;
import java.io.PrintWriter;
import java.util.Map;

/** Plain-text tables for the terminal. */
final class Summaries {
  private Summaries() {}

  static void print(Simulator.Summary s, PrintWriter out) {
    out.printf(
        "%,d conversation events in %.1f s (%,.0f events/s; %.1f CPU-s of the simulation thread,"
            + " %,.0f events/s per core); %.1f s in all with %,d customers, orders, browsing and"
            + " %,d operation-log records%n",
        s.events(),
        s.eventSeconds(),
        s.eventsPerSecond(),
        s.eventCpuSeconds(),
        s.eventsPerCpuSecond(),
        s.seconds(),
        s.customers(),
        s.operations());
    out.printf(
        "%,d events delivered out of order or late, %,d later than 10 minutes%n",
        s.delayedEvents(), s.veryLateEvents());
    out.println();
    out.println("events by type");
    for (EventType t : EventType.values()) {
      out.printf("  %-22s %,12d%n", t, s.eventsByType().getOrDefault(t, 0L));
    }
    out.println();
    out.println("conversations by channel");
    long total = s.conversationsByChannel().values().stream().mapToLong(Long::longValue).sum();
    for (Channel c : Channel.values()) {
      long n = s.conversationsByChannel().getOrDefault(c, 0L);
      out.printf("  %-22s %,12d  %5.1f %%%n", c, n, total == 0 ? 0 : 100.0 * n / total);
    }
    out.flush();
  }

  static <K> long sum(Map<K, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
