package io.kefu.batch.profiles;

/**
 * Strings in UTF-8 byte order (= code point order), the order of Spark's string {@code max}, {@code
 * array_sort} and {@code mode}'s tie-break. Java's {@link String#compareTo} differs only where a
 * character outside the BMP meets one in U+E000..U+FFFF.
 */
final class Utf8Order {
  private Utf8Order() {}

  static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x >= Character.MIN_SURROGATE
            && y >= Character.MIN_SURROGATE
            && Character.isSurrogate(x) != Character.isSurrogate(y)) {
          return Character.isSurrogate(x) ? 1 : -1;
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  /** The greater of two strings, null being smaller than any (Spark's {@code max} skips nulls). */
  static String max(String a, String b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return compare(a, b) >= 0 ? a : b;
  }
}
