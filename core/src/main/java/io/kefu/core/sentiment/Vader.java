package io.kefu.core.sentiment;

/**
 * VADER (Hutto and Gilbert, 2014; vaderSentiment 3.3) over the Latin-script part of a message: the
 * lexicon valence of each word, boosters and dampeners in the three words before it (0.293, scaled
 * 0.95 and 0.9 by distance), ALL-CAPS emphasis (0.733) when the message mixes case, negation in the
 * three words before it (x -0.74; "never so/this" x 1.25), "least", "no" before a lexicon word, the
 * "but" shift (x 0.5 before, x 1.5 after), exclamation marks (0.292 each, up to 4) and question
 * marks (0.18 each for 2-3, 0.96 for more), and the compound x / sqrt(x^2 + 15).
 *
 * <p>Deviations: CJK characters, CJK punctuation and emoji separate words; a word stripped of
 * punctuation keeps the stripped form when it is all letters ("no!" is "no"; VADER keeps tokens of
 * two characters or fewer unstripped); full-width '！' and '？' count like '!' and '?'; the idiom
 * list and emoji descriptions are not included (emoji valence comes from {@link Emoji}).
 */
final class Vader {
  static final double B_INCR = 0.293;
  static final double B_DECR = -0.293;
  static final double C_INCR = 0.733;
  static final double N_SCALAR = -0.74;

  private static final String[] NEGATE = {
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite"
  };

  private static final String[] BOOST_UP = {
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerable",
    "considerably",
    "decidedly",
    "deeply",
    "effing",
    "enormous",
    "enormously",
    "entirely",
    "especially",
    "exceptional",
    "exceptionally",
    "extreme",
    "extremely",
    "fabulously",
    "flipping",
    "flippin",
    "frackin",
    "fracking",
    "fricking",
    "frickin",
    "frigging",
    "friggin",
    "fully",
    "fuckin",
    "fucking",
    "fuggin",
    "fugging",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredible",
    "incredibly",
    "intensely",
    "major",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "total",
    "totally",
    "tremendous",
    "tremendously",
    "uber",
    "unbelievably",
    "unusually",
    "utter",
    "utterly",
    "very"
  };

  private static final String[] BOOST_DOWN = {
    "almost",
    "barely",
    "hardly",
    "kinda",
    "kindof",
    "kind-of",
    "less",
    "little",
    "marginal",
    "marginally",
    "occasional",
    "occasionally",
    "partly",
    "scarce",
    "scarcely",
    "slight",
    "slightly",
    "somewhat",
    "sorta",
    "sortof",
    "sort-of"
  };

  private static final LongFloatMap BOOSTERS;
  private static final LongFloatMap NEGATIONS;

  static {
    String[] words = new String[BOOST_UP.length + BOOST_DOWN.length];
    float[] vals = new float[words.length];
    for (int i = 0; i < BOOST_UP.length; i++) {
      words[i] = BOOST_UP[i];
      vals[i] = (float) B_INCR;
    }
    for (int i = 0; i < BOOST_DOWN.length; i++) {
      words[BOOST_UP.length + i] = BOOST_DOWN[i];
      vals[BOOST_UP.length + i] = (float) B_DECR;
    }
    BOOSTERS = LongFloatMap.of(words, vals);
    float[] ones = new float[NEGATE.length];
    java.util.Arrays.fill(ones, 1f);
    NEGATIONS = LongFloatMap.of(NEGATE, ones);
  }

  private static final long NO = Hashing.phrase("no");
  private static final long OR = Hashing.phrase("or");
  private static final long NOR = Hashing.phrase("nor");
  private static final long NEVER = Hashing.phrase("never");
  private static final long SO = Hashing.phrase("so");
  private static final long THIS = Hashing.phrase("this");
  private static final long WITHOUT = Hashing.phrase("without");
  private static final long DOUBT = Hashing.phrase("doubt");
  private static final long LEAST = Hashing.phrase("least");
  private static final long AT = Hashing.phrase("at");
  private static final long VERY = Hashing.phrase("very");
  private static final long BUT = Hashing.phrase("but");
  private static final long KIND = Hashing.phrase("kind");
  private static final long OF = Hashing.phrase("of");

