package io.kefu.batch.ab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The tests against published reference values: R's {@code prop.test(correct = FALSE)}, {@code
 * t.test} (Welch) and {@code p.adjust(method = "holm")}, the numbers reproduced with SciPy 1.17
 * ({@code stats.ttest_ind(equal_var=False)}, {@code stats.norm}, {@code stats.t}).
 */
class AbStatisticsTest {

  @Test
  void twoProportionsAsPropTestWithoutContinuityCorrection() {
    // prop.test(c(30, 45), c(100, 100), correct = FALSE): X-squared = 4.8, p-value = 0.02846
    AbStatistics.Result r = AbStatistics.twoProportions(30, 100, 45, 100);
    assertEquals(0.15, r.difference(), 1e-12);
    assertEquals(0.02845973691631055, r.pValue(), 1e-9);
    // Wald interval of p_B − p_A: 0.15 ± 1.959964 × sqrt(.3 × .7 / 100 + .45 × .55 / 100)
    assertEquals(0.0174304933075648, r.ciLow(), 1e-9);
    assertEquals(0.2825695066924352, r.ciHigh(), 1e-9);
    // symmetric
    AbStatistics.Result back = AbStatistics.twoProportions(45, 100, 30, 100);
    assertEquals(-0.15, back.difference(), 1e-12);
    assertEquals(r.pValue(), back.pValue(), 1e-15);
  }

  @Test
  void degenerateProportions() {
    assertNull(AbStatistics.twoProportions(0, 0, 3, 10), "no trials in A");
    AbStatistics.Result all = AbStatistics.twoProportions(10, 10, 20, 20);
    assertEquals(1.0, all.pValue(), "both 100 %: no evidence of a difference");
    assertEquals(0.0, all.difference());
  }

  @Test
  void welchAsTTestWithUnequalVariances() {
    // x = 1..5, y = 2, 4, .., 10: t = -1.8974, df = 5.8824, p = 0.1075
    AbStatistics.Result r = AbStatistics.welch(5, 3, 2.5, 5, 6, 10);
    assertEquals(3.0, r.difference(), 1e-12);
    assertEquals(0.10753119493062728, r.pValue(), 1e-9);
    assertEquals(3 - 3.887741643736975, r.ciLow(), 1e-9);
    assertEquals(3 + 3.887741643736975, r.ciHigh(), 1e-9);

    double[] a = {12.1, 14.3, 9.8, 11.0, 13.5, 10.2, 12.8};
    double[] b = {15.2, 13.9, 16.8, 14.1, 17.3, 15.0};
    AbSamples.Moments ma = moments(a);
    AbSamples.Moments mb = moments(b);
    AbStatistics.Result r2 =
        AbStatistics.welch(ma.n, ma.mean, ma.variance(), mb.n, mb.mean, mb.variance());
    assertEquals(3.4261904761904773, r2.difference(), 1e-9);
    assertEquals(0.002097412118442025, r2.pValue(), 1e-9);
    assertEquals(1.539705725975792, r2.ciLow(), 1e-9);
    assertEquals(5.312675226405163, r2.ciHigh(), 1e-9);
  }

  @Test
  void welchNeedsTwoValuesPerArm() {
    assertNull(AbStatistics.welch(1, 3, Double.NaN, 5, 6, 10));
    AbStatistics.Result constant = AbStatistics.welch(3, 2, 0, 4, 2, 0);
    assertEquals(1.0, constant.pValue());
  }

  @Test
  void holmAsPAdjust() {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
    assertArrayEquals(
        new double[] {0.03, 0.06, 0.06, 0.02},
        AbStatistics.holm(new double[] {0.01, 0.04, 0.03, 0.005}),
        1e-12);
    double[] withGap = AbStatistics.holm(new double[] {0.5, Double.NaN, 0.01});
    assertEquals(0.5, withGap[0], 1e-12);
    assertTrue(Double.isNaN(withGap[1]), "no test: not in the family");
    assertEquals(0.02, withGap[2], 1e-12);
    assertArrayEquals(new double[] {1, 1}, AbStatistics.holm(new double[] {0.7, 0.9}), 1e-12);
  }

  @Test
  void momentsMergeExactly() {
    double[] all = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
    AbSamples.Moments whole = moments(all);
    AbSamples.Moments left = moments(java.util.Arrays.copyOfRange(all, 0, 4));
    left.merge(moments(java.util.Arrays.copyOfRange(all, 4, all.length)));
    assertEquals(whole.n, left.n);
    assertEquals(whole.mean, left.mean, 1e-12);
    assertEquals(whole.variance(), left.variance(), 1e-12);
    assertEquals(4.0, whole.mean, 1e-12);
    assertEquals(5.6, whole.variance(), 1e-12);
  }

  @Test
  void smallSamplesAreFlagged() {
    assertTrue(AbStatistics.rateWarning(1, 20, 2, 20).startsWith("small sample"));
    assertTrue(AbStatistics.rateWarning(98, 100, 99, 100).startsWith("small sample"), "failures");
    assertNull(AbStatistics.rateWarning(40, 100, 50, 100));
    assertEquals("no data in B", AbStatistics.rateWarning(4, 10, 0, 0));
    assertTrue(AbStatistics.meanWarning(29, 400).startsWith("small sample"));
    assertNull(AbStatistics.meanWarning(30, 30));
  }

  static AbSamples.Moments moments(double[] xs) {
    AbSamples.Moments m = new AbSamples.Moments();
    for (double x : xs) {
      m.add(x);
    }
    return m;
  }
}
