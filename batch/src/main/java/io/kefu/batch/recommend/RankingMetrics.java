package io.kefu.batch.recommend;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Top-k ranking metrics for one user with binary relevance: {@code recommended} is the ranked list
 * (best first; only its first k count), {@code relevant} the items the user went on to take. Plain
 * Java so that each figure can be checked by hand; the job averages them over users.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** Hits in the top k / k. */
  public static double precisionAtK(List<String> recommended, Set<String> relevant, int k) {
    checkK(k);
    return hits(recommended, relevant, k) / (double) k;
  }

  /** Hits in the top k / |relevant|; NaN when nothing is relevant. */
  public static double recallAtK(List<String> recommended, Set<String> relevant, int k) {
    checkK(k);
    return relevant.isEmpty()
        ? Double.NaN
        : hits(recommended, relevant, k) / (double) relevant.size();
  }

  /**
   * DCG of the top k (a hit at 0-based position i gains 1 / log2(i + 2)) over the DCG of an ideal
   * list (min(|relevant|, k) hits first); NaN when nothing is relevant.
   */
  public static double ndcgAtK(List<String> recommended, Set<String> relevant, int k) {
    checkK(k);
    if (relevant.isEmpty()) {
      return Double.NaN;
    }
    double dcg = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < Math.min(k, recommended.size()); i++) {
      String item = recommended.get(i);
      if (relevant.contains(item) && seen.add(item)) {
        dcg += 1 / log2(i + 2);
      }
    }
    double ideal = 0;
    for (int i = 0; i < Math.min(k, relevant.size()); i++) {
      ideal += 1 / log2(i + 2);
    }
    return dcg / ideal;
  }

  /**
   * Average precision at k: the precision at each hit's position in the top k, summed, over
   * min(|relevant|, k); NaN when nothing is relevant.
   */
  public static double averagePrecisionAtK(List<String> recommended, Set<String> relevant, int k) {
    checkK(k);
    if (relevant.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    int hits = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < Math.min(k, recommended.size()); i++) {
      String item = recommended.get(i);
      if (relevant.contains(item) && seen.add(item)) {
        hits++;
        sum += hits / (double) (i + 1);
      }
    }
    return sum / Math.min(relevant.size(), k);
  }

  /** Distinct recommended items / catalogue size; NaN for an empty catalogue. */
  public static double coverage(Collection<String> recommendedItems, long catalogueSize) {
    if (catalogueSize <= 0) {
      return Double.NaN;
    }
    return new HashSet<>(recommendedItems).size() / (double) catalogueSize;
  }

  private static int hits(List<String> recommended, Set<String> relevant, int k) {
    int hits = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < Math.min(k, recommended.size()); i++) {
      String item = recommended.get(i);
      if (relevant.contains(item) && seen.add(item)) {
        hits++;
      }
    }
    return hits;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static void checkK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
  }
}
