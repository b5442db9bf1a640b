package io.kefu.core.sentiment;

import java.util.List;

/**
 * Binary evaluation of the scorer on labelled reviews: a review is predicted positive when its
 * sentiment is above zero. Counts are of the positive class (label 1).
 */
public record SentimentEvaluation(
    long truePositive, long falsePositive, long trueNegative, long falseNegative) {

  public static SentimentEvaluation of(SentimentScorer scorer, List<LabelledReview> rows) {
    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    for (LabelledReview r : rows) {
      boolean positive = scorer.score(r.text()).sentiment() > 0;
      if (r.label() == 1) {
        if (positive) {
          tp++;
        } else {
          fn++;
        }
      } else if (positive) {
        fp++;
      } else {
        tn++;
      }
    }
    return new SentimentEvaluation(tp, fp, tn, fn);
  }

  public long total() {
    return truePositive + falsePositive + trueNegative + falseNegative;
  }

  public double accuracy() {
    return total() == 0 ? 0 : (double) (truePositive + trueNegative) / total();
  }

  /** Precision of class 1 (positive) or 0 (negative). */
  public double precision(int label) {
    long hit = label == 1 ? truePositive : trueNegative;
    long predicted = label == 1 ? truePositive + falsePositive : trueNegative + falseNegative;
    return predicted == 0 ? 0 : (double) hit / predicted;
  }

  /** Recall of class 1 (positive) or 0 (negative). */
  public double recall(int label) {
    long hit = label == 1 ? truePositive : trueNegative;
    long actual = label == 1 ? truePositive + falseNegative : trueNegative + falsePositive;
    return actual == 0 ? 0 : (double) hit / actual;
  }

  public double f1(int label) {
    double p = precision(label);
    double r = recall(label);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** A printable report ending with the line {@code accuracy=0.xxxx}. */
  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%,d reviews%n", total()));
    sb.append(String.format("class     precision  recall  f1      support%n"));
    for (int label = 1; label >= 0; label--) {
      long support = label == 1 ? truePositive + falseNegative : trueNegative + falsePositive;
      sb.append(
          String.format(
              "%-9s %.4f     %.4f  %.4f  %,d%n",
              label == 1 ? "positive" : "negative",
              precision(label),
              recall(label),
              f1(label),
              support));
    }
    sb.append(String.format("confusion (rows actual, columns predicted):%n"));
    sb.append(String.format("            pred_pos  pred_neg%n"));
    sb.append(String.format("actual_pos  %8d  %8d%n", truePositive, falseNegative));
    sb.append(String.format("actual_neg  %8d  %8d%n", falsePositive, trueNegative));
    sb.append(String.format(java.util.Locale.ROOT, "accuracy=%.4f", accuracy()));
    return sb.toString();
  }
}
