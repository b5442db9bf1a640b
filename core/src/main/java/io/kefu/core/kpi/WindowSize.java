package io.kefu.core.kpi;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The tumbling windows of KPIS.md. Minute, quarter-hour and hour windows follow the zone's offset
 * (so they align with local clock hours even in zones such as +05:30); day windows run from local
 * midnight to local midnight, 23 or 25 hours on a daylight-saving change.
 */
public enum WindowSize {
  MINUTE("1m", 60_000L),
  QUARTER("15m", 900_000L),
  HOUR("1h", 3_600_000L),
  DAY("1d", 86_400_000L);

  private final String label;
  private final long millis;

  WindowSize(String label, long millis) {
    this.label = label;
    this.millis = millis;
  }

  /** The label used in outputs: 1m, 15m, 1h, 1d. */
  public String label() {
    return label;
  }

  public static WindowSize parse(String label) {
    for (WindowSize w : values()) {
      if (w.label.equals(label)) {
        return w;
      }
    }
    throw new IllegalArgumentException("window must be one of 1m, 15m, 1h, 1d, not " + label);
  }

  /** Start of the window containing {@code time} (epoch ms). */
  public long start(long time, ZoneId zone) {
    if (this == DAY) {
      return Days.start(zone, time);
    }
    long offset = Offsets.at(zone, time);
    return Math.floorDiv(time + offset, millis) * millis - offset;
  }

  /**
   * A zone's UTC offset at a time, remembered between the zone's transitions: looking it up in the
   * zone rules for every fact and window size is a measurable share of the job.
   */
  static final class Offsets {
    private static final ThreadLocal<Offsets> LAST = new ThreadLocal<>();
    private final ZoneId zone;
    private final long from;
    private final long until;
    private final long offset;

    private Offsets(ZoneId zone, long from, long until, long offset) {
      this.zone = zone;
      this.from = from;
      this.until = until;
      this.offset = offset;
    }

    static long at(ZoneId zone, long time) {
      Offsets last = LAST.get();
      if (last != null && last.zone.equals(zone) && time >= last.from && time < last.until) {
        return last.offset;
      }
      java.time.zone.ZoneRules rules = zone.getRules();
      Instant t = Instant.ofEpochMilli(time);
      java.time.zone.ZoneOffsetTransition previous = rules.previousTransition(t.plusMillis(1));
      java.time.zone.ZoneOffsetTransition next = rules.nextTransition(t);
      long from = previous == null ? Long.MIN_VALUE : previous.toEpochSecond() * 1000;
      long until = next == null ? Long.MAX_VALUE : next.toEpochSecond() * 1000;
      Offsets o = new Offsets(zone, from, until, rules.getOffset(t).getTotalSeconds() * 1000L);
      LAST.set(o);
      return o.offset;
    }
  }

  /** The last local day looked up, remembered: facts come day after day, not at random. */
  static final class Days {
    private static final ThreadLocal<Days> LAST = new ThreadLocal<>();
    private final ZoneId zone;
    private final long start;
    private final long end;

    private Days(ZoneId zone, long start, long end) {
      this.zone = zone;
      this.start = start;
      this.end = end;
    }

    static long start(ZoneId zone, long time) {
      Days last = LAST.get();
      if (last != null && last.zone.equals(zone) && time >= last.start && time < last.end) {
        return last.start;
      }
      java.time.LocalDate day = Instant.ofEpochMilli(time).atZone(zone).toLocalDate();
      long start = day.atStartOfDay(zone).toInstant().toEpochMilli();
      long end = day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
      LAST.set(new Days(zone, start, end));
      return start;
    }
  }

  /** End (exclusive) of the window that starts at {@code start}. */
  public long end(long start, ZoneId zone) {
    if (this == DAY) {
      ZonedDateTime s = Instant.ofEpochMilli(start).atZone(zone);
      return s.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }
    return start + millis;
  }
}
