package io.kefu.core.sentiment;

/**
 * The hashes the model file depends on. Changing any of them changes every trained weight's index,
 * so they are part of the model format ({@link SentimentModel#FORMAT_VERSION}).
 */
final class Hashing {
  static final long FNV_OFFSET = 0xcbf29ce484222325L;
  static final long FNV_PRIME = 0x100000001b3L;

  private Hashing() {}

  /** splitmix64's finaliser: a cheap, well-mixed 64-bit hash of a packed key. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** One FNV-1a step over a UTF-16 unit (both bytes). */
  static long step(long h, char c) {
    return (h ^ c) * FNV_PRIME;
  }

  /** ASCII upper case to lower case; other characters unchanged. */
  static char fold(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** FNV-1a over the case-folded characters of {@code s}, then {@link #mix}. */
  static long phrase(CharSequence s) {
    long h = FNV_OFFSET;
    for (int i = 0; i < s.length(); i++) {
      h = step(h, fold(s.charAt(i)));
    }
    return mix(h);
  }

  /** FNV-1a over the case-folded {@code a[from, to)}, then {@link #mix}; equals {@link #phrase}. */
  static long phrase(char[] a, int from, int to) {
    long h = FNV_OFFSET;
    for (int i = from; i < to; i++) {
      h = step(h, fold(a[i]));
    }
    return mix(h);
  }

  /** FNV-1a of the whole review text, the held-out split key (see {@link HeldOutSplit}). */
  static long text(String s) {
    long h = FNV_OFFSET;
    for (int i = 0; i < s.length(); i++) {
      h = step(h, s.charAt(i));
    }
    return h;
  }
}
