package io.kefu.core.kpi;

import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

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

  // Sparse buckets as parallel sorted arrays: a few dozen buckets, no boxing.
  private int[] indexes = new int[8];
  private long[] counts = new long[8];
  private int size;
  private long zeros; // values too small to index (0 s waits)
  private long total;

  void add(double value, int sign) {
    total += sign;
    if (value < MAPPING.minIndexableValue()) {
      zeros += sign;
      return;
    }
    addToBucket(MAPPING.index(value), sign);
  }

  private void addToBucket(int index, long n) {
    int at = Arrays.binarySearch(indexes, 0, size, index);
    if (at >= 0) {
      counts[at] += n;
      if (counts[at] == 0) {
        System.arraycopy(indexes, at + 1, indexes, at, size - at - 1);
        System.arraycopy(counts, at + 1, counts, at, size - at - 1);
        size--;
      }
      return;
    }
    at = -at - 1;
    if (size == indexes.length) {
      indexes = Arrays.copyOf(indexes, size * 2);
      counts = Arrays.copyOf(counts, size * 2);
    }
    System.arraycopy(indexes, at, indexes, at + 1, size - at);
    System.arraycopy(counts, at, counts, at + 1, size - at);
    indexes[at] = index;
    counts[at] = n;
    size++;
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
    for (int i = 0; i < size; i++) {
      seen += counts[i];
      if (seen > rank) {
        return MAPPING.value(indexes[i]);
      }
    }
    return size == 0 ? 0.0 : MAPPING.value(indexes[size - 1]);
  }

  void merge(Quantiles o) {
    total += o.total;
    zeros += o.zeros;
    for (int i = 0; i < o.size; i++) {
      addToBucket(o.indexes[i], o.counts[i]);
    }
  }

  void writeTo(DataOutput out) throws IOException {
    out.writeLong(total);
    out.writeLong(zeros);
    out.writeInt(size);
    for (int i = 0; i < size; i++) {
      out.writeInt(indexes[i]);
      out.writeLong(counts[i]);
    }
  }

  static Quantiles readFrom(DataInput in) throws IOException {
    Quantiles q = new Quantiles();
    q.total = in.readLong();
    q.zeros = in.readLong();
    int n = in.readInt();
    q.indexes = new int[Math.max(8, n)];
    q.counts = new long[Math.max(8, n)];
    for (int i = 0; i < n; i++) {
      q.indexes[i] = in.readInt();
      q.counts[i] = in.readLong();
    }
    q.size = n;
    return q;
  }
}
