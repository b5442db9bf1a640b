package io.kefu.core.sentiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scorer against our own labelled customer-service messages (angry, negative, neutral,
 * positive; Chinese, English, mixed) and the simulator's mood-keyed phrase bank.
 */
class LabelledMessagesTest {
  private static final SentimentScorer SCORER = SentimentScorer.defaults();
  private static final double T = SentimentScorer.ANGER_THRESHOLD;

  record Message(String label, String language, String text) {}

  static List<Message> messages() throws Exception {
    List<Message> out = new ArrayList<>();
    try (InputStream in = LabelledMessagesTest.class.getResourceAsStream("labelled-messages.csv");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line = r.readLine();
      int n = 1;
      while ((line = r.readLine()) != null) {
        n++;
        List<String> f = LabelledCsv.parse(line, Path.of("labelled-messages.csv"), n);
        out.add(new Message(f.get(0), f.get(1), f.get(2)));
      }
    }
    return out;
  }

  @Test
  void labelledMessages() throws Exception {
    List<Message> all = messages();
    assertTrue(all.size() >= 200, "only " + all.size() + " messages");
    int angry = 0;
    int angryHit = 0;
    int calm = 0;
    int falseAnger = 0;
    int polar = 0;
    int signRight = 0;
    int language = 0;
    StringBuilder misses = new StringBuilder();
    for (Message m : all) {
      MessageScore s = SCORER.score(m.text());
      if (s.language().equals(m.language())) {
        language++;
      }
      boolean isAngry = s.anger() >= T;
      if (m.label().equals("angry")) {
        angry++;
        angryHit += isAngry ? 1 : 0;
      } else {
        calm++;
        falseAnger += isAngry ? 1 : 0;
      }
      if (isAngry != m.label().equals("angry")) {
        misses.append(String.format("%n  anger %.3f %s: %s", s.anger(), m.label(), m.text()));
      }
      if (m.label().equals("positive") || m.label().equals("negative")) {
        polar++;
        boolean right = m.label().equals("positive") ? s.sentiment() > 0 : s.sentiment() < 0;
        signRight += right ? 1 : 0;
        if (!right) {
          misses.append(
              String.format("%n  sentiment %+.3f %s: %s", s.sentiment(), m.label(), m.text()));
        }
      }
    }
    double recall = (double) angryHit / angry;
    double falseRate = (double) falseAnger / calm;
    double signAccuracy = (double) signRight / polar;
    String report =
        String.format(
            "%d messages: angry recall %.3f (%d/%d), false anger %.3f (%d/%d), sign %.3f (%d/%d),"
                + " language %d/%d%s",
            all.size(),
            recall,
            angryHit,
            angry,
            falseRate,
            falseAnger,
            calm,
            signAccuracy,
            signRight,
            polar,
            language,
            all.size(),
            misses);
    System.out.println(report);
    assertTrue(recall >= 0.9, report);
    assertTrue(falseRate <= 0.05, report);
    assertTrue(signAccuracy >= 0.85, report);
  }

  @Test
  void simulatorPhraseBank() throws Exception {
    Path bank =
        SharedData.repoRoot()
            .resolve("simulator/src/main/resources/io/kefu/simulator/phrases.yaml");
    JsonNode customer = new ObjectMapper(new YAMLFactory()).readTree(bank.toFile()).get("customer");
    Map<String, String> zh =
        Map.of(
            "product",
            "蓝牙耳机",
            "order_no",
            "SO20251123001",
            "date",
            "11月23日",
            "amount",
            "299元",
            "agent",
            "小王");
    Map<String, String> en =
        Map.of(
            "product",
            "wireless earbuds",
            "order_no",
            "SO20251123001",
            "date",
            "Nov 23",
            "amount",
            "$29.99",
            "agent",
            "Alex");
    int angry = 0;
    int angryHit = 0;
    int other = 0;
    int otherHit = 0;
    StringBuilder misses = new StringBuilder();
    for (String mood :
        List.of("opening", "followup", "negative", "angry", "positive", "ask_human")) {
      List<String[]> phrases = new ArrayList<>();
      collect(customer.get(mood), null, phrases);
      for (String[] p : phrases) {
        String text = fill(p[1], "en".equals(p[0]) ? en : zh);
        double anger = SCORER.score(text).anger();
        boolean agrees = mood.equals("angry") == anger >= T;
        if (mood.equals("angry")) {
          angry++;
          angryHit += agrees ? 1 : 0;
        } else {
          other++;
          otherHit += agrees ? 1 : 0;
        }
        if (!agrees) {
          misses.append(String.format("%n  %.3f %s: %s", anger, mood, text));
        }
      }
    }
    double agreement = (double) (angryHit + otherHit) / (angry + other);
    String report =
        String.format(
            "phrase bank: agreement %.3f; angry %d/%d >= %.1f, others %d/%d below%s",
            agreement, angryHit, angry, T, otherHit, other, misses);
    System.out.println(report);
    assertTrue(angry > 0 && other > 0, report);
    // the bank is measured, not tuned to: the floor only guards against regressions
    assertTrue(agreement >= 0.9, report);
    assertTrue((double) otherHit / other >= 0.97, report);
  }

  private static void collect(JsonNode node, String language, List<String[]> out) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      out.add(new String[] {language, node.asText()});
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, language, out));
    } else if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e ->
                  collect(
                      e.getValue(),
                      e.getKey().equals("en") || e.getKey().equals("zh") ? e.getKey() : language,
                      out));
    }
  }

  private static String fill(String template, Map<String, String> values) {
    String s = template;
    for (Map.Entry<String, String> e : values.entrySet()) {
      s = s.replace("{" + e.getKey() + "}", e.getValue());
    }
    return s.replaceAll("\\{[a-z_]+\\}", "X");
  }

  static boolean exists(Path p) {
    return Files.exists(p);
  }
}
