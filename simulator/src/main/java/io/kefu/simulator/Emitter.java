package io.kefu.simulator;

import io.kefu.schemas.ConversationEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Delivers generated events in ingest order. Each event gets a delivery delay (most none, some
 * jitter, a few late and very late, per {@code disorder}); events wait in a buffer ordered by
 * ingest time and leave it once the simulation clock has passed them, which is safe because
 * everything generated later has an event time at or after the clock.
 */
final class Emitter {

  private record Pending(long ingest, long seq, ConversationEvent event) {}

  private final SimulatorConfig.Disorder disorder;
  private final SimulationOutput out;
  private final ZoneId zone;
  private final long lateThresholdMillis;
  private final PriorityQueue<Pending> buffer =
      new PriorityQueue<>(
          (a, b) ->
              a.ingest != b.ingest ? Long.compare(a.ingest, b.ingest) : Long.compare(a.seq, b.seq));
  private long seq;
  private long written;
  private long delayed;
  private long veryLate;
  private LocalDate day;
  private long dayEnd = Long.MIN_VALUE;

  Emitter(SimulatorConfig.Disorder disorder, ZoneId zone, SimulationOutput out) {
    this.disorder = disorder;
    this.zone = zone;
    this.out = out;
    this.lateThresholdMillis = 600_000; // the streaming job's default allowed lateness
  }

  void emit(ConversationEvent event, SplittableRandom rnd) throws IOException {
    long t = event.getEventTime().toEpochMilli();
    double u = rnd.nextDouble();
    long delay = 0;
    if (u < disorder.veryLateShare) {
      delay = seconds(Rng.uniform(rnd, disorder.veryLateMinSeconds, disorder.veryLateMaxSeconds));
    } else if (u < disorder.veryLateShare + disorder.lateShare) {
      delay = seconds(Rng.uniform(rnd, disorder.lateMinSeconds, disorder.lateMaxSeconds));
    } else if (u < disorder.veryLateShare + disorder.lateShare + disorder.jitterShare) {
      delay = seconds(Rng.uniform(rnd, 0, disorder.jitterMaxSeconds));
    }
    if (delay > 0) {
      delayed++;
    }
    if (delay > lateThresholdMillis) {
      veryLate++;
      out.truth("late_events.jsonl", new GroundTruth.LateEvent(event.getEventId(), t, t + delay));
    }
    buffer.add(new Pending(t + delay, seq++, event));
  }

  private static long seconds(double s) {
    return Math.round(s * 1000);
  }

  /** Writes every buffered event that was delivered before {@code clock}. */
  void flushBefore(long clock) throws IOException {
    while (!buffer.isEmpty() && buffer.peek().ingest < clock) {
      write(buffer.poll());
    }
  }

  void flushAll() throws IOException {
    while (!buffer.isEmpty()) {
      write(buffer.poll());
    }
  }

  private void write(Pending p) throws IOException {
    if (p.ingest >= dayEnd) {
      day = Instant.ofEpochMilli(p.ingest).atZone(zone).toLocalDate();
      dayEnd = day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }
    out.event(p.event, day);
    written++;
  }

  long written() {
    return written;
  }

  long delayed() {
    return delayed;
  }

  long veryLate() {
    return veryLate;
  }
}
