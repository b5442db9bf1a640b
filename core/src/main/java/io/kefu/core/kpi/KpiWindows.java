package io.kefu.core.kpi;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The open windows of one dimension value, for every window size at once: each fact updates one
 * accumulator per size (incremental aggregation), and windows are emitted provisionally while open,
 * finally when the watermark passes their end, again when a late fact updates them within the
 * allowed lateness, and forgotten after that (KPIS.md, attribution and freshness).
 *
 * <p>Window {@code [start, end)} is complete when the watermark reaches {@code end - 1} (no event
 * at or before the watermark is still to come) and closed for good at {@code end - 1 + lateness}.
 */
public final class KpiWindows {

  /** One window's totals and what has been emitted of them. */
  static final class Slot {
    final long end;
    final KpiAccumulator accumulator;
    boolean dirty;
    boolean finalEmitted;

    Slot(long end, KpiAccumulator accumulator) {
      this.end = end;
      this.accumulator = accumulator;
    }
  }

  /** A window's totals to turn into result rows. */
  public record Emission(
      WindowSize size, long start, long end, KpiAccumulator accumulator, boolean isFinal) {}

  private final Map<WindowSize, TreeMap<Long, Slot>> slots = new EnumMap<>(WindowSize.class);

  /**
   * Adds a fact to its window of every size in {@code sizes}, unless that window is closed for
   * good; returns the sizes for which it came too late (for the late output).
   */
  public List<WindowSize> add(Fact f, Set<WindowSize> sizes, KpiSettings s, long watermark) {
    return add(f, sizes, s, watermark, end -> {});
  }

  /**
   * As {@link #add(Fact, Set, KpiSettings, long)}; {@code opened} hears the end of every new
   * window.
   */
  public List<WindowSize> add(
      Fact f, Set<WindowSize> sizes, KpiSettings s, long watermark, LongConsumer opened) {
    List<WindowSize> tooLate = List.of();
    long lateness = s.allowedLateness().toMillis();
    for (WindowSize size : sizes) {
      long start = size.start(f.time, s.zone());
      TreeMap<Long, Slot> bySize = slots.computeIfAbsent(size, k -> new TreeMap<>());
      Slot slot = bySize.get(start);
      if (slot == null) {
        long end = size.end(start, s.zone());
        if (watermark >= end - 1 + lateness) {
          if (tooLate.isEmpty()) {
            tooLate = new ArrayList<>(4);
          }
          tooLate.add(size);
          continue;
        }
        slot = new Slot(end, new KpiAccumulator());
        bySize.put(start, slot);
        opened.accept(end);
      }
      slot.accumulator.add(f, s);
      slot.dirty = true;
    }
    return tooLate;
  }

  /**
   * Windows complete at {@code watermark} that were not emitted as final yet, or that late facts
   * changed since: emitted as final.
   */
  public List<Emission> finals(long watermark) {
    List<Emission> out = new ArrayList<>();
    for (Map.Entry<WindowSize, TreeMap<Long, Slot>> bySize : slots.entrySet()) {
      for (Map.Entry<Long, Slot> e : bySize.getValue().entrySet()) {
        Slot slot = e.getValue();
        if (slot.end - 1 > watermark) {
          break; // ordered by start: later windows are still open
        }
        if (slot.dirty || !slot.finalEmitted) {
          out.add(new Emission(bySize.getKey(), e.getKey(), slot.end, slot.accumulator, true));
          slot.dirty = false;
          slot.finalEmitted = true;
        }
      }
    }
    return out;
  }

  /**
   * Windows closed for good at {@code watermark} that were never emitted as final, or changed
   * since: for outputs that want each window once, complete (bounded runs into files).
   */
  public List<Emission> closedForGood(long watermark, KpiSettings s) {
    long lateness = s.allowedLateness().toMillis();
    List<Emission> out = new ArrayList<>();
    for (Map.Entry<WindowSize, TreeMap<Long, Slot>> bySize : slots.entrySet()) {
      for (Map.Entry<Long, Slot> e : bySize.getValue().entrySet()) {
        Slot slot = e.getValue();
        if (slot.end - 1 + lateness > watermark) {
          break;
        }
        if (slot.dirty || !slot.finalEmitted) {
          out.add(new Emission(bySize.getKey(), e.getKey(), slot.end, slot.accumulator, true));
          slot.dirty = false;
          slot.finalEmitted = true;
        }
      }
    }
    return out;
  }

