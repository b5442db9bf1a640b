package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.core.kpi.Fact;
import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
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

/** The sessioniser as an operator: facts by watermark, side outputs, and state that goes away. */
class SessionizerTest {

  private static final long EPOCH = Instant.parse("2026-11-23T02:00:00Z").toEpochMilli();
  private static final JobSettings SETTINGS =
      JobSettings.defaults().withAllowedLateness(Duration.ofMinutes(10));
  private KeyedOneInputStreamOperatorTestHarness<String, ConversationEvent, Fact> harness;
  private int ids;

  private static long t(double seconds) {
    return EPOCH + Math.round(seconds * 1000);
  }

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new Sessionizer(SETTINGS)),
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
    if (type == EventType.CONVERSATION_STARTED) {
      e.setChannel(Channel.WECHAT);
      e.setQueue("billing");
      e.setEntry(Entry.BOT);
    }
    return e;
  }

  private ConversationEvent customer(double at, double anger) {
    ConversationEvent e = event(EventType.MESSAGE, at);
    e.setRole(Role.CUSTOMER);
    e.setText("退款！！！");
    e.setSentiment(-0.9);
    e.setAnger(anger);
    return e;
  }

  private void send(ConversationEvent e) throws Exception {
    harness.processElement(new StreamRecord<>(e, e.getEventTime().toEpochMilli()));
  }

  @Test
  void angerWithTheBotAlertsAtOnceAndFactsWaitForTheWatermark() throws Exception {
    send(event(EventType.CONVERSATION_STARTED, 0));
    send(customer(5, 0.93));
    assertEquals(1, harness.getSideOutput(Sessionizer.ALERTS).size(), "alert before any watermark");
    assertTrue(harness.extractOutputValues().isEmpty(), "no fact before the watermark");
    harness.processWatermark(t(5));
    List<Fact> facts = harness.extractOutputValues();
    assertEquals(1, facts.size());
    assertEquals(Fact.Kind.MESSAGE, facts.get(0).kind);
  }

  @Test
  void stateAndTimersAreGoneAfterTheSurveyWindow() throws Exception {
    send(event(EventType.CONVERSATION_STARTED, 0));
    send(customer(5, 0.1));
    send(event(EventType.CLOSED, 60));
    harness.processWatermark(t(60));
    assertTrue(
        harness.extractOutputValues().stream().anyMatch(f -> f.kind == Fact.Kind.CONVERSATION));
    assertTrue(harness.numKeyedStateEntries() > 0);

    harness.processWatermark(t(60) + SETTINGS.allowedLatenessMillis + 1);
    ConversationEvent survey = event(EventType.SURVEY_SUBMITTED, 3600);
    survey.setCsat(5);
    send(survey);
    harness.processWatermark(t(3600));
    assertTrue(
        harness.extractOutputValues().stream().anyMatch(f -> f.kind == Fact.Kind.SURVEY),
        "a survey still finds its compacted conversation");

    harness.processWatermark(t(60) + SETTINGS.surveyTtlMillis + 1);
    assertEquals(0, harness.numKeyedStateEntries(), "state cleared");
    assertEquals(0, harness.numEventTimeTimers(), "timers cleared");
  }

  @Test
  void duplicatesAndTooLateEventsGoToTheirOutputs() throws Exception {
    ConversationEvent start = event(EventType.CONVERSATION_STARTED, 0);
    send(start);
    send(start);
    assertEquals(1, harness.getSideOutput(Sessionizer.DUPLICATES).size());

    harness.processWatermark(t(3600));
    send(customer(10, 0.1)); // an hour behind the watermark, lateness is 10 minutes
    assertEquals(1, harness.getSideOutput(Sessionizer.LATE_EVENTS).size());
  }

  @Test
  void neverClosedConversationsAreForgotten() throws Exception {
    send(event(EventType.CONVERSATION_STARTED, 0));
    harness.processWatermark(t(0) + SETTINGS.idleConversationMillis + 1);
    assertEquals(0, harness.numKeyedStateEntries());
    assertEquals(0, harness.numEventTimeTimers());
  }

  @Test
  void atMostTwoTimersPerConversationAndAJumpingWatermarkReleasesEverything() throws Exception {
    send(event(EventType.CONVERSATION_STARTED, 0));
    for (int i = 1; i <= 30; i++) {
      send(customer(i * 2, 0.1));
      assertTrue(harness.numEventTimeTimers() <= 2, "timers: " + harness.numEventTimeTimers());
    }
    send(event(EventType.CLOSED, 70));
    assertTrue(harness.numEventTimeTimers() <= 2, "timers: " + harness.numEventTimeTimers());
    harness.processWatermark(t(70));
    List<Fact> facts = harness.extractOutputValues();
    assertEquals(30, facts.stream().filter(f -> f.kind == Fact.Kind.MESSAGE).count());
    assertEquals(1, facts.stream().filter(f -> f.kind == Fact.Kind.CONVERSATION).count());
  }

  @Test
  void factsWaitingForTheStartAreReleasedAfterTheLateness() throws Exception {
    send(customer(5, 0.1)); // the start never comes
    harness.processWatermark(t(5) + SETTINGS.allowedLatenessMillis - 1);
    assertTrue(harness.extractOutputValues().isEmpty(), "held for the start");
    harness.processWatermark(t(5) + SETTINGS.allowedLatenessMillis);
    assertEquals(1, harness.extractOutputValues().size(), "released without it");
  }
}
