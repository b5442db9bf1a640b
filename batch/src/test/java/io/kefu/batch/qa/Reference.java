package io.kefu.batch.qa;

import io.kefu.core.qa.AgentQa;
import io.kefu.core.qa.ConversationQa;
import io.kefu.core.qa.QaInspector;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The QA job in plain Java, without Spark: the oracle the Spark transformations are held to. */
final class Reference {
  private Reference() {}

  /**
   * Conversations (id → events) whose CONVERSATION_STARTED falls on {@code day} in {@code zone}.
   */
  static Map<String, List<ConversationEvent>> startedOn(
      List<ConversationEvent> events, LocalDate day, ZoneId zone) {
    Map<String, List<ConversationEvent>> byId =
        events.stream()
            .collect(
                Collectors.groupingBy(
                    ConversationEvent::getConversationId, TreeMap::new, Collectors.toList()));
    Map<String, List<ConversationEvent>> kept = new TreeMap<>();
    byId.forEach(
        (id, list) -> {
          Instant start =
              list.stream()
                  .filter(e -> e.getEventType() == EventType.CONVERSATION_STARTED)
                  .map(ConversationEvent::getEventTime)
                  .min(Comparator.naturalOrder())
                  .orElse(null);
          if (start != null && start.atZone(zone).toLocalDate().equals(day)) {
            kept.put(id, list);
          }
        });
    return kept;
  }

  static List<ConversationQa> inspect(
      Map<String, List<ConversationEvent>> conversations, QaInspector inspector) {
    List<ConversationQa> out = new ArrayList<>();
    conversations.values().forEach(events -> out.add(inspector.inspect(events)));
    return out;
  }

  /** The per agent and queue report, sorted by agent and queue (null queue first). */
  static List<QaReport.Agent> agents(List<ConversationQa> inspected) {
    Map<List<String>, List<AgentQa>> byKey =
        new TreeMap<>(
            Comparator.<List<String>, String>comparing(k -> k.get(0))
                .thenComparing(k -> k.get(1), Comparator.nullsFirst(Comparator.naturalOrder())));
    for (ConversationQa qa : inspected) {
      for (AgentQa a : qa.agents()) {
        byKey
            .computeIfAbsent(
                java.util.Arrays.asList(a.agentId(), a.queue()), k -> new ArrayList<>())
            .add(a);
      }
    }
    List<QaReport.Agent> report = new ArrayList<>();
    byKey.forEach(
        (key, list) -> {
          double sum = 0;
          long violations = 0;
          Map<String, Long> byRule = new TreeMap<>();
          for (AgentQa a : list) {
            sum += a.score();
            violations += a.violations();
            a.byRule().forEach((rule, n) -> byRule.merge(rule, (long) n, Long::sum));
          }
          String worst = null;
          for (Map.Entry<String, Long> e : byRule.entrySet()) {
            if (worst == null || e.getValue() > byRule.get(worst)) {
              worst = e.getKey();
            }
          }
          report.add(
              new QaReport.Agent(
                  key.get(0),
                  key.get(1),
                  list.size(),
                  sum / list.size(),
                  violations,
                  byRule,
                  worst));
        });
    return report;
  }

  static boolean sameAgent(QaReport.Agent a, QaReport.Agent b) {
    return Objects.equals(a.agentId(), b.agentId())
        && Objects.equals(a.queue(), b.queue())
        && a.conversations() == b.conversations()
        && Math.abs(a.qaScoreMean() - b.qaScoreMean())
            <= 1e-9 * Math.max(1, Math.abs(b.qaScoreMean()))
        && a.violations() == b.violations()
        && a.violationsByRule().equals(b.violationsByRule())
        && Objects.equals(a.worstRule(), b.worstRule());
  }
}
