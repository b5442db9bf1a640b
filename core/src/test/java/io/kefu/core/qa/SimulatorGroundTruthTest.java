package io.kefu.core.qa;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.kefu.schemas.BrowsingEvent;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.CustomerRecord;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.OrderLine;
import io.kefu.schemas.QaRuleKind;
import io.kefu.schemas.QaViolation;
import io.kefu.simulator.SimulationOutput;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default rules against the simulator's ground truth: a simulated day of 3,000 conversations
 * (fixed seed) inspected conversation by conversation, compared on (conversation, message, kind)
 * with the violations the simulator injected.
 */
class SimulatorGroundTruthTest {

  private static final double TARGET = 0.95;
  private static final int MIN_TRUTHS = 20;

  /** One violation as compared: where it is and what kind. */
  record Key(String conversationId, String messageId, QaRuleKind kind) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return toString().compareTo(o.toString());
    }
  }

  /** Everything a simulation writes, kept in memory; only events and truth are kept. */
  static final class InMemory implements SimulationOutput {
    private static final ObjectMapper TRUTH =
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    final Map<String, List<ConversationEvent>> byConversation = new LinkedHashMap<>();
    final Map<String, ConversationEvent> byId = new HashMap<>();
    final List<JsonNode> violations = new ArrayList<>();

    @Override
    public void event(ConversationEvent event, LocalDate ingestDay) {
      byConversation.computeIfAbsent(event.getConversationId(), k -> new ArrayList<>()).add(event);
      byId.put(event.getEventId(), event);
    }

    @Override
    public void customer(CustomerRecord record) {}

    @Override
    public void order(OrderLine line) {}

    @Override
    public void browsing(BrowsingEvent event) {}

    @Override
    public void operation(OperationLogRecord record) {}

    @Override
    public void truth(String file, Object record) {
      if (file.equals("violations.jsonl")) {
        violations.add(TRUTH.valueToTree(record));
      }
    }

    @Override
    public void truthDocument(String file, Object document) {}

    @Override
    public void close() {}
  }

  static InMemory day;
  static Set<Key> truth = new TreeSet<>();
  static Set<Key> found = new TreeSet<>();
  static Map<Key, QaViolation> foundViolations = new HashMap<>();

  @BeforeAll
  static void simulateAndInspect() throws Exception {
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.conversations = 3000;
    cfg.days = 1;
    cfg.seed = 20251;
    day = new InMemory();
    new Simulator(cfg).run(day, (t, n) -> {});
    for (JsonNode v : day.violations) {
      truth.add(
          new Key(
              v.get("conversation_id").asText(),
              v.get("message_id").asText(),
              QaRuleKind.valueOf(v.get("kind").asText())));
    }
    QaInspector inspector = new QaInspector(QaRuleSet.defaults());
    for (List<ConversationEvent> events : day.byConversation.values()) {
      for (QaViolation v : inspector.inspect(events).violations()) {
        Key k = new Key(v.getConversationId(), v.getMessageId(), v.getRuleKind());
        found.add(k);
        foundViolations.putIfAbsent(k, v);
      }
    }
  }

  @Test
  void precisionAndRecallPerKindAreAtLeast95Percent() {
    Map<QaRuleKind, int[]> counts = new EnumMap<>(QaRuleKind.class); // tp, fp, fn
    for (QaRuleKind kind : QaRuleKind.values()) {
      counts.put(kind, new int[3]);
    }
    List<String> misses = new ArrayList<>();
    for (Key k : found) {
      if (truth.contains(k)) {
        counts.get(k.kind())[0]++;
      } else {
        counts.get(k.kind())[1]++;
        misses.add(
            "FP " + k + " " + text(k) + " matched=" + foundViolations.get(k).getMatchedText());
      }
    }
    for (Key k : truth) {
      if (!found.contains(k)) {
        counts.get(k.kind())[2]++;
        misses.add("FN " + k + " " + text(k));
      }
    }
    int[] all = new int[3];
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "%n%-18s %6s %6s %6s %6s %9s %7s%n",
            "kind", "truth", "found", "tp", "fp", "precision", "recall"));
    List<String> failures = new ArrayList<>();
    for (Map.Entry<QaRuleKind, int[]> e : counts.entrySet()) {
      int[] c = e.getValue();
      for (int i = 0; i < 3; i++) {
        all[i] += c[i];
      }
      line(report, e.getKey().name(), c);
      if (c[0] + c[2] >= MIN_TRUTHS) {
        check(failures, e.getKey().name(), c);
      }
    }
    line(report, "overall", all);
    check(failures, "overall", all);
    System.out.println(report);
    misses.stream().limit(40).forEach(System.out::println);
    assertTrue(failures.isEmpty(), failures + "\n" + report + String.join("\n", misses));
  }

  private static String text(Key k) {
    ConversationEvent e = day.byId.get(k.messageId());
    return e == null ? "?" : "[" + e.getRole() + "] " + e.getText();
  }

  private static void line(StringBuilder report, String name, int[] c) {
    report.append(
        String.format(
            "%-18s %6d %6d %6d %6d %9.4f %7.4f%n",
            name, c[0] + c[2], c[0] + c[1], c[0], c[1], precision(c), recall(c)));
  }

  private static void check(List<String> failures, String name, int[] c) {
    if (precision(c) < TARGET || recall(c) < TARGET) {
      failures.add(name + String.format(" precision %.4f recall %.4f", precision(c), recall(c)));
    }
  }

  private static double precision(int[] c) {
    return c[0] + c[1] == 0 ? 1 : (double) c[0] / (c[0] + c[1]);
  }

  private static double recall(int[] c) {
    return c[0] + c[2] == 0 ? 1 : (double) c[0] / (c[0] + c[2]);
  }
}
