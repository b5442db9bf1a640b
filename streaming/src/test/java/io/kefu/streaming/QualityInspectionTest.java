package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.core.kpi.Fact;
import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.HandoffReason;
import io.kefu.schemas.QaRuleKind;
import io.kefu.schemas.QaViolation;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Quality inspection as an operator: once per conversation, after the delay, state cleaned. */
class QualityInspectionTest {

  private static final long EPOCH = Instant.parse("2026-11-23T02:00:00Z").toEpochMilli();
  private static final long DELAY = Duration.ofMinutes(2).toMillis();
  private static final JobSettings SETTINGS =
      JobSettings.defaults()
          .withAllowedLateness(Duration.ofMinutes(10))
          .withQaDelay(Duration.ofMillis(DELAY));
  private KeyedOneInputStreamOperatorTestHarness<String, ConversationEvent, Fact> harness;
  private int ids;

  private static long t(double seconds) {
    return EPOCH + Math.round(seconds * 1000);
  }

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new QualityInspection(SETTINGS)),
            ConversationEvent::getConversationId,
            Types.STRING);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private ConversationEvent event(EventType type, double at) {
    ConversationEvent e = new ConversationEvent();
    e.setEventId("e" + (++ids));
    e.setConversationId("c1");
    e.setEventType(type);
    e.setEventTime(Instant.ofEpochMilli(t(at)));
    e.setTenant("acme");
    e.setAttributes(Map.of());
    return e;
  }

  private ConversationEvent message(Role role, double at, String text) {
    ConversationEvent e = event(EventType.MESSAGE, at);
    e.setRole(role);
    e.setText(text);
    e.setLanguage("zh");
    if (role == Role.AGENT) {
      e.setAgentId("a-7");
    }
    if (role == Role.CUSTOMER) {
      e.setSentiment(-0.2);
      e.setAnger(0.1);
    }
    return e;
  }

  private void send(ConversationEvent e) throws Exception {
    harness.processElement(new StreamRecord<>(e, e.getEventTime().toEpochMilli()));
  }

  /** A chat handed to an agent who makes a promise nobody can keep, then closes. */
  private double conversation() throws Exception {
    ConversationEvent start = event(EventType.CONVERSATION_STARTED, 0);
    start.setChannel(Channel.WEB);
    start.setQueue("billing");
    start.setEntry(Entry.BOT);
    send(start);
    send(message(Role.CUSTOMER, 2, "我的退款什么时候到账？"));
    ConversationEvent handoff = event(EventType.HANDOFF_REQUESTED, 4);
    handoff.setQueue("billing");
    handoff.setReason(HandoffReason.CUSTOMER_ASKED);
    send(handoff);
    ConversationEvent assigned = event(EventType.AGENT_ASSIGNED, 20);
    assigned.setAgentId("a-7");
    assigned.setQueue("billing");
    assigned.setTier(Tier.AGENT);
    send(assigned);
    send(message(Role.AGENT, 25, "您好，很高兴为您服务。"));
    send(message(Role.CUSTOMER, 30, "能今天到吗？"));
    send(message(Role.AGENT, 40, "我保证退款今天一定到账。"));
    send(message(Role.AGENT, 50, "感谢您的耐心，祝您生活愉快，再见！"));
    send(event(EventType.CLOSED, 60));
    return 60;
  }

  @Test
  void inspectsOnceTheDelayAfterCloseHasPassed() throws Exception {
    double closed = conversation();
    harness.processWatermark(t(closed) + DELAY - 1);
    assertTrue(harness.extractOutputValues().isEmpty(), "not before the delay");
    assertTrue(harness.getSideOutput(QualityInspection.VIOLATIONS) == null);

    harness.processWatermark(t(closed) + DELAY);
    List<Fact> facts = harness.extractOutputValues();
    assertEquals(2, facts.size(), "one conversation fact and one for the agent: " + facts);
    Fact conversation = facts.get(0);
    assertEquals(Fact.Kind.QA, conversation.kind);
    assertNull(conversation.agent);
    assertEquals("WEB", conversation.channel);
    assertEquals("billing", conversation.queue);
    assertEquals(t(closed), conversation.time, "counted at the close, like the conversation");
    Fact agent = facts.get(1);
    assertEquals(Fact.Kind.AGENT_QA, agent.kind);
    assertEquals("a-7", agent.agent);

    List<QaViolation> violations =
        harness.getSideOutput(QualityInspection.VIOLATIONS).stream()
            .map(StreamRecord::getValue)
            .toList();
    assertTrue(
        violations.stream().anyMatch(v -> v.getRuleKind() == QaRuleKind.UNKEPT_PROMISE),
        "the promise is found: " + violations);
    int promises = conversation.qaViolations[QaRuleKind.UNKEPT_PROMISE.ordinal()];
    assertEquals(
        violations.stream().filter(v -> v.getRuleKind() == QaRuleKind.UNKEPT_PROMISE).count(),
        promises);
    double penalties = violations.stream().mapToDouble(QaViolation::getPenalty).sum();
    assertEquals(Math.max(0, 100 - penalties), conversation.qaScore, 1e-9);
    assertEquals(Math.max(0, 100 - penalties), agent.qaScore, 1e-9, "all penalties are a-7's");
  }

  @Test
  void laterEventsAreLeftOutAndStateGoesAway() throws Exception {
    double closed = conversation();
    harness.processWatermark(t(closed) + DELAY);
    int emitted = harness.extractOutputValues().size();
    send(message(Role.AGENT, closed - 1, "我绝对保证！"));
    assertEquals(emitted, harness.extractOutputValues().size(), "inspected once, not again");
    harness.processWatermark(t(closed) + DELAY + Duration.ofMinutes(10).toMillis());
    assertEquals(0, harness.numKeyedStateEntries(), "state cleared");
    assertEquals(0, harness.numEventTimeTimers(), "no timers left");
  }

  @Test
  void aConversationThatNeverClosesIsInspectedWhenIdle() throws Exception {
    send(message(Role.AGENT, 0, "这个不归我管，你问别人去。"));
    harness.processWatermark(t(0) + SETTINGS.idleConversationMillis + 60_000);
    List<Fact> facts = harness.extractOutputValues();
    assertEquals(Fact.Kind.QA, facts.get(0).kind);
    assertEquals(t(0), facts.get(0).time, "at its last activity");
    assertTrue(
        harness.getSideOutput(QualityInspection.VIOLATIONS).stream()
            .anyMatch(r -> r.getValue().getRuleKind() == QaRuleKind.FORBIDDEN_PHRASE));
    harness.processWatermark(Long.MAX_VALUE);
    assertEquals(0, harness.numKeyedStateEntries());
  }

  @Test
  void oneTimerPerConversationAndActivityPostponesTheIdleInspection() throws Exception {
    send(message(Role.CUSTOMER, 0, "在吗？"));
    for (int i = 1; i <= 20; i++) {
      send(message(Role.AGENT, i * 600, "正在为您查询。"));
      assertEquals(1, harness.numEventTimeTimers(), "one timer, however many events");
    }
    long last = t(20 * 600);
    harness.processWatermark(t(0) + SETTINGS.idleConversationMillis + 60_000);
    assertTrue(harness.extractOutputValues().isEmpty(), "active until t(12000): not idle yet");
    assertEquals(1, harness.numEventTimeTimers(), "moved to the last activity");
    harness.processWatermark(last + SETTINGS.idleConversationMillis + 60_000);
    List<Fact> facts = harness.extractOutputValues();
    assertEquals(Fact.Kind.QA, facts.get(0).kind);
    assertEquals(last, facts.get(0).time, "inspected at its last activity");
  }
}
