package io.kefu.core.sentiment;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable set of phrases with an int value each, matched case-insensitively (ASCII) in a char
 * array without allocating. Phrases are kept only as 64-bit hashes plus, per first character, a
 * mask of the phrase lengths that start with it, so a match costs one probe per candidate length. A
 * phrase that begins (ends) with an ASCII letter or digit only matches where the text has no ASCII
 * letter or digit just before (after) it, so "sue" does not match inside "issue".
 */
final class PhraseTable {
  static final int MAX_LENGTH = 31;

  private final long[] keys;
  private final int[] values;
  private final int keyShift;
  private final char[] firstChars;
  private final int[] lengthMasks;
  private final int firstShift;
  private final int size;

  private final int maxLength;

  /** Bloom-style filter of the first two characters of phrases of two or more characters. */
  private final long[] pairs = new long[PAIR_BITS >>> 6];

  private static final int PAIR_BITS = 1 << 17;

  /** One phrase as stored: its hash, folded first character, length and value. */
  record Entry(long hash, char first, int length, int value, int pair) {
    Entry(long hash, char first, int length, int value) {
      this(hash, first, length, value, -1);
    }

    static Entry of(String phrase, int value) {
      int pair =
          phrase.length() < 2
              ? -1
              : (Hashing.fold(phrase.charAt(0)) << 16) | Hashing.fold(phrase.charAt(1));
      return new Entry(
          nonZero(Hashing.phrase(phrase)),
          Hashing.fold(phrase.charAt(0)),
          phrase.length(),
          value,
          pair);
    }
  }

  private static int pairBit(int pair) {
    return (int) (Hashing.mix(pair) >>> (64 - 17));
  }

  private PhraseTable(List<Entry> entries, long[] pairFilter) {
    this(entries);
    if (pairFilter.length != pairs.length) {
      throw new IllegalArgumentException(
          "pair filter of " + pairFilter.length + " words, expected " + pairs.length);
    }
    System.arraycopy(pairFilter, 0, pairs, 0, pairs.length);
  }

