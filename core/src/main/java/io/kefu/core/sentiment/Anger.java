package io.kefu.core.sentiment;

/**
 * Anger in [0, 1]: negativity combined with anger cues. The evidence is {@code x = 1.3 * negativity
 * + (sum of the weights of the cue categories present) * damping}, plus emphasis from repeated
 * '!'/'?' and shouted (ALL-CAPS) words; anger is {@code 1 - exp(-x)}. Negativity alone stays below
 * 1 - exp(-1.5) = 0.777, under the default threshold 0.8: a calm complaint, however negative, is
 * not an anger event without a cue; positive sentiment damps the cues ("收到退款了，谢谢").
 */
final class Anger {
  static final double NEGATIVITY_WEIGHT = 1.3;
  static final double REPEATED_PUNCTUATION = 0.6;
  static final double SINGLE_EXCLAMATION = 0.15;
  static final double[] SHOUTED_WORDS = {0, 0.5, 0.8, 1.1};

  private Anger() {}

  static double score(double sentiment, int categories, Scratch s) {
    double cues = 0;
    for (int b = 0; b < Cues.WEIGHTS.length; b++) {
      if ((categories & (1 << b)) != 0) {
        cues += Cues.WEIGHTS[b];
      }
    }
    cues += punctuation(s) + shouting(s);
    double negativity = Math.max(0, -sentiment);
    double damping = 1 - 0.5 * Math.max(0, sentiment);
    double x = NEGATIVITY_WEIGHT * negativity + cues * damping;
    return 1 - Math.exp(-x);
  }

  /** The anger cue categories present, as {@link Cues} bits. */
  static int cues(Scratch s) {
    char[] a = s.text;
    int n = s.length;
    int bits = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0 && PhraseTable.isAsciiAlnum(a[i]) && PhraseTable.isAsciiAlnum(a[i - 1])) {
        continue; // inside a Latin word or number: no cue may start here
      }
      long hit = Cues.ANGER.longestAt(a, i, 0, n);
      if (hit >= 0) {
        int v = (int) hit;
        if (v != Cues.ACRONYM) {
          bits |= v & ~Cues.ACRONYM;
        }
        i += (int) (hit >>> 32) - 1;
      }
    }
    return bits;
  }

  /** Repeated '!' or '?' ("!!!", "？？？", "?!") or a single '!'. */
  static double punctuation(Scratch s) {
    char[] a = s.text;
    int run = 0;
    int maxRun = 0;
    int bangs = 0;
    for (int i = 0; i < s.length; i++) {
      char c = a[i];
      if (c == '!' || c == '?') {
        run++;
        maxRun = Math.max(maxRun, run);
        if (c == '!') {
          bangs++;
        }
      } else {
        run = 0;
      }
    }
    if (maxRun >= 2) {
      return REPEATED_PUNCTUATION;
    }
    return bangs > 0 ? SINGLE_EXCLAMATION : 0;
  }

  /**
   * Shouted words: two or more letters and nothing but letters (so not order numbers like
   * "SO2025"), all upper case, not a common acronym. Needs tokens.
   */
  static double shouting(Scratch s) {
    int shouted = 0;
    char[] a = s.text;
    for (int k = 0; k < s.tokens; k++) {
      int from = s.tokenFrom[k];
      int to = s.tokenTo[k];
      if (!s.tokenUpper[k] || to - from < 2) {
        continue;
      }
      int letters = 0;
      boolean word = true;
      for (int i = from; i < to && word; i++) {
        if (Character.isLetter(a[i])) {
          letters++;
        } else {
          word = a[i] == '\'' || a[i] == '-';
        }
      }
      if (word && letters >= 2 && Cues.ANGER.valueOf(a, from, to, 0) != Cues.ACRONYM) {
        shouted++;
      }
    }
    return SHOUTED_WORDS[Math.min(shouted, SHOUTED_WORDS.length - 1)];
  }
}
