package io.kefu.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ground truth must describe the data exactly, or detectors measured against it would be
 * measured against noise: every injected violation is visible in its message, and no message
 * outside the truth breaks a rule the phrase bank knows.
 */
class GroundTruthTest {

  @TempDir static Path tmp;
  static SimulatedDay day;
  static PhraseBank bank;

  @BeforeAll
  static void simulate() throws Exception {
    day = SimulatedDay.run(SimulatedDay.config(6000, 1, 5), tmp, RecordWriter.Format.JSONL);
    bank = PhraseBank.load();
  }

  private static List<String> phrases(String kind) {
    List<String> out = new ArrayList<>();
    for (String lang : List.of("zh", "en")) {
      for (PhraseBank.Violation v : bank.violations("violations." + kind + "." + lang)) {
        out.add(v.phrase());
      }
    }
    return out;
  }

  private static boolean containsAny(String text, List<String> needles) {
    String lower = text.toLowerCase(Locale.ROOT);
    return needles.stream().anyMatch(n -> lower.contains(n.toLowerCase(Locale.ROOT)));
  }

  private static List<String> markers(String kind) {
    List<String> out = new ArrayList<>(List.of(bank.list("markers." + kind + ".zh")));
    out.addAll(List.of(bank.list("markers." + kind + ".en")));
    return out;
  }

  @Test
  void phraseViolationsAreInTheirMessagesAndNowhereElse() {
    Map<String, Set<String>> kindsByMessage = new HashMap<>();
    for (JsonNode v : day.truth("violations.jsonl")) {
      kindsByMessage
          .computeIfAbsent(v.get("message_id").asText(), k -> new HashSet<>())
          .add(v.get("kind").asText());
      ConversationEvent m = day.byId.get(v.get("message_id").asText());
      String detail = v.get("detail").asText();
      switch (v.get("kind").asText()) {
        case "FORBIDDEN_PHRASE", "UNKEPT_PROMISE", "JARGON", "HIDDEN_PROCESS" -> {
          assertEquals(Role.AGENT, m.getRole());
          assertTrue(m.getText().contains(detail), m.getText() + " lacks " + detail);
        }
        case "SENSITIVE_DATA" -> assertTrue(m.getText().contains(detail), m.getText());
        case "UNESCALATED_ANGER" -> assertEquals(Role.CUSTOMER, m.getRole());
        default -> {}
      }
    }
    Map<String, List<String>> byKind =
        Map.of(
            "FORBIDDEN_PHRASE", phrases("forbidden"),
            "UNKEPT_PROMISE", phrases("promise"),
            "JARGON", phrases("jargon"),
            "HIDDEN_PROCESS", phrases("hidden_process"));
    int agentMessages = 0;
    for (ConversationEvent e : day.events) {
      if (e.getEventType() != EventType.MESSAGE || e.getRole() != Role.AGENT) {
        continue;
      }
      agentMessages++;
      Set<String> truth = kindsByMessage.getOrDefault(e.getEventId(), Set.of());
      for (Map.Entry<String, List<String>> k : byKind.entrySet()) {
        if (!truth.contains(k.getKey())) {
          assertFalse(
              containsAny(e.getText(), k.getValue()),
              e.getEventId()
                  + " contains a "
                  + k.getKey()
                  + " phrase but the truth says "
                  + truth
                  + ": "
                  + e.getText());
        }
      }
    }
    assertTrue(agentMessages > 10_000, "agent messages: " + agentMessages);
  }

  @Test
  void greetingsAndClosingsAreMissingExactlyWhereTheTruthSays() {
    List<String> greetings = markers("greeting");
    List<String> closings = markers("closing");
    Set<String> missingGreeting = new HashSet<>();
    Set<String> missingClosing = new HashSet<>();
    for (JsonNode v : day.truth("violations.jsonl")) {
      if (v.get("kind").asText().equals("REQUIRED_PHRASE")) {
        (v.get("detail").asText().equals("greeting") ? missingGreeting : missingClosing)
            .add(v.get("message_id").asText());
      }
    }
    assertFalse(missingGreeting.isEmpty());
    assertFalse(missingClosing.isEmpty());
    for (List<ConversationEvent> c : day.byConversation.values()) {
      Set<String> agentsSeen = new HashSet<>();
      ConversationEvent lastAgentMessage = null;
      for (ConversationEvent e : c) {
        if (e.getEventType() == EventType.MESSAGE && e.getRole() == Role.AGENT) {
          if (agentsSeen.add(e.getAgentId())) {
            assertEquals(
                !missingGreeting.contains(e.getEventId()),
                containsAny(e.getText(), greetings),
                "first message of " + e.getAgentId() + ": " + e.getText());
          }
          lastAgentMessage = e;
        }
      }
      boolean endedWithAgent =
          lastAgentMessage != null
              && c.stream().noneMatch(e -> e.getEventType() == EventType.ABANDONED);
      if (endedWithAgent) {
        assertEquals(
            !missingClosing.contains(lastAgentMessage.getEventId()),
            containsAny(lastAgentMessage.getText(), closings),
            "last agent message: " + lastAgentMessage.getText());
      }
    }
  }

