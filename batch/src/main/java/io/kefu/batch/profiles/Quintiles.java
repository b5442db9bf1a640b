package io.kefu.batch.profiles;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The RFM quintile boundaries of a population of customers with orders (plain Java): for recency
 * (days), frequency (orders) and monetary (the amount as a double), the 20, 40, 60 and 80 %
 * percentiles. Each is exact and independent of how the population was partitioned: the value of
 * rank ⌈p · n⌉ among the n sorted values, which is what Spark's {@code percentile_approx} returns
 * while it still holds every value (the profiles used it before; on large populations its merge
 * order moved a boundary by a few cents from run to run).
 */
public record Quintiles(double[] recency, double[] frequency, double[] monetary)
    implements Serializable {

  static final double[] PERCENTAGES = {0.2, 0.4, 0.6, 0.8};

  /** The boundaries of {@code values} (sorted here; NaN = no value, left out); none if empty. */
  static double[] of(double[] values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return new double[0];
    }
    double[] bounds = new double[PERCENTAGES.length];
    for (int i = 0; i < bounds.length; i++) {
      long rank = (long) Math.ceil(PERCENTAGES[i] * v.length);
      bounds[i] = v[(int) Math.max(0, rank - 1)];
    }
    return bounds;
  }

  /** From parallel arrays of the customers' recency, frequency and monetary (NaN: none). */
  static Quintiles of(double[] recency, double[] frequency, double[] monetary) {
    return new Quintiles(of(recency), of(frequency), of(monetary));
  }
}
