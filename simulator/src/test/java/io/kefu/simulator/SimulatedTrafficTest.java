package io.kefu.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.HandoffReason;
import io.kefu.schemas.ResolverRole;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks a simulated day from its output files alone: the structure of every conversation, and
 * headline rates recomputed here from the events (not taken from the simulator's own counters)
 * against the calibration targets in ARCHITECTURE.md.
 */
class SimulatedTrafficTest {

  @TempDir static Path tmp;
  static SimulatedDay day;

  @BeforeAll
  static void simulate() throws Exception {
    day = SimulatedDay.run(SimulatedDay.config(8000, 1, 11), tmp, RecordWriter.Format.JSONL);
  }

  private static List<ConversationEvent> ofType(List<ConversationEvent> events, EventType type) {
    return events.stream().filter(e -> e.getEventType() == type).toList();
  }

  @Test
  void everyConversationStartsOnceAndClosesOnce() {
    assertEquals(8000, day.byConversation.size());
    for (List<ConversationEvent> c : day.byConversation.values()) {
      assertEquals(
          EventType.CONVERSATION_STARTED, c.get(0).getEventType(), c.get(0).getConversationId());
      assertEquals(1, ofType(c, EventType.CONVERSATION_STARTED).size());
      assertEquals(1, ofType(c, EventType.CLOSED).size());
      ConversationEvent start = c.get(0);
      if (start.getChannel() == Channel.PHONE) {
        assertEquals(Entry.HUMAN, start.getEntry());
        assertEquals(
            HandoffReason.DIRECT, ofType(c, EventType.HANDOFF_REQUESTED).get(0).getReason());
      } else {
        assertEquals(Entry.BOT, start.getEntry());
      }
    }
  }

  @Test
  void legsEndAnsweredOrAbandonedAndOnlyAgentsAnswer() {
    for (List<ConversationEvent> c : day.byConversation.values()) {
      int legs =
          ofType(c, EventType.HANDOFF_REQUESTED).size() + ofType(c, EventType.TRANSFERRED).size();
      int ended =
          ofType(c, EventType.AGENT_ASSIGNED).size() + ofType(c, EventType.ABANDONED).size();
      assertEquals(legs, ended, c.get(0).getConversationId());
      for (ConversationEvent t : ofType(c, EventType.TRANSFERRED)) {
        assertEquals(Tier.EXPERT, t.getTargetTier());
      }
    }
  }

  @Test
  void eventsArriveOutOfOrderAndSomeLate() {
    long outOfOrder = 0;
    for (int i = 1; i < day.events.size(); i++) {
      if (day.events.get(i).getEventTime().isBefore(day.events.get(i - 1).getEventTime())) {
        outOfOrder++;
      }
    }
    assertTrue(outOfOrder > day.events.size() / 100, "out of order: " + outOfOrder);
    List<JsonNode> late = day.truth("late_events.jsonl");
    assertFalse(late.isEmpty());
    for (JsonNode l : late) {
      assertNotNull(day.byId.get(l.get("event_id").asText()));
      assertTrue(l.get("ingest_time").asLong() - l.get("event_time").asLong() > 600_000);
    }
  }

  @Test
  void headlineRatesMatchTheCalibration() {
    long botClosed = 0;
    long contained = 0;
    long handedOffBot = 0;
    long expertBot = 0;
    long closed = 0;
    long resolved = 0;
    long answered = 0;
    long abandonedCounted = 0;
    double waitSum = 0;
    for (List<ConversationEvent> c : day.byConversation.values()) {
      closed++;
      boolean bot = c.get(0).getEntry() == Entry.BOT;
      boolean leg = !ofType(c, EventType.HANDOFF_REQUESTED).isEmpty();
      boolean botResolved =
          ofType(c, EventType.RESOLVED).stream()
              .anyMatch(e -> e.getResolverRole() == ResolverRole.BOT);
      if (!ofType(c, EventType.RESOLVED).isEmpty()) {
        resolved++;
      }
      if (bot) {
        botClosed++;
        contained += !leg && botResolved ? 1 : 0;
        handedOffBot += leg ? 1 : 0;
        expertBot +=
            ofType(c, EventType.AGENT_ASSIGNED).stream().anyMatch(e -> e.getTier() == Tier.EXPERT)
                ? 1
                : 0;
      }
      long legStart = -1;
      for (ConversationEvent e : c) {
        switch (e.getEventType()) {
          case HANDOFF_REQUESTED:
          case TRANSFERRED:
            legStart = e.getEventTime().toEpochMilli();
            break;
          case AGENT_ASSIGNED:
            answered++;
            waitSum += (e.getEventTime().toEpochMilli() - legStart) / 1000.0;
            break;
          case ABANDONED:
            if (e.getEventTime().toEpochMilli() - legStart >= 5000) {
              abandonedCounted++;
            }
            break;
          default:
            break;
        }
      }
    }
    double containment = (double) contained / botClosed;
    double connect = (double) answered / (answered + abandonedCounted);
    assertEquals(0.68, containment, 0.03, "bot containment");
    assertEquals(0.32, (double) handedOffBot / botClosed, 0.03, "bot-entry transfer to human");
    assertEquals(
        0.10, (double) expertBot / botClosed, 0.03, "bot-entry conversations reaching an expert");
    assertTrue(connect > 0.95, "connect rate " + connect);
    assertTrue(waitSum / answered < 30, "mean wait " + waitSum / answered);
    assertTrue((double) resolved / closed > 0.85, "resolution rate");
  }

  @Test
  void customerMessagesCarryScoresAndAngerIsRare() {
    List<ConversationEvent> customer =
        day.events.stream()
            .filter(e -> e.getEventType() == EventType.MESSAGE && e.getRole() == Role.CUSTOMER)
            .toList();
    long angry = customer.stream().filter(e -> e.getAnger() >= 0.8).count();
    assertTrue(customer.stream().allMatch(e -> e.getSentiment() != null));
    assertTrue(angry > 0 && angry < customer.size() / 10, "angry messages: " + angry);
    assertTrue(customer.stream().anyMatch(e -> "en".equals(e.getLanguage())));
    assertTrue(customer.stream().anyMatch(e -> "zh".equals(e.getLanguage())));
  }

  @Test
  void arrivalsFollowTheDailyCurve() {
    int[] perHour = new int[24];
    for (List<ConversationEvent> c : day.byConversation.values()) {
      perHour[c.get(0).getEventTime().atZone(ZoneId.of("Asia/Shanghai")).getHour()]++;
    }
    assertTrue(perHour[10] > 5 * perHour[4], "10:00 busier than 04:00");
    assertTrue(perHour[15] > 5 * perHour[3], "15:00 busier than 03:00");
  }

  @Test
  void everyMessageIdInTheTruthExists() {
    Set<String> kinds = new HashSet<>();
    for (JsonNode v : day.truth("violations.jsonl")) {
      ConversationEvent m = day.byId.get(v.get("message_id").asText());
      assertNotNull(m, v.toString());
      kinds.add(v.get("kind").asText());
    }
    assertEquals(
        Set.of(
            "FORBIDDEN_PHRASE",
            "UNKEPT_PROMISE",
            "JARGON",
            "HIDDEN_PROCESS",
            "REQUIRED_PHRASE",
            "SLOW_REPLY",
            "UNESCALATED_ANGER",
            "SENSITIVE_DATA"),
        kinds);
  }
}
