package io.kefu.batch.profiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Exact quintile boundaries: the value of rank ⌈p · n⌉ among the sorted values. */
class QuintilesTest {

  @Test
  void fiveValuesAreTheirOwnBoundaries() {
    assertArrayEquals(new double[] {1, 2, 3, 4}, Quintiles.of(new double[] {5, 3, 1, 4, 2}));
  }

  @Test
  void twoValuesSplitAtTheMedian() {
    // ranks ⌈0.4⌉ = 1, ⌈0.8⌉ = 1, ⌈1.2⌉ = 2, ⌈1.6⌉ = 2
    assertArrayEquals(new double[] {1, 1, 95, 95}, Quintiles.of(new double[] {95, 1}));
  }

  @Test
  void tenValuesTakeEverySecond() {
    double[] v = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    assertArrayEquals(new double[] {2, 4, 6, 8}, Quintiles.of(v));
  }

  @Test
  void missingValuesAreLeftOutAndNoValuesGiveNoBoundaries() {
    assertArrayEquals(
        new double[] {7, 7, 7, 7}, Quintiles.of(new double[] {Double.NaN, 7, Double.NaN}));
    assertArrayEquals(new double[0], Quintiles.of(new double[] {Double.NaN}));
    assertArrayEquals(new double[0], Quintiles.of(new double[0]));
  }
}
