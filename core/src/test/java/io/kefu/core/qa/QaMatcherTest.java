package io.kefu.core.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import org.ahocorasick.trie.PayloadEmit;
import org.ahocorasick.trie.PayloadTrie;
import org.junit.jupiter.api.Test;

class QaMatcherTest {

  static String resource(String path) throws IOException {
    try (InputStream in = QaMatcherTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The default rules plus the benchmark's regex-heavy rules. */
  static QaRuleSet benchRules() throws IOException {
    return QaRuleSet.parse(
        resource("/io/kefu/core/qa/default-rules.yaml")
            + resource("/io/kefu/core/qa/bench-extra-rules.yaml"),
        "bench");
  }

  /** Texts that exercise the rules: phrases, digits, near misses, random mixes. */
  static List<String> texts(QaRuleSet rules) {
    List<String> out = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(3);
    List<String> words = new ArrayList<>();
    for (QaRule r : rules.rules()) {
      words.addAll(r.allPhrases());
      words.addAll(r.exceptionPhrases());
    }
    String[] filler = {
      "您好",
      " ",
      "，",
      "订单",
      "DD20261120004217",
      "138 1234 5678",
      "+86-138-1234-5678",
      "11010519491231002X",
      "6222020200112233445",
      "li.na@example.com",
      "www.example.com",
      "qq 123456",
      "微信 abc_defg",
      "3天内",
      "给个五星",
      "error code 5003",
      "INC-123456",
      "a",
      "1",
      "今天一定到",
      "will definitely arrive",
      "赔您100元",
      "双倍赔偿",
      "rate us 5 stars",
      "SLAB",
      "heyday",
      "x",
      "，一定要",
      "不一定"
    };
    for (int i = 0; i < 3000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + rnd.nextInt(6);
      for (int k = 0; k < n; k++) {
        sb.append(
            rnd.nextBoolean()
                ? words.get(rnd.nextInt(words.size()))
                : filler[rnd.nextInt(filler.length)]);
        if (rnd.nextInt(3) == 0) {
          sb.append(' ');
        }
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void flatScanReportsExactlyWhatTheLibraryReports() throws IOException {
    QaRuleSet rules = benchRules();
    PayloadTrie.PayloadTrieBuilder<String> b = PayloadTrie.builder();
    for (QaRule r : rules.rules()) {
      for (String p : r.allPhrases()) {
        b.addKeyword(QaText.normalise(p), p);
      }
    }
    PayloadTrie<String> trie = b.build();
    QaAutomaton<String> flat = new QaAutomaton<>(trie);
    assertTrue(flat.flat());
    for (String text : texts(rules)) {
      String norm = QaText.normalise(text);
      Set<String> expected = new TreeSet<>();
      for (PayloadEmit<String> e : trie.parseText(norm)) {
        expected.add(e.getStart() + ":" + (e.getEnd() + 1) + ":" + e.getPayload());
      }
      Set<String> actual = new TreeSet<>();
      flat.scan(norm, (s, e, p) -> actual.add(s + ":" + e + ":" + p));
      assertEquals(expected, actual, text);
    }
  }

  @Test
  void regexGatesNeverSkipARegexThatWouldMatch() throws IOException {
    QaRuleSet rules = benchRules();
    List<QaRegex> regexes = new ArrayList<>();
    rules.rules().forEach(r -> regexes.addAll(r.regexes()));
    assertTrue(regexes.size() >= 20);
    for (QaRegex regex : regexes) {
      RegexGate gate = RegexGate.of(regex.pattern());
      for (String text : texts(rules)) {
        QaText t = QaText.of(text);
        Matcher m = regex.compiled().matcher(t.normalised);
        if (!m.find()) {
          continue;
        }
        assertTrue(t.digits >= gate.minDigits, regex + " on " + text);
        if (gate.literals != null) {
          assertTrue(
              gate.literals.stream().anyMatch(t.normalised::contains),
              regex + " gate " + gate.literals + " on " + text);
        }
      }
    }
  }

  @Test
  void gatesReadFromPatterns() {
    RegexGate phone =
        RegexGate.of("(?<![0-9a-z])(?:(?:\\+|00)86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}");
    assertNull(phone.literals);
    assertEquals(11, phone.minDigits);
    RegexGate email = RegexGate.of("[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}");
    assertEquals(Set.of("@"), email.literals);
    RegexGate alternatives = RegexGate.of("(?:好评|五星).{0,6}(?:返现|红包|优惠券)");
    assertEquals(2, alternatives.literals.iterator().next().length());
    RegexGate url = RegexGate.of("(?:https?://|www\\.)[a-z0-9.-]+");
    assertEquals(Set.of("http", "www."), url.literals);
    RegexGate unknown = RegexGate.of("(?i)anything");
    assertNull(unknown.literals);
    assertEquals(0, unknown.minDigits);
    assertEquals(0, RegexGate.of("a|[0-9]{5}").minDigits);
  }

  @Test
  void normalisationMapsBackToTheOriginal() {
    QaText t = QaText.of("  ＨＥＬＬＯ，\u3000 您 好\tWorld  ");
    assertEquals("hello,您好world", t.normalised); // no space next to Chinese
    int at = t.normalised.indexOf("您好");
    assertEquals("您 好", t.original(at, at + 2));
    assertEquals("ＨＥＬＬＯ", t.original(0, 5));
    assertFalse(QaText.isWordChar('您'));
    assertEquals(0, QaText.of("无数字").digits);
    assertEquals(3, QaText.of("１2３").digits);
  }
}