  private Vader() {}

  private static boolean isPunct(char c) {
    return (c >= '!' && c <= '/')
        || (c >= ':' && c <= '@')
        || (c >= '[' && c <= '`')
        || (c >= '{' && c <= '~');
  }

  private static boolean separates(char c) {
    return Character.isWhitespace(c)
        || Scratch.isCjk(c)
        || (c >= 0x3000 && c <= 0x303F)
        || Character.isSurrogate(c)
        || (c >= 0x2600 && c <= 0x27BF)
        || c == 0xFE0F;
  }

  /** Splits {@code s.text} into VADER words (into the scratch token arrays). */
  static void tokenize(Scratch s) {
    char[] a = s.text;
    int n = s.length;
    int k = 0;
    int i = 0;
    while (i < n) {
      while (i < n && separates(a[i])) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int from = i;
      while (i < n && !separates(a[i])) {
        i++;
      }
      int to = i;
      int f = from;
      int t = to;
      while (f < t && isPunct(a[f])) {
        f++;
      }
      while (t > f && isPunct(a[t - 1])) {
        t--;
      }
      boolean letters = t > f;
      for (int j = f; j < t && letters; j++) {
        letters = Character.isLetter(a[j]) || a[j] == '\'' || a[j] == '-';
      }
      if (!(t - f > 2 || letters)) {
        f = from;
        t = to;
      }
      boolean cased = false;
      boolean lower = false;
      for (int j = f; j < t; j++) {
        char c = a[j];
        if (Character.isLowerCase(c)) {
          lower = true;
        } else if (Character.isUpperCase(c)) {
          cased = true;
        }
      }
      s.tokenFrom[k] = f;
      s.tokenTo[k] = t;
      s.tokenHash[k] = Hashing.phrase(a, f, t);
      s.tokenUpper[k] = cased && !lower;
      k++;
    }
    s.tokens = k;
  }

  private static boolean negated(Scratch s, int j) {
    if (NEGATIONS.contains(s.tokenHash[j])) {
      return true;
    }
    char[] a = s.text;
    for (int i = s.tokenFrom[j]; i + 2 < s.tokenTo[j]; i++) {
      if (Hashing.fold(a[i]) == 'n'
          && (a[i + 1] == '\'' || a[i + 1] == '\u2019')
          && Hashing.fold(a[i + 2]) == 't') {
        return true;
      }
    }
    return false;
  }

  /**
   * The summed valence of the tokens (before the punctuation amplifier) plus {@code extra}, or NaN
   * when no token carried valence and {@code extra} is zero. Call {@link #tokenize} first.
   */
  static double sum(Scratch s, LongFloatMap lexicon) {
    int n = s.tokens;
    if (n == 0) {
      return 0;
    }
    int upper = 0;
    for (int i = 0; i < n; i++) {
      if (s.tokenUpper[i]) {
        upper++;
      }
    }
    boolean capDiff = upper > 0 && upper < n;
    long[] h = s.tokenHash;
    double[] val = s.valence;
    int but = -1;
    for (int i = 0; i < n; i++) {
      if (but < 0 && h[i] == BUT) {
        but = i;
      }
      val[i] = valence(s, lexicon, i, capDiff);
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double v = val[i];
      if (but >= 0) {
        v = i < but ? v * 0.5 : i > but ? v * 1.5 : v;
      }
      sum += v;
    }
    return sum;
  }

