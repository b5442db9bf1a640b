package io.kefu.core.sentiment;

/**
 * Features of the Chinese linear model: hashed character 1-, 2- and 3-grams over the normalised
 * character stream, each weighted 1/sqrt(number of n-grams), plus {@link #DENSE} lexicon features
 * (HowNet/NTUSD polarity words with the negation and degree words before them). The trainer and the
 * scorer both go through this class, so they cannot disagree.
 */
final class ChineseFeatures {
  /** Number of dense lexicon features. */
  static final int DENSE = 4;

  /** Sentiment lexicon values. */
  static final int POSITIVE = 1;

  static final int NEGATIVE = -1;

  /** Modifier value of a negation word; degree words carry their multiplier x 100. */
  static final int NEGATION = 1000;

  /** How far a negation before a degree word ("不太满意") scales the flipped polarity. */
  static final double WEAK_NEGATION = 0.5;

  /** How far a plain negation ("不满意") scales the flipped polarity. */
  static final double NEGATION_FACTOR = 0.9;

  private ChineseFeatures() {}

  static int ngramCount(int n) {
    return n <= 0 ? 0 : n == 1 ? 1 : n == 2 ? 3 : 3 * n - 3;
  }

  static int index(long packed, int shift) {
    return (int) (Hashing.mix(packed) >>> shift);
  }

  static long unigram(char a) {
    return (1L << 48) | a;
  }

  static long bigram(char a, char b) {
    return (2L << 48) | ((long) a << 16) | b;
  }

  static long trigram(char a, char b, char c) {
    return (3L << 48) | ((long) a << 32) | ((long) b << 16) | c;
  }

  /** Sum of the quantised weights of every n-gram of {@code z[0, n)} (unscaled). */
  static long ngramSum(char[] z, int n, short[] w, int shift) {
    long sum = 0;
    char p2 = 0;
    char p1 = 0;
    for (int i = 0; i < n; i++) {
      char c = z[i];
      sum += w[index(unigram(c), shift)];
      if (i >= 1) {
        sum += w[index(bigram(p1, c), shift)];
        if (i >= 2) {
          sum += w[index(trigram(p2, p1, c), shift)];
        }
      }
      p2 = p1;
      p1 = c;
    }
    return sum;
  }

  /** Writes the n-gram indices of {@code z[0, n)} to {@code out}; returns how many. */
  static int ngramIndices(char[] z, int n, int shift, int[] out) {
    int k = 0;
    char p2 = 0;
    char p1 = 0;
    for (int i = 0; i < n; i++) {
      char c = z[i];
      out[k++] = index(unigram(c), shift);
      if (i >= 1) {
        out[k++] = index(bigram(p1, c), shift);
        if (i >= 2) {
          out[k++] = index(trigram(p2, p1, c), shift);
        }
      }
      p2 = p1;
      p1 = c;
    }
    return k;
  }

  /**
   * The dense lexicon features of {@code z[0, n)} into {@code out[0, DENSE)}: log(1 + positive
   * mass), log(1 + negative mass), the balance (pos - neg) / (pos + neg + 1) and whether any
   * polarity word was negated. A polarity word's mass is scaled by the degree word before it; a
   * negation flips it ("不满意"), a negation before a degree word flips and halves it ("不太满意" is
   * mildly negative), a degree word before a negation flips and scales it ("太不满意").
   */
  static void lexicon(char[] z, int n, PhraseTable words, PhraseTable modifiers, double[] out) {
    double pos = 0;
    double neg = 0;
    double evidence = 0;
    int negated = 0;
    int i = 0;
    while (i < n) {
      long hit = words.longestAt(z, i, 0, n);
      if (hit < 0) {
        i++;
        continue;
      }
      int len = (int) (hit >>> 32);
      int polarity = (int) hit;
      double v = polarity;
      int at = i;
      boolean seenNegation = false;
      boolean seenDegree = false;
      double degree = 1;
      for (int k = 0; k < 3 && at > 0; k++) {
        long m = modifiers.longestEndingAt(z, at, Math.max(0, at - 4));
        if (m < 0) {
          break;
        }
        int mv = (int) m;
        if (mv == NEGATION) {
          seenNegation = !seenNegation;
          if (seenNegation) {
            v = seenDegree ? -polarity * WEAK_NEGATION : -v * NEGATION_FACTOR;
          } else {
            v = -v; // double negation
          }
        } else if (!seenDegree) {
          seenDegree = true;
          degree = mv / 100.0;
          if (!seenNegation) {
            v *= degree;
          } else {
            v *= degree / NEGATION_FACTOR; // "太不满意": degree outside the negation
          }
        }
        at -= (int) (m >>> 32);
      }
      if (seenNegation) {
        negated++;
      }
      if (len >= 2 || at < i) {
        evidence += Math.abs(v);
      }
      if (v > 0) {
        pos += v;
      } else {
        neg -= v;
      }
      i += len;
    }
    out[0] = Math.log1p(pos);
    out[1] = Math.log1p(neg);
    out[2] = (pos - neg) / (pos + neg + 1);
    out[3] = negated > 0 ? 1 : 0;
    if (out.length > DENSE) {
      out[DENSE] =
          evidence; // not a model feature: polarity mass of words of two or more characters
    }
  }
}
