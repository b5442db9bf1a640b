package io.kefu.batch.recommend;

import static io.kefu.batch.recommend.RankingMetrics.averagePrecisionAtK;
import static io.kefu.batch.recommend.RankingMetrics.coverage;
import static io.kefu.batch.recommend.RankingMetrics.ndcgAtK;
import static io.kefu.batch.recommend.RankingMetrics.precisionAtK;
import static io.kefu.batch.recommend.RankingMetrics.recallAtK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  static final List<String> RECS = List.of("a", "b", "c", "d", "e");
  static final Set<String> RELEVANT = Set.of("b", "e", "x");

  static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void hitsAtTwoAndFiveOfThreeRelevant() {
    assertEquals(0.4, precisionAtK(RECS, RELEVANT, 5), 1e-12);
    assertEquals(2 / 3.0, recallAtK(RECS, RELEVANT, 5), 1e-12);
    // DCG 1/log2(3) + 1/log2(6) = 1.017783; ideal 1 + 1/log2(3) + 1/log2(4) = 2.130930
    assertEquals(0.477624, ndcgAtK(RECS, RELEVANT, 5), 1e-6);
    assertEquals(
        (1 / log2(3) + 1 / log2(6)) / (1 + 1 / log2(3) + 0.5), ndcgAtK(RECS, RELEVANT, 5), 1e-12);
    // precision 1/2 at the first hit, 2/5 at the second, over min(3, 5)
    assertEquals(0.3, averagePrecisionAtK(RECS, RELEVANT, 5), 1e-12);
  }

  @Test
  void cutAtTwo() {
    assertEquals(0.5, precisionAtK(RECS, RELEVANT, 2), 1e-12);
    assertEquals(1 / 3.0, recallAtK(RECS, RELEVANT, 2), 1e-12);
    assertEquals(0.386853, ndcgAtK(RECS, RELEVANT, 2), 1e-6); // 0.63093 / 1.63093
    assertEquals(0.25, averagePrecisionAtK(RECS, RELEVANT, 2), 1e-12); // (1/2) / min(3, 2)
  }

  @Test
  void perfectAndEmptyLists() {
    List<String> perfect = List.of("b", "e", "x", "q");
    assertEquals(1.0, ndcgAtK(perfect, RELEVANT, 3), 1e-12);
    assertEquals(1.0, averagePrecisionAtK(perfect, RELEVANT, 3), 1e-12);
    assertEquals(1.0, recallAtK(perfect, RELEVANT, 3), 1e-12);
    assertEquals(0.0, precisionAtK(List.of(), RELEVANT, 3));
    assertEquals(0.0, ndcgAtK(List.of(), RELEVANT, 3));
    assertEquals(0.0, averagePrecisionAtK(List.of(), RELEVANT, 3));
    // a short list still divides by k
    assertEquals(0.1, precisionAtK(List.of("b"), RELEVANT, 10), 1e-12);
  }

  @Test
  void repeatedItemCountsOnce() {
    assertEquals(0.25, precisionAtK(List.of("b", "b", "b", "b"), RELEVANT, 4), 1e-12);
    // one hit at position 1, over min(3, 2)
    assertEquals(0.5, averagePrecisionAtK(List.of("b", "b"), RELEVANT, 2), 1e-12);
  }

  @Test
  void nothingRelevantIsNaNAndBadKThrows() {
    assertTrue(Double.isNaN(recallAtK(RECS, Set.of(), 5)));
    assertTrue(Double.isNaN(ndcgAtK(RECS, Set.of(), 5)));
    assertTrue(Double.isNaN(averagePrecisionAtK(RECS, Set.of(), 5)));
    assertEquals(0.0, precisionAtK(RECS, Set.of(), 5));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> precisionAtK(RECS, RELEVANT, 0));
    assertTrue(e.getMessage().contains("0"));
  }

  @Test
  void coverageCountsDistinctItems() {
    assertEquals(0.5, coverage(List.of("a", "b", "a"), 4), 1e-12);
    assertTrue(Double.isNaN(coverage(List.of(), 0)));
  }
}
