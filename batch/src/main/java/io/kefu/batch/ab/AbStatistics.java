package io.kefu.batch.ab;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.StatisticalSummaryValues;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * The tests of the A/B comparison, plain Java on Apache Commons Math: a two-proportion z-test
 * (pooled standard error for the p-value, unpooled Wald interval for the difference) for rates,
 * Welch's t-test (unequal variances, Welch–Satterthwaite degrees of freedom) for means, and Holm's
 * step-down correction across the metrics of one comparison. Differences are B − A.
 */
public final class AbStatistics {
  private AbStatistics() {}

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  /** Two-sided 95 %. */
  public static final double ALPHA = 0.05;

  /** A test's result: the difference B − A, its 95 % interval and the two-sided p-value. */
  public record Result(double difference, double ciLow, double ciHigh, double pValue) {}

  /**
   * Two-proportion z-test of {@code xa}/{@code na} against {@code xb}/{@code nb} (as R's {@code
   * prop.test(correct = FALSE)}); null when an arm has no trials.
   */
  public static Result twoProportions(long xa, long na, long xb, long nb) {
    if (na <= 0 || nb <= 0) {
      return null;
    }
    double pa = (double) xa / na;
    double pb = (double) xb / nb;
    double d = pb - pa;
    double pooled = (double) (xa + xb) / (na + nb);
    double sePooled = Math.sqrt(pooled * (1 - pooled) * (1.0 / na + 1.0 / nb));
    double p =
        sePooled == 0
            ? (d == 0 ? 1 : 0)
            : 2 * NORMAL.cumulativeProbability(-Math.abs(d) / sePooled);
    double se = Math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb);
    double z = NORMAL.inverseCumulativeProbability(1 - ALPHA / 2);
    return new Result(d, d - z * se, d + z * se, p);
  }

  /**
   * Welch's t-test of two samples given by size, mean and (n − 1) variance (as R's {@code
   * t.test(var.equal = FALSE)}); null when an arm has fewer than 2 values.
   */
  public static Result welch(
      long na, double meanA, double varA, long nb, double meanB, double varB) {
    if (na < 2 || nb < 2) {
      return null;
    }
    double d = meanB - meanA;
    double va = varA / na;
    double vb = varB / nb;
    double se = Math.sqrt(va + vb);
    if (se == 0) {
      return new Result(d, d, d, d == 0 ? 1 : 0);
    }
    double df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
    double p =
        new TTest()
            .tTest(
                new StatisticalSummaryValues(meanA, varA, na, Double.NaN, Double.NaN, meanA * na),
                new StatisticalSummaryValues(meanB, varB, nb, Double.NaN, Double.NaN, meanB * nb));
    double t = new TDistribution(null, df).inverseCumulativeProbability(1 - ALPHA / 2);
    return new Result(d, d - t * se, d + t * se, p);
  }

  /**
   * Holm's step-down adjusted p-values (as R's {@code p.adjust(method = "holm")}); NaN entries (no
   * test) are left out of the family and stay NaN.
   */
  public static double[] holm(double[] p) {
    Integer[] order =
        java.util.stream.IntStream.range(0, p.length)
            .filter(i -> !Double.isNaN(p[i]))
            .boxed()
            .toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
    double[] adjusted = new double[p.length];
    Arrays.fill(adjusted, Double.NaN);
    int m = order.length;
    double running = 0;
    for (int k = 0; k < m; k++) {
      double v = Math.min(1, (m - k) * p[order[k]]);
      running = Math.max(running, v);
      adjusted[order[k]] = running;
    }
    return adjusted;
  }

  /**
   * Why a rate's sample is too small for the normal approximation (fewer than 10 expected successes
   * or failures in an arm, or fewer than 30 trials), or null.
   */
  public static String rateWarning(long xa, long na, long xb, long nb) {
    if (na == 0 || nb == 0) {
      return "no data in " + (na == 0 ? "A" : "B");
    }
    double pooled = (double) (xa + xb) / (na + nb);
    long min = Math.min(na, nb);
    if (min < 30 || min * pooled < 10 || min * (1 - pooled) < 10) {
      return String.format(
          java.util.Locale.ROOT,
          "small sample: n = %d / %d, expected successes or failures below 10",
          na,
          nb);
    }
    return null;
  }

  /** Why a mean's sample is too small (fewer than 30 values in an arm), or null. */
  public static String meanWarning(long na, long nb) {
    if (na == 0 || nb == 0) {
      return "no data in " + (na == 0 ? "A" : "B");
    }
    if (Math.min(na, nb) < 30) {
      return "small sample: n = " + na + " / " + nb + " (< 30)";
    }
    return null;
  }
}