  /** Open windows changed since their last emission: emitted as provisional. */
  public List<Emission> provisionals(long watermark) {
    List<Emission> out = new ArrayList<>();
    for (Map.Entry<WindowSize, TreeMap<Long, Slot>> bySize : slots.entrySet()) {
      for (Map.Entry<Long, Slot> e : bySize.getValue().entrySet()) {
        Slot slot = e.getValue();
        if (slot.dirty && slot.end - 1 > watermark) {
          out.add(new Emission(bySize.getKey(), e.getKey(), slot.end, slot.accumulator, false));
          slot.dirty = false;
        }
      }
    }
    return out;
  }

  /** Forgets windows closed for good; call after emitting their finals. */
  public void purge(long watermark, KpiSettings s) {
    long lateness = s.allowedLateness().toMillis();
    for (TreeMap<Long, Slot> bySize : slots.values()) {
      Iterator<Map.Entry<Long, Slot>> it = bySize.entrySet().iterator();
      while (it.hasNext()) {
        Slot slot = it.next().getValue();
        if (slot.end - 1 + lateness > watermark) {
          break;
        }
        it.remove();
      }
    }
  }

  /** A window of partial totals that came after it was closed for good. */
  public record Late(WindowSize size, long start) {}

  /**
   * Adds another set's totals window by window (partial totals pre-aggregated upstream), unless a
   * window is closed for good at {@code watermark}; returns those that came too late.
   */
  public List<Late> merge(KpiWindows other, KpiSettings s, long watermark, LongConsumer opened) {
    List<Late> tooLate = List.of();
    long lateness = s.allowedLateness().toMillis();
    for (Map.Entry<WindowSize, TreeMap<Long, Slot>> bySize : other.slots.entrySet()) {
      TreeMap<Long, Slot> mine = slots.computeIfAbsent(bySize.getKey(), k -> new TreeMap<>());
      for (Map.Entry<Long, Slot> e : bySize.getValue().entrySet()) {
        Slot slot = mine.get(e.getKey());
        if (slot == null) {
          long end = e.getValue().end;
          if (watermark >= end - 1 + lateness) {
            if (tooLate.isEmpty()) {
              tooLate = new ArrayList<>(2);
            }
            tooLate.add(new Late(bySize.getKey(), e.getKey()));
            continue;
          }
          slot = new Slot(end, new KpiAccumulator());
          mine.put(e.getKey(), slot);
          opened.accept(end);
        }
        slot.accumulator.merge(e.getValue().accumulator);
        slot.dirty = true;
      }
    }
    return tooLate;
  }

  public boolean isEmpty() {
    for (TreeMap<Long, Slot> bySize : slots.values()) {
      if (!bySize.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** True when some open window changed since it was last emitted. */
  public boolean hasProvisionalChanges(long watermark) {
    for (TreeMap<Long, Slot> bySize : slots.values()) {
      for (Slot slot : bySize.values()) {
        if (slot.dirty && slot.end - 1 > watermark) {
          return true;
        }
      }
    }
    return false;
  }

  // --- serialisation (for stream-processor state) -------------------------------------------

  public void writeTo(DataOutput out) throws IOException {
    out.writeByte(1);
    out.writeByte(slots.size());
    for (Map.Entry<WindowSize, TreeMap<Long, Slot>> bySize : slots.entrySet()) {
      out.writeByte(bySize.getKey().ordinal());
      out.writeInt(bySize.getValue().size());
      for (Map.Entry<Long, Slot> e : bySize.getValue().entrySet()) {
        Slot slot = e.getValue();
        out.writeLong(e.getKey());
        out.writeLong(slot.end);
        out.writeBoolean(slot.dirty);
        out.writeBoolean(slot.finalEmitted);
        slot.accumulator.writeTo(out);
      }
    }
  }

  public static KpiWindows readFrom(DataInput in) throws IOException {
    int format = in.readByte();
    if (format != 1) {
      throw new IOException("unknown KPI windows format " + format);
    }
    KpiWindows w = new KpiWindows();
    int sizes = in.readByte();
    for (int i = 0; i < sizes; i++) {
      WindowSize size = WindowSize.values()[in.readByte()];
      int n = in.readInt();
      TreeMap<Long, Slot> bySize = new TreeMap<>();
      for (int k = 0; k < n; k++) {
        long start = in.readLong();
        long end = in.readLong();
        boolean dirty = in.readBoolean();
        boolean finalEmitted = in.readBoolean();
        Slot slot = new Slot(end, KpiAccumulator.readFrom(in));
        slot.dirty = dirty;
        slot.finalEmitted = finalEmitted;
        bySize.put(start, slot);
      }
      w.slots.put(size, bySize);
    }
    return w;
  }
}