  private static double valence(Scratch s, LongFloatMap lexicon, int i, boolean capDiff) {
    long[] h = s.tokenHash;
    int n = s.tokens;
    if (BOOSTERS.contains(h[i]) || (h[i] == KIND && i + 1 < n && h[i + 1] == OF)) {
      return 0;
    }
    float lex = lexicon.get(h[i]);
    if (Float.isNaN(lex)) {
      return 0;
    }
    double valence = lex;
    if (h[i] == NO && i != n - 1 && lexicon.contains(h[i + 1])) {
      valence = 0;
    }
    if ((i > 0 && h[i - 1] == NO)
        || (i > 1 && h[i - 2] == NO)
        || (i > 2 && h[i - 3] == NO && (h[i - 1] == OR || h[i - 1] == NOR))) {
      valence = lex * N_SCALAR;
    }
    if (s.tokenUpper[i] && capDiff) {
      valence += valence > 0 ? C_INCR : -C_INCR;
    }
    for (int start = 0; start < 3; start++) {
      int j = i - (start + 1);
      if (j >= 0 && !lexicon.contains(h[j])) {
        double scalar = scalar(s, j, valence, capDiff);
        if (start == 1) {
          scalar *= 0.95;
        } else if (start == 2) {
          scalar *= 0.9;
        }
        valence += scalar;
        valence = negationCheck(s, valence, start, i);
      }
    }
    // "least": negation unless "at least" / "very least"
    if (i > 1 && !lexicon.contains(h[i - 1]) && h[i - 1] == LEAST) {
      if (h[i - 2] != AT && h[i - 2] != VERY) {
        valence *= N_SCALAR;
      }
    } else if (i > 0 && !lexicon.contains(h[i - 1]) && h[i - 1] == LEAST) {
      valence *= N_SCALAR;
    }
    return valence;
  }

  private static double scalar(Scratch s, int j, double valence, boolean capDiff) {
    float b = BOOSTERS.get(s.tokenHash[j]);
    if (Float.isNaN(b)) {
      return 0;
    }
    double scalar = valence < 0 ? -b : b;
    if (s.tokenUpper[j] && capDiff) {
      scalar += valence > 0 ? C_INCR : -C_INCR;
    }
    return scalar;
  }

  private static double negationCheck(Scratch s, double valence, int start, int i) {
    long[] h = s.tokenHash;
    if (start == 0) {
      return negated(s, i - 1) ? valence * N_SCALAR : valence;
    }
    if (start == 1) {
      if (h[i - 2] == NEVER && (h[i - 1] == SO || h[i - 1] == THIS)) {
        return valence * 1.25;
      }
      if (h[i - 2] == WITHOUT && h[i - 1] == DOUBT) {
        return valence;
      }
      return negated(s, i - 2) ? valence * N_SCALAR : valence;
    }
    if (h[i - 3] == NEVER
        && (h[i - 2] == SO || h[i - 2] == THIS || h[i - 1] == SO || h[i - 1] == THIS)) {
      return valence * 1.25;
    }
    if (h[i - 3] == WITHOUT && (h[i - 2] == DOUBT || h[i - 1] == DOUBT)) {
      return valence;
    }
    return negated(s, i - 3) ? valence * N_SCALAR : valence;
  }

  /** VADER's punctuation emphasis: '!' 0.292 each up to 4; '?' 0.18 each for 2-3, 0.96 beyond. */
  static double punctuationEmphasis(Scratch s) {
    int ep = 0;
    int qm = 0;
    char[] a = s.text;
    for (int i = 0; i < s.length; i++) {
      if (a[i] == '!') {
        ep++;
      } else if (a[i] == '?') {
        qm++;
      }
    }
    double amp = Math.min(ep, 4) * 0.292;
    if (qm > 1) {
      amp += qm <= 3 ? qm * 0.18 : 0.96;
    }
    return amp;
  }

  /** VADER's normalisation x / sqrt(x^2 + 15), clamped to [-1, 1]. */
  static double normalize(double x) {
    double v = x / Math.sqrt(x * x + 15);
    return Math.max(-1, Math.min(1, v));
  }
}
