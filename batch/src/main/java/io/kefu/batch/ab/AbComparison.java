package io.kefu.batch.ab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Arm B against arm A on every metric of {@link AbSamples#METRICS}: both values, the difference B −
 * A and relative change, its 95 % interval, the raw and Holm-adjusted p-values, a verdict at α =
 * 0.05 after Holm's correction across the metrics, sample sizes and a warning when a sample is too
 * small for the test.
 */
public final class AbComparison {
  private AbComparison() {}

  /** One metric's line. Null numbers: not defined (no data, or fewer than 2 values). */
  public record Line(
      String metric,
      AbSamples.Kind kind,
      Double a,
      Double b,
      Double difference,
      Double relativeChange,
      Double ciLow,
      Double ciHigh,
      Double pValue,
      Double pHolm,
      String verdict,
      long nA,
      long nB,
      String warning) {

    public boolean significant() {
      return pHolm != null && pHolm < AbStatistics.ALPHA;
    }
  }

  public static List<Line> compare(AbSamples samples, String armA, String armB) {
    AbSamples.Arm a = samples.arm(armA);
    AbSamples.Arm b = samples.arm(armB);
    List<AbSamples.Metric> metrics = AbSamples.METRICS;
    AbStatistics.Result[] results = new AbStatistics.Result[metrics.size()];
    double[] p = new double[metrics.size()];
    for (int i = 0; i < metrics.size(); i++) {
      results[i] = test(metrics.get(i), a, b);
      p[i] = results[i] == null ? Double.NaN : results[i].pValue();
    }
    double[] holm = AbStatistics.holm(p);
    List<Line> out = new ArrayList<>();
    for (int i = 0; i < metrics.size(); i++) {
      AbSamples.Metric m = metrics.get(i);
      Double va;
      Double vb;
      long na;
      long nb;
      String warning;
      if (m.kind() == AbSamples.Kind.RATE) {
        AbSamples.Rate ra = a.rate(m.name());
        AbSamples.Rate rb = b.rate(m.name());
        va = ra.value();
        vb = rb.value();
        na = ra.trials;
        nb = rb.trials;
        warning = AbStatistics.rateWarning(ra.successes, na, rb.successes, nb);
      } else {
        AbSamples.Moments ma = a.moments(m.name());
        AbSamples.Moments mb = b.moments(m.name());
        va = ma.value();
        vb = mb.value();
        na = ma.n;
        nb = mb.n;
        warning = AbStatistics.meanWarning(na, nb);
      }
      AbStatistics.Result r = results[i];
      Double diff = va == null || vb == null ? null : vb - va;
      Double relative = diff == null || va == 0 ? null : diff / va;
      Double pHolm = Double.isNaN(holm[i]) ? null : holm[i];
      out.add(
          new Line(
              m.name(),
              m.kind(),
              va,
              vb,
              diff,
              relative,
              r == null ? null : r.ciLow(),
              r == null ? null : r.ciHigh(),
              r == null ? null : r.pValue(),
              pHolm,
              verdict(m, r, pHolm),
              na,
              nb,
              warning));
    }
    return out;
  }

  private static AbStatistics.Result test(AbSamples.Metric m, AbSamples.Arm a, AbSamples.Arm b) {
    if (m.kind() == AbSamples.Kind.RATE) {
      AbSamples.Rate ra = a.rate(m.name());
      AbSamples.Rate rb = b.rate(m.name());
      return AbStatistics.twoProportions(ra.successes, ra.trials, rb.successes, rb.trials);
    }
    AbSamples.Moments ma = a.moments(m.name());
    AbSamples.Moments mb = b.moments(m.name());
    return AbStatistics.welch(ma.n, ma.mean, ma.variance(), mb.n, mb.mean, mb.variance());
  }

  static String verdict(AbSamples.Metric m, AbStatistics.Result r, Double pHolm) {
    if (r == null || pHolm == null) {
      return "not tested";
    }
    if (pHolm >= AbStatistics.ALPHA || r.difference() == 0) {
      return "no significant difference";
    }
    boolean higher = r.difference() > 0;
    return String.format(
        Locale.ROOT,
        "B %s (%s)",
        higher ? "higher" : "lower",
        higher == m.higherIsBetter() ? "better" : "worse");
  }
}
