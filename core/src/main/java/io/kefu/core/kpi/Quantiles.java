package io.kefu.core.kpi;

import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A quantile summary of non-negative durations that can also forget a value: DDSketch's logarithmic
 * bucketing (from the DDSketch library; every value returned is within the relative accuracy of a
 * recorded value of that rank) with signed counts, so a retracted fact removes its duration
 * exactly. Bucket counts do not depend on the order values arrive in, so a replay after a failure
 * gives identical quantiles. Mergeable by adding counts.
 */
final class Quantiles {

  private static final IndexMapping MAPPING =
      new LogarithmicMapping(KpiAccumulator.QUANTILE_ACCURACY);

  private final TreeMap<Integer, Long> counts = new TreeMap<>();
  private long zeros; // values too small to index (0 s waits)
  private long total;

  void add(double value, int sign) {
    total += sign;
    if (value < MAPPING.minIndexableValue()) {
      zeros += sign;
      return;
    }
    counts.merge(MAPPING.index(value), (long) sign, (a, b) -> a + b == 0 ? null : a + b);
  }

  long count() {
    return total;
  }

  /**
   * The value at quantile {@code q} (rank {@code q × (n − 1)}, the lower one), or null if empty.
   */
  Double at(double q) {
    if (total <= 0) {
      return null;
    }
    double rank = q * (total - 1);
    long seen = zeros;
    if (seen > rank) {
      return 0.0;
    }
    for (Map.Entry<Integer, Long> e : counts.entrySet()) {
      seen += e.getValue();
      if (seen > rank) {
        return MAPPING.value(e.getKey());
      }
    }
    return MAPPING.value(counts.lastKey());
  }

  void merge(Quantiles o) {
    total += o.total;
    zeros += o.zeros;
    o.counts.forEach((k, v) -> counts.merge(k, v, (a, b) -> a + b == 0 ? null : a + b));
  }

  void writeTo(DataOutput out) throws IOException {
    out.writeLong(total);
    out.writeLong(zeros);
    out.writeInt(counts.size());
    for (Map.Entry<Integer, Long> e : counts.entrySet()) {
      out.writeInt(e.getKey());
      out.writeLong(e.getValue());
    }
  }

  static Quantiles readFrom(DataInput in) throws IOException {
    Quantiles q = new Quantiles();
    q.total = in.readLong();
    q.zeros = in.readLong();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      q.counts.put(in.readInt(), in.readLong());
    }
    return q;
  }
}