  private PhraseTable(List<Entry> entries) {
    int n = entries.size();
    int cap = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap];
    keyShift = 64 - Integer.numberOfTrailingZeros(cap);
    firstChars = new char[cap];
    lengthMasks = new int[cap];
    firstShift = keyShift;
    int added = 0;
    int longest = 0;
    for (Entry e : entries) {
      if (e.length() < 1 || e.length() > MAX_LENGTH) {
        throw new IllegalArgumentException("phrase length " + e.length() + " not in [1, 31]");
      }
      long h = nonZero(e.hash());
      int slot = (int) (h >>> keyShift);
      while (keys[slot] != 0 && keys[slot] != h) {
        slot = (slot + 1) & (cap - 1);
      }
      if (keys[slot] == 0) {
        added++;
      }
      keys[slot] = h;
      values[slot] = e.value();
      int fs = firstSlot(e.first());
      firstChars[fs] = e.first();
      lengthMasks[fs] |= 1 << e.length();
      if (e.length() >= 2 && e.pair() != -1) {
        int bit = pairBit(e.pair());
        pairs[bit >>> 6] |= 1L << bit;
      }
      longest = Math.max(longest, e.length());
    }
    size = added;
    maxLength = longest;
    this.entries = List.copyOf(entries);
  }

  private final List<Entry> entries;

  /** A table of the given phrases; phrases longer than {@link #MAX_LENGTH} are dropped. */
  static PhraseTable of(Map<String, Integer> phrases) {
    List<Entry> list = new ArrayList<>();
    for (Map.Entry<String, Integer> e : new TreeMap<>(phrases).entrySet()) {
      if (!e.getKey().isEmpty() && e.getKey().length() <= MAX_LENGTH) {
        list.add(Entry.of(e.getKey(), e.getValue()));
      }
    }
    return new PhraseTable(list);
  }

  /** Writes the entries in hash order (so equal tables write equal bytes). */
  void write(DataOutput out) throws IOException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::hash).thenComparingInt(Entry::value));
    out.writeInt(sorted.size());
    for (Entry e : sorted) {
      out.writeLong(e.hash());
      out.writeChar(e.first());
      out.writeByte(e.length());
      out.writeInt(e.value());
    }
    for (long p : pairs) {
      out.writeLong(p);
    }
  }

  static PhraseTable read(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 10_000_000) {
      throw new IOException("phrase table size " + n + " out of range");
    }
    List<Entry> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(new Entry(in.readLong(), in.readChar(), in.readUnsignedByte(), in.readInt()));
    }
    long[] filter = new long[PAIR_BITS >>> 6];
    for (int i = 0; i < filter.length; i++) {
      filter[i] = in.readLong();
    }
    try {
      return new PhraseTable(list, filter);
    } catch (IllegalArgumentException e) {
      throw new IOException("bad phrase table: " + e.getMessage(), e);
    }
  }

  int size() {
    return size;
  }

  private static long nonZero(long h) {
    return h == 0 ? 1 : h;
  }

  private int firstSlot(char f) {
    int mask = firstChars.length - 1;
    int slot = (int) (((f + 1) * 0x9E3779B97F4A7C15L) >>> firstShift);
    while (lengthMasks[slot] != 0 && firstChars[slot] != f) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private int lengthMask(char c) {
    char f = Hashing.fold(c);
    int mask = firstChars.length - 1;
    int slot = (int) (((f + 1) * 0x9E3779B97F4A7C15L) >>> firstShift);
    int m;
    while ((m = lengthMasks[slot]) != 0) {
      if (firstChars[slot] == f) {
        return m;
      }
      slot = (slot + 1) & mask;
    }
    return 0;
  }

  private int find(long h) {
    h = nonZero(h);
    int mask = keys.length - 1;
    int slot = (int) (h >>> keyShift);
    long k;
    while ((k = keys[slot]) != 0) {
      if (k == h) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  static boolean isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean boundaryOk(char[] a, int from, int to, int begin, int end) {
    if (isAsciiAlnum(a[from]) && from > begin && isAsciiAlnum(a[from - 1])) {
      return false;
    }
    return !(isAsciiAlnum(a[to - 1]) && to < end && isAsciiAlnum(a[to]));
  }

  /**
   * The longest phrase starting at {@code a[pos]} and ending by {@code end}: {@code (length << 32)
   * | (value & 0xffffffffL)}, or -1 when none does.
   */
  long longestAt(char[] a, int pos, int begin, int end) {
    int lengths = lengthMask(a[pos]);
    if (lengths == 0) {
      return -1;
    }
    int maxLen = Math.min(31 - Integer.numberOfLeadingZeros(lengths), end - pos);
    if (maxLen >= 2) {
      int bit = pairBit((Hashing.fold(a[pos]) << 16) | Hashing.fold(a[pos + 1]));
      if ((pairs[bit >>> 6] & (1L << bit)) == 0) {
        maxLen = 1; // no phrase of two or more characters starts with this pair
      }
    }
    long h = Hashing.FNV_OFFSET;
    long best = -1;
    for (int len = 1; len <= maxLen; len++) {
      h = Hashing.step(h, Hashing.fold(a[pos + len - 1]));
      if ((lengths & (1 << len)) != 0) {
        int slot = find(Hashing.mix(h));
        if (slot >= 0 && boundaryOk(a, pos, pos + len, begin, end)) {
          best = ((long) len << 32) | (values[slot] & 0xffffffffL);
        }
      }
    }
    return best;
  }

  /**
   * The longest phrase ending just before {@code a[end]} and starting at or after {@code begin}, in
   * the same packed form as {@link #longestAt}, or -1.
   */
  long longestEndingAt(char[] a, int end, int begin) {
    for (int len = Math.min(maxLength, end - begin); len >= 1; len--) {
      int from = end - len;
      if ((lengthMask(a[from]) & (1 << len)) != 0) {
        int slot = find(Hashing.phrase(a, from, end));
        if (slot >= 0) {
          return ((long) len << 32) | (values[slot] & 0xffffffffL);
        }
      }
    }
    return -1;
  }

  /** The value of exactly the phrase {@code a[from, to)}, or {@code missing}. */
  int valueOf(char[] a, int from, int to, int missing) {
    if (to - from > MAX_LENGTH || to <= from || (lengthMask(a[from]) & (1 << (to - from))) == 0) {
      return missing;
    }
    int slot = find(Hashing.phrase(a, from, to));
    return slot < 0 ? missing : values[slot];
  }
}
