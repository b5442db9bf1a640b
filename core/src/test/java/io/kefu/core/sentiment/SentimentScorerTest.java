package io.kefu.core.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SentimentScorerTest {
  private static final SentimentScorer SCORER = SentimentScorer.defaults();

  private static double sentiment(String text) {
    return SCORER.score(text).sentiment();
  }

  private static double anger(String text) {
    return SCORER.score(text).anger();
  }

  @Test
  void chineseNegationAndDegree() {
    assertTrue(sentiment("不太满意") < 0, "不太满意 " + sentiment("不太满意"));
    assertTrue(sentiment("不满意") < 0);
    assertTrue(sentiment("满意") > 0, "满意 " + sentiment("满意"));
    assertTrue(
        sentiment("非常满意") > sentiment("满意"),
        "非常满意 " + sentiment("非常满意") + " vs 满意 " + sentiment("满意"));
    assertTrue(sentiment("质量很好") > 0);
    assertTrue(sentiment("质量不好") < 0);
  }

  @Test
  void lexiconFeaturesReadNegationBeforeDegreeAsWeak() {
    SentimentModel m = SCORER.model();
    double[] weak = new double[ChineseFeatures.DENSE + 1];
    double[] plain = new double[ChineseFeatures.DENSE + 1];
    double[] strong = new double[ChineseFeatures.DENSE + 1];
    char[] a = "不太满意".toCharArray();
    char[] b = "不满意".toCharArray();
    char[] c = "非常满意".toCharArray();
    ChineseFeatures.lexicon(a, a.length, m.zhWords, m.zhModifiers, weak);
    ChineseFeatures.lexicon(b, b.length, m.zhWords, m.zhModifiers, plain);
    ChineseFeatures.lexicon(c, c.length, m.zhWords, m.zhModifiers, strong);
    // NTUSD also lists 不太 as a negative word, so both readings lean negative
    assertTrue(weak[2] < 0 && plain[2] < 0, "balance 不太满意 " + weak[2] + ", 不满意 " + plain[2]);
    assertEquals(1.0, weak[3]);
    assertTrue(strong[0] > Math.log1p(1.0), "非常满意 positive mass " + strong[0]);
  }

  @Test
  void englishVaderRules() {
    assertTrue(
        sentiment("not bad") > 0 && sentiment("not bad") < 0.6, "not bad " + sentiment("not bad"));
    assertTrue(sentiment("not good") < 0);
    assertTrue(sentiment("very good") > sentiment("good"));
    assertTrue(sentiment("good!!!") > sentiment("good"));
    assertTrue(sentiment("The food was good, but the service was terrible") < 0);
    assertTrue(sentiment("never so happy") > sentiment("happy"));
    assertTrue(sentiment("I am GOOD today") > sentiment("I am good today"));
    // VADER compound normalisation: "good" has valence 1.9 -> 1.9 / sqrt(1.9^2 + 15)
    assertEquals(1.9 / Math.sqrt(1.9 * 1.9 + 15), sentiment("good"), 1e-6);
  }

  @Test
  void shoutingIsAngrierThanSaying() {
    MessageScore loud = SCORER.score("NOT HAPPY!!!");
    MessageScore calm = SCORER.score("not happy");
    assertTrue(loud.anger() > calm.anger(), loud + " vs " + calm);
    assertTrue(loud.anger() >= SentimentScorer.ANGER_THRESHOLD, loud.toString());
    assertTrue(calm.anger() < SentimentScorer.ANGER_THRESHOLD, calm.toString());
  }

  @Test
  void angerNeedsACueNotOnlyNegativity() {
    assertTrue(anger("质量太差了，非常失望") < 0.8);
    assertTrue(anger("质量太差了，骗子！我要投诉！") >= 0.8);
    assertTrue(anger("I'd like a refund please") < 0.5);
    assertTrue(anger("收到退款了，谢谢你们") < 0.5);
    assertTrue(anger("sue") > anger("issue")); // Latin cues only match whole words
  }

  @Test
  void languageByScript() {
    assertEquals("zh", SCORER.score("你好，我的订单到了吗").language());
    assertEquals("en", SCORER.score("Where is my order?").language());
    assertEquals("zh", SCORER.score("我的iPhone坏了").language());
    assertEquals("mixed", SCORER.score("这个 product is really good 非常满意").language());
    assertEquals("und", SCORER.score("👍👍！！123").language());
    assertEquals("en", SCORER.score("great 👍😊!!").language());
  }

  @Test
  void mixedLanguageCombinesBothParts() {
    MessageScore s = SCORER.score("The delivery was terrible 质量也很差");
    assertEquals("mixed", s.language());
    assertTrue(s.sentiment() < 0, s.toString());
    assertTrue(SCORER.score("Great service，非常满意！").sentiment() > 0.3);
  }

  @Test
  void emojiCountTowardsSentimentAndAnger() {
    assertTrue(sentiment("👍") > 0);
    assertEquals("und", SCORER.score("😡😡").language());
    assertTrue(sentiment("ok 😊") > sentiment("ok"));
    assertTrue(anger("你们什么意思 😡") > anger("你们什么意思"));
  }

  @Test
  void emptyBlankAndNull() {
    MessageScore none = new MessageScore(0, 0, "und");
    assertEquals(none, SCORER.score(null));
    assertEquals(none, SCORER.score(""));
    assertEquals(none, SCORER.score("   \t\n　"));
    assertEquals(none, SCORER.score("\uFEFF\u200B"));
  }

  @Test
  void veryLongTextWorks() {
    String unit = "快递很慢，客服也不回复。The product is broken!!! ";
    String text = unit.repeat(100_000 / unit.length() + 1);
    assertTrue(text.length() >= 100_000);
    MessageScore s = SCORER.score(text);
    assertNotNull(s);
    assertTrue(s.sentiment() >= -1 && s.sentiment() <= 1 && s.anger() >= 0 && s.anger() <= 1);
    assertEquals(s, SCORER.score(text));
    // the long text's scratch is not kept: a short message afterwards still scores the same
    assertEquals(SCORER.score("not bad"), SCORER.score("not bad"));
  }

  @Test
  void oddCharactersNeverThrow() {
    String[] odd = {"\uD83D", "\uDE00abc", "\u0000\u0000", "！！！？？？", "'''", "n't", "---", "\uFFFF"};
    for (String t : odd) {
      MessageScore s = SCORER.score(t);
      assertTrue(s.anger() >= 0 && s.anger() <= 1 && Math.abs(s.sentiment()) <= 1, t + " " + s);
    }
  }

  @Test
  void threadSafe() throws Exception {
    String[] texts = {"非常满意", "NOT HAPPY!!!", "我要投诉！马上给我退款！", "not bad", "这个 product is good 很好"};
    MessageScore[] expected = new MessageScore[texts.length];
    for (int i = 0; i < texts.length; i++) {
      expected[i] = SCORER.score(texts[i]);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < 2_000; r++) {
                    int i = r % texts.length;
                    if (!SCORER.score(texts[i]).equals(expected[i])) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void defaultsIsCachedAndCarriesProvenance() {
    assertTrue(SentimentScorer.defaults() == SentimentScorer.defaults());
    assertEquals("online_shopping_10_cats.csv", SCORER.provenance().get("corpus.file"));
    assertEquals(HeldOutSplit.RULE, SCORER.provenance().get("split.rule"));
    assertTrue(SCORER.provenance().get("corpus.sha256").matches("[0-9a-f]{64}"));
  }
}
