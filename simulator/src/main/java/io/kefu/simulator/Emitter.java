package io.kefu.simulator;

import io.kefu.schemas.ConversationEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Delivers generated events in ingest order. Each event gets a delivery delay (most none, some
 * jitter, a few late and very late, per {@code disorder}); events wait in a buffer ordered by
 * ingest time and leave it once the simulation clock has passed them, which is safe because
 * everything generated later has an event time at or after the clock.
 *
 * <p>The buffer is a ring of one-second buckets (sorted when flushed) rather than a heap: inserts
 * are constant time, which matters at hundreds of thousands of events per second. Events due beyond
 * the ring's horizon wait in a heap until their second comes into range.
 */
final class Emitter {

  private record Pending(long ingest, long seq, ConversationEvent event)
      implements Comparable<Pending> {
    @Override
    public int compareTo(Pending o) {
      return ingest != o.ingest ? Long.compare(ingest, o.ingest) : Long.compare(seq, o.seq);
    }
  }

  private final SimulatorConfig.Disorder disorder;
  private final SimulationOutput out;
  private final ZoneId zone;
  private final long lateThresholdMillis;
  private static final int HORIZON_SECONDS = 5 * 86_400;

  @SuppressWarnings("unchecked")
  private final ArrayList<Pending>[] ring = new ArrayList[HORIZON_SECONDS];

  private final PriorityQueue<Pending> beyond = new PriorityQueue<>();
  private long flushedSecond = Long.MIN_VALUE; // every second before this one is written
  private long lastSecond = Long.MIN_VALUE;
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
    add(new Pending(t + delay, seq++, event));
  }

  private void add(Pending p) {
    long second = Math.floorDiv(p.ingest, 1000);
    if (flushedSecond == Long.MIN_VALUE) {
      // The clock starts at the first event's time, not its delivery: when that first event is
      // delivered late, the events generated after it are still due before it.
      flushedSecond = Math.floorDiv(p.event.getEventTime().toEpochMilli(), 1000);
    }
    if (second < flushedSecond) {
      throw new IllegalStateException("event " + p.event.getEventId() + " is due before the clock");
    }
    lastSecond = Math.max(lastSecond, second);
    if (second - flushedSecond >= HORIZON_SECONDS) {
      beyond.add(p);
      return;
    }
    int slot = (int) Math.floorMod(second, (long) HORIZON_SECONDS);
    ArrayList<Pending> bucket = ring[slot];
    if (bucket == null) {
      bucket = new ArrayList<>(4);
      ring[slot] = bucket;
    }
    bucket.add(p);
  }

  private static long seconds(double s) {
    return Math.round(s * 1000);
  }

  /** Writes every buffered event that was delivered before {@code clock}. */
  void flushBefore(long clock) throws IOException {
    flushSeconds(Math.floorDiv(clock, 1000));
  }

  void flushAll() throws IOException {
    while (!beyond.isEmpty() || flushedSecond <= lastSecond && flushedSecond != Long.MIN_VALUE) {
      flushSeconds(lastSecond + 1);
    }
  }

  /** Writes every bucket of a second before {@code endSecond}. */
  private void flushSeconds(long endSecond) throws IOException {
    if (flushedSecond == Long.MIN_VALUE) {
      return;
    }
    for (; flushedSecond < endSecond; flushedSecond++) {
      while (!beyond.isEmpty()
          && Math.floorDiv(beyond.peek().ingest, 1000) - flushedSecond < HORIZON_SECONDS) {
        Pending p = beyond.poll();
        ring[(int) Math.floorMod(Math.floorDiv(p.ingest, 1000), (long) HORIZON_SECONDS)].add(p);
      }
      ArrayList<Pending> bucket = ring[(int) Math.floorMod(flushedSecond, (long) HORIZON_SECONDS)];
      if (bucket == null || bucket.isEmpty()) {
        continue;
      }
      if (bucket.size() > 1) {
        Collections.sort(bucket);
      }
      for (Pending p : bucket) {
        write(p);
      }
      bucket.clear();
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
