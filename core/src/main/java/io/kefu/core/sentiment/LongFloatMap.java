package io.kefu.core.sentiment;

/** An immutable open-addressing map from 64-bit phrase hashes to floats; absent keys give NaN. */
final class LongFloatMap {
  private final long[] keys;
  private final float[] values;
  private final int shift;

  LongFloatMap(long[] hashes, float[] vals) {
    int cap = Integer.highestOneBit(Math.max(4, hashes.length * 2 - 1)) << 1;
    keys = new long[cap];
    values = new float[cap];
    shift = 64 - Integer.numberOfTrailingZeros(cap);
    for (int i = 0; i < hashes.length; i++) {
      long h = hashes[i] == 0 ? 1 : hashes[i];
      int slot = (int) (h >>> shift);
      while (keys[slot] != 0 && keys[slot] != h) {
        slot = (slot + 1) & (cap - 1);
      }
      keys[slot] = h;
      values[slot] = vals[i];
    }
  }

  static LongFloatMap of(String[] words, float[] vals) {
    long[] h = new long[words.length];
    for (int i = 0; i < words.length; i++) {
      h[i] = Hashing.phrase(words[i]);
    }
    return new LongFloatMap(h, vals);
  }

  float get(long h) {
    h = h == 0 ? 1 : h;
    int mask = keys.length - 1;
    int slot = (int) (h >>> shift);
    long k;
    while ((k = keys[slot]) != 0) {
      if (k == h) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    return Float.NaN;
  }

  boolean contains(long h) {
    return !Float.isNaN(get(h));
  }
}
