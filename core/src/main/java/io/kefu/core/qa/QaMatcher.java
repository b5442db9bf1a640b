package io.kefu.core.qa;

import io.kefu.schemas.Channel;
import io.kefu.schemas.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.ahocorasick.trie.PayloadTrie;

/**
 * The compiled text side of a rule set: one Aho-Corasick automaton over the normalised phrases and
 * exceptions of every rule (plus the literals that gate the regexes), and the regexes compiled
 * once. Thread-safe; {@link #match} allocates its own scratch state.
 */
final class QaMatcher {

  private static final byte PHRASE = 0;
  private static final byte EXCEPTION = 1;
  private static final byte TRIGGER = 2;

  /** What one keyword of the automaton stands for. */
  private record Entry(
      byte type, int rule, int regex, boolean boundaryStart, boolean boundaryEnd) {}

  /** One regex of a rule (a hit regex or an exception regex), with its gate. */
  private record Rx(int rule, QaRegex regex, boolean exception, boolean gated, int minDigits) {}

  private final List<QaRule> rules;
  private final QaAutomaton<Entry[]> automaton;

  /** Per role ordinal: whether any text rule applies to messages of that role. */
  private final boolean[] roleMatched = new boolean[Role.values().length];

  private final Rx[] regexes;

  QaMatcher(List<QaRule> rules) {
    this.rules = rules;
    Map<String, List<Entry>> keywords = new LinkedHashMap<>();
    List<Rx> rx = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      QaRule rule = rules.get(r);
      if (!rule.matchesText()) {
        continue;
      }
      for (Role role : Role.values()) {
        roleMatched[role.ordinal()] |= rule.roles().isEmpty() || rule.roles().contains(role);
      }
      for (String phrase : rule.allPhrases()) {
        add(keywords, phrase, PHRASE, r, -1);
      }
      for (String phrase : rule.exceptionPhrases()) {
        add(keywords, phrase, EXCEPTION, r, -1);
      }
      for (QaRegex regex : rule.regexes()) {
        rx.add(gated(keywords, rx.size(), r, regex, false));
      }
      for (QaRegex regex : rule.exceptionRegexes()) {
        rx.add(gated(keywords, rx.size(), r, regex, true));
      }
    }
    PayloadTrie.PayloadTrieBuilder<Entry[]> builder = PayloadTrie.builder();
    for (Map.Entry<String, List<Entry>> e : keywords.entrySet()) {
      builder.addKeyword(e.getKey(), e.getValue().toArray(new Entry[0]));
    }
    this.automaton = new QaAutomaton<>(builder.build());
    this.regexes = rx.toArray(new Rx[0]);
  }

  private static void add(
      Map<String, List<Entry>> keywords, String phrase, byte type, int rule, int regex) {
    String k = QaText.normalise(phrase);
    boolean start = type != TRIGGER && QaText.isWordChar(k.charAt(0));
    boolean end = type != TRIGGER && QaText.isWordChar(k.charAt(k.length() - 1));
    List<Entry> list = keywords.computeIfAbsent(k, x -> new ArrayList<>(1));
    Entry entry = new Entry(type, rule, regex, start, end);
    if (!list.contains(entry)) {
      list.add(entry);
    }
  }

  private static Rx gated(
      Map<String, List<Entry>> keywords, int index, int rule, QaRegex regex, boolean exception) {
    RegexGate gate = RegexGate.of(regex.pattern());
    if (gate.literals != null) {
      for (String literal : gate.literals) {
        add(keywords, literal, TRIGGER, rule, index);
      }
    }
    return new Rx(rule, regex, exception, gate.literals != null, gate.minDigits);
  }

  /** Whether the automaton scans in its flat form (see {@link QaAutomaton}). */
  boolean flat() {
    return automaton.flat();
  }

  /** Hits of one message: for each rule, the first hit that no exception of the rule overlaps. */
  static final class Hits {
    private final int[] start;
    private final int[] end;
    private final String[] text;

    Hits(int rules) {
      start = new int[rules];
      end = new int[rules];
      text = new String[rules];
    }

    /** The original text of rule {@code r}'s first surviving hit, or null. */
    String matched(int r) {
      return text[r];
    }

    boolean hit(int r) {
      return text[r] != null;
    }

    /** Start (in the original text) of rule {@code r}'s first surviving hit. */
    int start(int r) {
      return start[r];
    }

    int end(int r) {
      return end[r];
    }
  }

  /** Scratch state of one match: spans per rule, as {@code start, end} pairs. */
  private static final class Spans {
    final int[][] hits;
    final int[] hitCount;
    final int[][] exceptions;
    final int[] exceptionCount;
    final boolean[] triggered;

    Spans(int rules, int regexes) {
      hits = new int[rules][];
      hitCount = new int[rules];
      exceptions = new int[rules][];
      exceptionCount = new int[rules];
      triggered = new boolean[regexes];
    }

    void addHit(int r, int s, int e) {
      hits[r] = push(hits[r], hitCount[r]++, s, e);
    }

    void addException(int r, int s, int e) {
      exceptions[r] = push(exceptions[r], exceptionCount[r]++, s, e);
    }

    private static int[] push(int[] a, int n, int s, int e) {
      if (a == null) {
        a = new int[4];
      } else if (2 * n + 2 > a.length) {
        a = Arrays.copyOf(a, a.length * 2);
      }
      a[2 * n] = s;
      a[2 * n + 1] = e;
      return a;
    }
  }

  /**
   * Matches one message against every text rule in scope for its role, channel and queue. The
   * result says, per rule, whether a phrase or regex hit that no exception of the rule overlaps.
   */
  Hits match(String raw, Role role, Channel channel, String queue) {
    Hits out = new Hits(rules.size());
    if (raw == null || raw.isEmpty() || (role != null && !roleMatched[role.ordinal()])) {
      return out;
    }
    QaText t = QaText.of(raw);
    String norm = t.normalised;
    byte[] scope = new byte[rules.size()]; // 0 unknown, 1 in scope, 2 out of scope
    Spans spans = new Spans(rules.size(), regexes.length);
    PhraseSink sink = new PhraseSink(spans, scope, role, channel, queue, norm);
    automaton.scan(norm, sink);
    boolean any = sink.any;
    for (int i = 0; i < regexes.length; i++) {
      Rx x = regexes[i];
      if (x.exception
          || (x.gated && !spans.triggered[i])
          || t.digits < x.minDigits
          || !inScope(scope, x.rule, role, channel, queue)) {
        continue;
      }
      Matcher m = x.regex.compiled().matcher(norm);
      while (m.find()) {
        if (m.end() > m.start() && x.regex.accepts(norm.subSequence(m.start(), m.end()))) {
          spans.addHit(x.rule, m.start(), m.end());
          any = true;
        }
      }
    }
    if (!any) {
      return out;
    }
    for (int i = 0; i < regexes.length; i++) {
      Rx x = regexes[i];
      if (!x.exception || spans.hitCount[x.rule] == 0) {
        continue;
      }
      Matcher m = x.regex.compiled().matcher(norm);
      while (m.find()) {
        if (m.end() > m.start()) {
          spans.addException(x.rule, m.start(), m.end());
        }
      }
    }
    for (int r = 0; r < rules.size(); r++) {
      int n = spans.hitCount[r];
      int best = -1;
      for (int h = 0; h < n; h++) {
        int s = spans.hits[r][2 * h];
        int e = spans.hits[r][2 * h + 1];
        if (covered(spans, r, s, e)) {
          continue;
        }
        if (best < 0
            || s < spans.hits[r][2 * best]
            || (s == spans.hits[r][2 * best] && e > spans.hits[r][2 * best + 1])) {
          best = h;
        }
      }
      if (best >= 0) {
        int s = spans.hits[r][2 * best];
        int e = spans.hits[r][2 * best + 1];
        out.start[r] = t.origin[s];
        out.end[r] = t.origin[e - 1] + 1;
        out.text[r] = t.original(s, e);
      }
    }
    return out;
  }

  /** Sorts the automaton's keyword occurrences into phrase hits, exceptions and regex gates. */
  private final class PhraseSink implements QaAutomaton.Sink<Entry[]> {
    final Spans spans;
    final byte[] scope;
    final Role role;
    final Channel channel;
    final String queue;
    final String norm;
    boolean any;

    PhraseSink(Spans spans, byte[] scope, Role role, Channel channel, String queue, String norm) {
      this.spans = spans;
      this.scope = scope;
      this.role = role;
      this.channel = channel;
      this.queue = queue;
      this.norm = norm;
    }

    @Override
    public void hit(int s, int e, Entry[] entries) {
      for (Entry entry : entries) {
        if (!inScope(scope, entry.rule, role, channel, queue)) {
          continue;
        }
        if (entry.type == TRIGGER) {
          spans.triggered[entry.regex] = true;
          continue;
        }
        if ((entry.boundaryStart && s > 0 && QaText.isWordChar(norm.charAt(s - 1)))
            || (entry.boundaryEnd && e < norm.length() && QaText.isWordChar(norm.charAt(e)))) {
          continue;
        }
        if (entry.type == PHRASE) {
          spans.addHit(entry.rule, s, e);
          any = true;
        } else {
          spans.addException(entry.rule, s, e);
        }
      }
    }
  }

  private static boolean covered(Spans spans, int r, int s, int e) {
    int[] x = spans.exceptions[r];
    for (int k = 0; k < spans.exceptionCount[r]; k++) {
      if (x[2 * k] < e && s < x[2 * k + 1]) {
        return true;
      }
    }
    return false;
  }

  private boolean inScope(byte[] scope, int r, Role role, Channel channel, String queue) {
    if (scope[r] == 0) {
      scope[r] = rules.get(r).applies(role, channel, queue) ? (byte) 1 : (byte) 2;
    }
    return scope[r] == 1;
  }
}