  @Test
  void slowRepliesAreExactlyTheRepliesLaterThanTheThreshold() {
    Set<String> slow = new HashSet<>();
    for (JsonNode v : day.truth("violations.jsonl")) {
      if (v.get("kind").asText().equals("SLOW_REPLY")) {
        slow.add(v.get("message_id").asText());
      }
    }
    assertFalse(slow.isEmpty());
    long threshold = 60_000;
    for (List<ConversationEvent> c : day.byConversation.values()) {
      long legAnswered = Long.MAX_VALUE;
      ConversationEvent unanswered = null;
      for (ConversationEvent e : c) {
        if (e.getEventType() == EventType.AGENT_ASSIGNED) {
          legAnswered = e.getEventTime().toEpochMilli();
          unanswered = null;
        } else if (e.getEventType() == EventType.MESSAGE && e.getRole() == Role.CUSTOMER) {
          if (unanswered == null && e.getEventTime().toEpochMilli() >= legAnswered) {
            unanswered = e;
          }
        } else if (e.getEventType() == EventType.MESSAGE && e.getRole() == Role.AGENT) {
          if (unanswered != null) {
            long gap = e.getEventTime().toEpochMilli() - unanswered.getEventTime().toEpochMilli();
            assertEquals(
                slow.contains(e.getEventId()), gap > threshold, e.getEventId() + " gap " + gap);
          }
          unanswered = null;
        }
      }
    }
  }

  @Test
  void personalDataIsValidAndMentionsCarryIt() {
    int ids = 0;
    int cards = 0;
    for (JsonNode p : day.truth("pii.jsonl")) {
      String value = p.get("value").asText();
      switch (p.get("type").asText()) {
        case "id_number" -> {
          assertTrue(validResidentId(value), value);
          ids += p.get("message_id").isNull() ? 1 : 0;
        }
        case "card" -> {
          assertTrue(luhn(value), value);
          cards += p.get("message_id").isNull() ? 1 : 0;
        }
        case "phone" -> assertTrue(value.matches("1[3-9]\\d{9}"), value);
        case "email" -> assertTrue(value.matches("[a-z.]+\\d+@[a-z0-9.]+"), value);
        default -> {}
      }
      if (!p.get("message_id").isNull()) {
        ConversationEvent m = day.byId.get(p.get("message_id").asText());
        assertNotNull(m);
        String written = p.get("as_written").asText();
        assertTrue(m.getText().contains(written), m.getText() + " lacks " + written);
        String canonical =
            p.get("type").asText().equals("phone")
                ? written.replaceAll("^\\+86|[ -]", "")
                : written;
        assertEquals(value, canonical, "canonical form of " + written);
      }
    }
    assertEquals(day.summary.customers(), ids);
    assertEquals(day.summary.customers(), cards);
  }

  /** GB 11643 check, written independently of the simulator's generator. */
  private static boolean validResidentId(String id) {
    if (!id.matches("\\d{17}[\\dX]")) {
      return false;
    }
    int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (id.charAt(i) - '0') * w[i];
    }
    int check = (12 - sum % 11) % 11;
    char expected = check == 10 ? 'X' : (char) ('0' + check);
    return id.charAt(17) == expected;
  }

  private static boolean luhn(String number) {
    int sum = 0;
    for (int i = 0; i < number.length(); i++) {
      int d = number.charAt(number.length() - 1 - i) - '0';
      if (i % 2 == 1) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
    }
    return sum % 10 == 0;
  }

  @Test
  void suspiciousOperationsAreInTheLog() {
    List<JsonNode> log = day.lines("oplog.jsonl");
    for (int i = 0; i < log.size(); i++) {
      assertEquals(i, log.get(i).get("sequence").asLong(), "sequences are gap-free from 0");
      if (i > 0) {
        assertTrue(log.get(i).get("time").asLong() >= log.get(i - 1).get("time").asLong());
      }
    }
    Set<String> kinds = new HashSet<>();
    for (JsonNode s : day.truth("suspicious_operations.jsonl")) {
      kinds.add(s.get("kind").asText());
      for (JsonNode seq : s.get("sequences")) {
        JsonNode op = log.get(seq.asInt());
        if (s.get("kind").asText().equals("NIGHT_BULK_EXPORT")) {
          int hour =
              Instant.ofEpochMilli(op.get("time").asLong())
                  .atZone(ZoneId.of("Asia/Shanghai"))
                  .getHour();
          assertTrue(hour < 6 && op.get("record_count").asLong() >= 50_000, op.toString());
        }
        if (s.get("kind").asText().equals("NO_PURPOSE")) {
          assertTrue(op.get("purpose") == null && op.get("ticket_ref") == null, op.toString());
        }
      }
    }
    assertEquals(
        Set.of(
            "NIGHT_BULK_EXPORT", "READ_SPREE", "NO_PURPOSE", "ROLE_VIOLATION", "OFF_HOURS_REVEAL"),
        kinds);
  }

  @Test
  void purchasesFollowHiddenPreferences() {
    Map<String, Integer> clusterOf = new HashMap<>();
    for (JsonNode p : day.truth("catalogue.jsonl")) {
      clusterOf.put(p.get("product_id").asText(), p.get("cluster").asInt());
    }
    Map<String, Set<Integer>> liked = new HashMap<>();
    for (JsonNode p : day.truth("preferences.jsonl")) {
      Set<Integer> clusters = new HashSet<>();
      p.get("clusters").fieldNames().forEachRemaining(k -> clusters.add(Integer.parseInt(k)));
      liked.put(p.get("customer_id").asText(), clusters);
    }
    int inPreferred = 0;
    int lines = 0;
    for (JsonNode o : day.lines("orders.jsonl")) {
      lines++;
      if (liked
          .get(o.get("customer_id").asText())
          .contains(clusterOf.get(o.get("product_id").asText()))) {
        inPreferred++;
      }
    }
    assertTrue(lines > 1000);
    assertTrue(inPreferred > 0.8 * lines, inPreferred + " of " + lines + " in preferred clusters");
  }
}
