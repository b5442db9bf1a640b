package io.kefu.core.qa;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ahocorasick.trie.Payload;
import org.ahocorasick.trie.PayloadEmit;
import org.ahocorasick.trie.PayloadState;
import org.ahocorasick.trie.PayloadTrie;

/**
 * The Aho-Corasick automaton built by org.ahocorasick's {@link PayloadTrie} (goto, failure and
 * output sets, the library's own construction), laid out in flat arrays for scanning. The library's
 * {@code parseText} looks up each character in a {@code HashMap<Character, State>}, boxing every
 * CJK character; the flat form reads the same states from an open-addressing table and a direct
 * table for the root, about five times faster. Should the library's layout change (the root state
 * is read reflectively), scanning falls back to {@code parseText}.
 */
final class QaAutomaton<T> {

  /** Receives each keyword occurrence: normalised {@code [start, end)} and its payload. */
  interface Sink<T> {
    void hit(int start, int end, T payload);
  }

  private final PayloadTrie<T> trie;
  // flat form (null when the library's root state could not be read)
  private final int[] rootNext;

  /** Characters of any keyword: any other character sends the automaton straight to the root. */
  private final boolean[] alphabet;

  private final long[] keys;
  private final int[] values;
  private final int mask;
  private final int[] failure;
  private final int[][] outLength;
  private final Object[][] outPayload;

  QaAutomaton(PayloadTrie<T> trie) {
    this.trie = trie;
    PayloadState<T> root = root(trie);
    if (root == null) {
      rootNext = null;
      alphabet = null;
      keys = null;
      values = null;
      mask = 0;
      failure = null;
      outLength = null;
      outPayload = null;
      return;
    }
    Map<PayloadState<T>, Integer> ids = new IdentityHashMap<>();
    List<PayloadState<T>> states = new ArrayList<>();
    ArrayDeque<PayloadState<T>> queue = new ArrayDeque<>();
    ids.put(root, 0);
    states.add(root);
    queue.add(root);
    int transitions = 0;
    while (!queue.isEmpty()) {
      PayloadState<T> s = queue.poll();
      for (Character c : s.getTransitions()) {
        PayloadState<T> child = s.nextStateIgnoreRootState(c);
        transitions++;
        if (!ids.containsKey(child)) {
          ids.put(child, states.size());
          states.add(child);
          queue.add(child);
        }
      }
    }
    int size = Integer.highestOneBit(Math.max(16, transitions * 2 - 1)) << 1;
    keys = new long[size];
    values = new int[size];
    java.util.Arrays.fill(keys, -1L);
    mask = size - 1;
    rootNext = new int[65536];
    alphabet = new boolean[65536];
    failure = new int[states.size()];
    outLength = new int[states.size()][];
    outPayload = new Object[states.size()][];
    for (int id = 0; id < states.size(); id++) {
      PayloadState<T> s = states.get(id);
      for (Character c : s.getTransitions()) {
        int child = ids.get(s.nextStateIgnoreRootState(c));
        alphabet[c] = true;
        if (id == 0) {
          rootNext[c] = child;
        } else {
          put(((long) id << 16) | c, child);
        }
      }
      PayloadState<T> f = s.failure();
      failure[id] = f == null ? 0 : ids.get(f);
      Collection<Payload<T>> emits = s.emit();
      if (!emits.isEmpty()) {
        outLength[id] = new int[emits.size()];
        outPayload[id] = new Object[emits.size()];
        int k = 0;
        for (Payload<T> p : emits) {
          outLength[id][k] = p.getKeyword().length();
          outPayload[id][k++] = p.getData();
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> PayloadState<T> root(PayloadTrie<T> trie) {
    try {
      Field f = PayloadTrie.class.getDeclaredField("rootState");
      f.setAccessible(true);
      return (PayloadState<T>) f.get(trie);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Whether scanning uses the flat form (false: the library's parseText). */
  boolean flat() {
    return rootNext != null;
  }

  private void put(long key, int value) {
    int i = mix(key) & mask;
    while (keys[i] != -1L) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
  }

  private int get(long key) {
    int i = mix(key) & mask;
    long k;
    while ((k = keys[i]) != -1L) {
      if (k == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29));
  }

  /** Reports every keyword occurrence in {@code text}, overlapping ones included. */
  @SuppressWarnings("unchecked")
  void scan(String text, Sink<T> sink) {
    if (rootNext == null) {
      for (PayloadEmit<T> e : trie.parseText(text)) {
        sink.hit(e.getStart(), e.getEnd() + 1, e.getPayload());
      }
      return;
    }
    int state = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (!alphabet[c]) {
        state = 0;
        continue;
      }
      int next;
      while (true) {
        next = state == 0 ? rootNext[c] : get(((long) state << 16) | c);
        if (next > 0 || state == 0) {
          break;
        }
        state = failure[state];
      }
      state = next;
      int[] lengths = outLength[state];
      if (lengths != null) {
        Object[] payloads = outPayload[state];
        for (int k = 0; k < lengths.length; k++) {
          sink.hit(i + 1 - lengths[k], i + 1, (T) payloads[k]);
        }
      }
    }
  }
}
