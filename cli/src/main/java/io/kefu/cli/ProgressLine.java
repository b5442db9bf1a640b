package io.kefu.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A progress line for long runs on standard error: rewritten in place on a terminal, printed at
 * most every few seconds otherwise (so logs stay short).
 */
final class ProgressLine {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final PrintWriter err;
  private final boolean terminal = System.console() != null;
  private final long started = System.nanoTime();
  private final ZoneId zone;
  private long lastPrint;
  private boolean printed;

  ProgressLine(PrintWriter err, ZoneId zone) {
    this.err = err;
    this.zone = zone;
  }

  void simulated(long simulatedMillis, long events) {
    long now = System.nanoTime();
    long interval = terminal ? 250_000_000L : 5_000_000_000L;
    if (now - lastPrint < interval) {
      return;
    }
    lastPrint = now;
    double seconds = Math.max(1e-9, (now - started) / 1e9);
    String line =
        String.format(
            "simulated to %s · %,d events · %,.0f events/s",
            TIME.format(Instant.ofEpochMilli(simulatedMillis).atZone(zone)),
            events,
            events / seconds);
    if (terminal) {
      err.print("\r" + line);
    } else {
      err.println(line);
    }
    err.flush();
    printed = true;
  }

  /** For counting work: "{@code n} {@code what} · rate/s". */
  void counted(String what, long n) {
    long now = System.nanoTime();
    if (now - lastPrint < (terminal ? 250_000_000L : 5_000_000_000L)) {
      return;
    }
    lastPrint = now;
    double seconds = Math.max(1e-9, (now - started) / 1e9);
    String line = String.format("%,d %s · %,.0f/s", n, what, n / seconds);
    if (terminal) {
      err.print("\r" + line);
    } else {
      err.println(line);
    }
    err.flush();
    printed = true;
  }

  void done() {
    if (printed && terminal) {
      err.println();
    }
  }
}
