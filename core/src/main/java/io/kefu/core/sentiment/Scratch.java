package io.kefu.core.sentiment;

/**
 * Per-thread working arrays of the scorer, so scoring a message allocates nothing but its {@link
 * MessageScore}. Texts longer than {@link #RETAINED} get a private instance that is not kept.
 */
final class Scratch {
  static final int RETAINED = 1 << 14;
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(() -> new Scratch(256));

  /** Normalised text: full-width ASCII folded, zero-width characters removed, case kept. */
  char[] text;

  int length;

  /** The Chinese model's character stream: no whitespace, lower case, digits as '0'. */
  char[] stream;

  int streamLength;
  int cjk;
  int latinWords;

  int[] tokenFrom;
  int[] tokenTo;
  long[] tokenHash;
  boolean[] tokenUpper;
  double[] valence;
  int tokens;
  final double[] dense = new double[ChineseFeatures.DENSE + 1];

  private Scratch(int capacity) {
    text = new char[capacity];
    stream = new char[capacity];
    tokenFrom = new int[capacity / 2 + 1];
    tokenTo = new int[capacity / 2 + 1];
    tokenHash = new long[capacity / 2 + 1];
    tokenUpper = new boolean[capacity / 2 + 1];
    valence = new double[capacity / 2 + 1];
  }

  static Scratch forLength(int n) {
    if (n > RETAINED) {
      return new Scratch(n);
    }
    Scratch s = LOCAL.get();
    if (s.text.length < n) {
      s = new Scratch(Integer.highestOneBit(n) << 1);
      LOCAL.set(s);
    }
    return s;
  }

  /** Full-width ASCII to ASCII, ideographic space to space; 0 for characters to drop. */
  static char normalize(char c) {
    if (c >= 0xFF01 && c <= 0xFF5E) {
      return (char) (c - 0xFEE0);
    }
    if (c == 0x3000) {
      return ' ';
    }
    if (c == 0xFEFF || (c >= 0x200B && c <= 0x200F) || c == 0) {
      return 0;
    }
    return c;
  }

  static boolean isCjk(char c) {
    return (c >= 0x4E00 && c <= 0x9FFF)
        || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0xF900 && c <= 0xFAFF);
  }

  static boolean isLatinLetter(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
  }

  /** A phrase normalised the way {@link #load} normalises text (case kept). */
  static String normalizedPhrase(String p) {
    StringBuilder sb = new StringBuilder(p.length());
    for (int i = 0; i < p.length(); i++) {
      char c = normalize(p.charAt(i));
      if (c != 0) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A phrase in the Chinese model's stream form: no whitespace, lower case, digits as '0'. */
  static String streamForm(String p) {
    StringBuilder sb = new StringBuilder(p.length());
    for (int i = 0; i < p.length(); i++) {
      char c = normalize(p.charAt(i));
      if (c != 0 && !Character.isWhitespace(c)) {
        sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : (c >= '0' && c <= '9') ? '0' : c);
      }
    }
    return sb.toString();
  }

  /** Fills {@link #text}, {@link #stream} and the script counts from {@code s}. */
  void load(String s) {
    int n = 0;
    int m = 0;
    int han = 0;
    int words = 0;
    boolean inWord = false;
    char[] t = text;
    char[] z = stream;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = normalize(s.charAt(i));
      if (c == 0) {
        continue;
      }
      t[n++] = c;
      boolean letter = isLatinLetter(c);
      if (letter && !inWord) {
        words++;
      }
      inWord = letter || (inWord && c == '\'');
      if (isCjk(c)) {
        han++;
      }
      if (!Character.isWhitespace(c)) {
        char f = c >= 'A' && c <= 'Z' ? (char) (c + 32) : (c >= '0' && c <= '9') ? '0' : c;
        z[m++] = f;
      }
    }
    length = n;
    streamLength = m;
    cjk = han;
    latinWords = words;
    tokens = 0;
  }
}
