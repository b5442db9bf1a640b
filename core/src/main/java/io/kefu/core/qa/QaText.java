package io.kefu.core.qa;

/**
 * A message text normalised for matching, with a map back to the original: full-width forms and the
 * ideographic space become half-width, curly quotes straight, letters lower case; runs of
 * whitespace collapse to one space, and whitespace next to a CJK character (or at either end) is
 * removed, so that "您 好" matches "您好" and "Not my\nproblem" matches "not my problem".
 */
final class QaText {
  final String text;
  final String normalised;

  /** {@code origin[i]} is the index in {@code text} of normalised character {@code i}. */
  final int[] origin;

  /** Number of ASCII digits (after folding). */
  final int digits;

  private QaText(String text, String normalised, int[] origin, int digits) {
    this.text = text;
    this.normalised = normalised;
    this.origin = origin;
    this.digits = digits;
  }

  /** {@link #fold} of every UTF-16 unit, with whitespace folded to ' '. */
  private static final char[] FOLD = new char[65536];

  static {
    for (int c = 0; c < 65536; c++) {
      char f = foldSlow((char) c);
      FOLD[c] = isSpaceSlow(f) ? ' ' : f;
    }
  }

  static QaText of(String text) {
    int n = text.length();
    char[] out = new char[n];
    int[] origin = new int[n];
    int len = 0;
    int digits = 0;
    int i = 0;
    while (i < n) {
      char c = FOLD[text.charAt(i)];
      if (c == ' ') {
        int start = i;
        while (i < n && FOLD[text.charAt(i)] == ' ') {
          i++;
        }
        if (len > 0 && i < n && !isCjk(out[len - 1]) && !isCjk(FOLD[text.charAt(i)])) {
          out[len] = ' ';
          origin[len++] = start;
        }
        continue;
      }
      if (c >= '0' && c <= '9') {
        digits++;
      }
      out[len] = c;
      origin[len++] = i++;
    }
    return new QaText(text, new String(out, 0, len), origin, digits);
  }

  /** Normalises a phrase of a rule file (the same way as a message). */
  static String normalise(String phrase) {
    return of(phrase).normalised;
  }

  /** The original text behind normalised characters {@code [start, end)}. */
  String original(int start, int end) {
    return text.substring(origin[start], origin[end - 1] + 1);
  }

  static char fold(char c) {
    return FOLD[c];
  }

  private static char foldSlow(char c) {
    if (c >= '\uFF01' && c <= '\uFF5E') {
      c = (char) (c - 0xFEE0);
    } else if (c == '\u3000') {
      return ' ';
    } else if (c == '\u2018' || c == '\u2019') {
      return '\'';
    } else if (c == '\u201C' || c == '\u201D') {
      return '"';
    }
    if (c < 128) {
      return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
    return Character.toLowerCase(c);
  }

  private static boolean isSpaceSlow(char c) {
    return c == ' '
        || c == '\t'
        || c == '\n'
        || c == '\r'
        || c == '\u00A0'
        || c == '\u3000'
        || (c > 127 && Character.isWhitespace(c));
  }

  /** CJK ideographs, kana, Hangul, CJK punctuation and everything else above U+2E80. */
  static boolean isCjk(char c) {
    return c >= '\u2E80';
  }

  /** Letters and digits of Latin script: a phrase edge made of one needs a word boundary. */
  static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= '\u00C0' && c < '\u0250');
  }
}
