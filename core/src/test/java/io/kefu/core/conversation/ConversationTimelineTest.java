package io.kefu.core.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.core.kpi.Fact;
import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.HandoffReason;
import io.kefu.schemas.ResolverRole;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConversationTimelineTest {

  private static final long EPOCH = Instant.parse("2026-11-23T02:00:00Z").toEpochMilli();
  private static final long LATENESS = 600_000;
  private int ids;

  /** {@code t(15)}: fifteen seconds into the story. */
  private static long t(double seconds) {
    return EPOCH + Math.round(seconds * 1000);
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

  private ConversationEvent started(Channel channel, Entry entry, double at) {
    ConversationEvent e = event(EventType.CONVERSATION_STARTED, at);
    e.setChannel(channel);
    e.setQueue("billing");
    e.setEntry(entry);
    e.setVariant("new");
    return e;
  }

  private ConversationEvent message(Role role, double at, Double sentiment) {
    ConversationEvent e = event(EventType.MESSAGE, at);
    e.setRole(role);
    e.setText("…");
    e.setSentiment(sentiment);
    return e;
  }

  private ConversationEvent handoff(double at) {
    ConversationEvent e = event(EventType.HANDOFF_REQUESTED, at);
    e.setReason(HandoffReason.CUSTOMER_ASKED);
    return e;
  }

  private ConversationEvent assigned(String agent, Tier tier, double at) {
    ConversationEvent e = event(EventType.AGENT_ASSIGNED, at);
    e.setAgentId(agent);
    e.setTier(tier);
    return e;
  }

  private ConversationEvent resolved(ResolverRole by, double at) {
    ConversationEvent e = event(EventType.RESOLVED, at);
    e.setResolverRole(by);
    return e;
  }

  private static Map<String, Fact> all(ConversationTimeline timeline) {
    return timeline.due(Long.MAX_VALUE / 2, LATENESS).stream()
        .collect(Collectors.toMap(f -> f.id, f -> f));
  }

  private List<ConversationEvent> containedByBot() {
    return List.of(
        started(Channel.WECHAT, Entry.BOT, 0),
        message(Role.BOT, 1, null),
        message(Role.CUSTOMER, 5, -0.2),
        message(Role.BOT, 7, null),
        message(Role.CUSTOMER, 12, 0.6),
        resolved(ResolverRole.BOT, 30),
        event(EventType.CLOSED, 40));
  }

  @Test
  void botContainedConversation() {
    ConversationTimeline timeline = new ConversationTimeline();
    containedByBot().forEach(timeline::add);
    Fact c = all(timeline).get("conv");
    assertTrue(c.contained && c.resolved && c.botEntry && !c.handedOff);
    assertEquals(30.0, c.ttrSeconds);
    assertEquals(2.0, c.frtSeconds, "first bot reply after the first customer message");
    assertTrue(Double.isNaN(c.ahtSeconds));
    assertEquals(0.8, c.sentimentChange, 1e-12, "fewer than 4 messages: last - first");
    assertEquals(t(40), c.time);
    assertEquals("WECHAT", c.channel);
    assertEquals("new", c.variant);
  }

  private List<ConversationEvent> transferredToExpert() {
    ConversationEvent transfer = event(EventType.TRANSFERRED, 100);
    transfer.setTargetQueue("expert");
    transfer.setTargetTier(Tier.EXPERT);
    return List.of(
        started(Channel.APP, Entry.BOT, 0),
        message(Role.CUSTOMER, 2, -0.5),
        handoff(10),
        assigned("a1", Tier.AGENT, 25),
        message(Role.AGENT, 30, null),
        transfer,
        assigned("x1", Tier.EXPERT, 160),
        message(Role.AGENT, 170, null),
        resolved(ResolverRole.AGENT, 300),
        event(EventType.CLOSED, 310));
  }

  @Test
  void transferToExpertMakesTwoLegs() {
    ConversationTimeline timeline = new ConversationTimeline();
    transferredToExpert().forEach(timeline::add);
    Map<String, Fact> facts = all(timeline);
    List<Fact> legs =
        facts.values().stream()
            .filter(f -> f.kind == Fact.Kind.LEG)
            .sorted(java.util.Comparator.comparingLong(f -> f.time))
            .toList();
    assertEquals(2, legs.size());
    assertEquals(15.0, legs.get(0).waitSeconds);
    assertEquals("billing", legs.get(0).queue);
    assertEquals("a1", legs.get(0).agent);
    assertEquals(60.0, legs.get(1).waitSeconds);
    assertEquals("expert", legs.get(1).queue);
    List<Fact> responses =
        facts.values().stream()
            .filter(f -> f.kind == Fact.Kind.FIRST_RESPONSE)
            .sorted(java.util.Comparator.comparingLong(f -> f.time))
            .toList();
    assertEquals(List.of(20.0, 70.0), responses.stream().map(f -> f.firstResponseSeconds).toList());
    Fact c = facts.get("conv");
    assertTrue(c.reachedExpert && c.handedOff && c.resolved && !c.contained);
    assertEquals("x1", c.agent, "the conversation's agent is the last one assigned");
    assertEquals(285.0, c.ahtSeconds, "CLOSED - first AGENT_ASSIGNED");
    assertEquals("billing", c.queue, "a conversation counts in the queue it started in");
  }

  @Test
  void abandonedPhoneCall() {
    ConversationTimeline timeline = new ConversationTimeline();
    List.of(
            started(Channel.PHONE, Entry.HUMAN, 0),
            handoff(10),
            event(EventType.ABANDONED, 13),
            event(EventType.CLOSED, 14))
        .forEach(timeline::add);
    Map<String, Fact> facts = all(timeline);
    Fact leg = facts.values().stream().filter(f -> f.kind == Fact.Kind.LEG).findFirst().get();
    assertEquals(Fact.LegOutcome.ABANDONED, leg.outcome);
    assertEquals(3.0, leg.waitSeconds);
    assertNull(leg.agent);
    Fact c = facts.get("conv");
    assertFalse(c.resolved || c.botEntry || c.contained);
    assertTrue(c.handedOff);
  }

  @Test
  void legStillWaitingAtCloseFlowsOut() {
    ConversationTimeline timeline = new ConversationTimeline();
    List.of(started(Channel.EMAIL, Entry.BOT, 0), handoff(10), event(EventType.CLOSED, 500))
        .forEach(timeline::add);
    Fact leg =
        all(timeline).values().stream().filter(f -> f.kind == Fact.Kind.LEG).findFirst().get();
    assertEquals(Fact.LegOutcome.FLOW_OUT, leg.outcome);
    assertEquals(t(500), leg.time);
  }

  @Test
  void arrivalOrderDoesNotMatter() {
    List<ConversationEvent> events = new ArrayList<>(transferredToExpert());
    ConversationTimeline ordered = new ConversationTimeline();
    events.forEach(ordered::add);
    String expected = describe(all(ordered));
    Random random = new Random(3);
    for (int i = 0; i < 50; i++) {
      Collections.shuffle(events, random);
      ConversationTimeline shuffled = new ConversationTimeline();
      events.forEach(shuffled::add);
      assertEquals(expected, describe(all(shuffled)));
    }
  }

  @Test
  void releasingAfterEveryEventEndsWhereReleasingOnceDoes() {
    List<ConversationEvent> events = new ArrayList<>(transferredToExpert());
    ConversationTimeline once = new ConversationTimeline();
    events.forEach(once::add);
    String expected = describe(all(once));
    Random random = new Random(5);
    for (int i = 0; i < 50; i++) {
      if (i > 0) {
        Collections.shuffle(events, random);
      }
      ConversationTimeline stepwise = new ConversationTimeline();
      Map<String, Fact> net = new java.util.HashMap<>();
      for (ConversationEvent e : events) {
        stepwise.add(e);
        for (Fact f : stepwise.due(Long.MAX_VALUE / 2, LATENESS)) {
          if (f.sign > 0) {
            net.put(f.id, f);
          } else {
            net.remove(f.id);
          }
        }
      }
      assertEquals(expected, describe(net), "order " + i);
    }
  }

  private static String describe(Map<String, Fact> facts) {
    return facts.values().stream()
        .map(f -> f + " w=" + f.waitSeconds + " r=" + f.resolved + " aht=" + f.ahtSeconds)
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  @Test
  void factsWaitForTheWatermark() {
    ConversationTimeline timeline = new ConversationTimeline();
    containedByBot().forEach(timeline::add);
    List<Fact> early = timeline.due(t(12), LATENESS);
    assertEquals(2, early.size(), "only the two customer messages are due: " + early);
    assertEquals(t(40), timeline.nextDue());
    List<Fact> rest = timeline.due(t(40), LATENESS);
    assertEquals(List.of("conv"), rest.stream().map(f -> f.id).toList());
    assertTrue(timeline.due(t(100), LATENESS).isEmpty(), "nothing is released twice");
  }

  /**
   * A caller that calls {@code due} only when the watermark reaches {@code nextRelease} (or an
   * added event's own time) releases the same facts as one that calls it on every watermark, in
   * every arrival order, with and without the conversation's start (facts then wait the lateness).
   */
  @Test
  void wakingAtNextReleaseReleasesWhatDueOnEveryWatermarkReleases() {
    Random random = new Random(11);
    for (int round = 0; round < 200; round++) {
      List<ConversationEvent> events = new ArrayList<>(containedByBot());
      events.add(handoff(40));
      events.add(assigned("a7", Tier.AGENT, 55));
      events.add(message(Role.AGENT, 60, null));
      if (round % 2 == 1) {
        events.remove(0); // never started: everything waits for the lateness
      }
      Collections.shuffle(events, random);
      ConversationTimeline everyWatermark = new ConversationTimeline();
      ConversationTimeline woken = new ConversationTimeline();
      List<String> expected = new ArrayList<>();
      List<String> actual = new ArrayList<>();
      long wake = Long.MAX_VALUE;
      int next = 0;
      for (long w = t(-20); w <= t(60) + 2 * LATENESS; w += 5_000) {
        if (next < events.size() && random.nextInt(3) > 0) {
          ConversationEvent e = events.get(next++);
          everyWatermark.add(e);
          woken.add(e);
          wake = Math.min(wake, e.getEventTime().toEpochMilli());
        }
        everyWatermark.due(w, LATENESS).forEach(f -> expected.add(f.toString()));
        if (w >= Math.min(wake, woken.nextRelease(LATENESS))) {
          woken.due(w, LATENESS).forEach(f -> actual.add(f.toString()));
          wake = Long.MAX_VALUE;
        }
        // Facts come out at the same watermark; only retractions of facts that no longer exist
        // may wait for the event that removed them.
        assertEquals(
            expected.stream().filter(f -> f.startsWith("+")).sorted().toList(),
            actual.stream().filter(f -> f.startsWith("+")).sorted().toList(),
            "round " + round + ", watermark " + w);
      }
      Collections.sort(expected);
      Collections.sort(actual);
      assertFalse(expected.isEmpty());
      assertEquals(expected, actual, "round " + round + ", arrival order " + events);
      assertEquals(Long.MAX_VALUE, woken.nextRelease(LATENESS), "nothing left to release");
    }
  }

  @Test
  void lateResolvedRetractsAndReplacesTheConversation() {
    ConversationTimeline timeline = new ConversationTimeline();
    List<ConversationEvent> events = new ArrayList<>(containedByBot());
    ConversationEvent late = events.remove(5); // RESOLVED at t(30)
    events.forEach(timeline::add);
    Fact before =
        timeline.due(t(60), LATENESS).stream().filter(f -> f.id.equals("conv")).findFirst().get();
    assertFalse(before.resolved);

    assertTrue(timeline.add(late));
    List<Fact> changes = timeline.due(t(90), LATENESS);
    assertEquals(2, changes.size(), changes.toString());
    assertEquals(-1, changes.get(0).sign);
    assertFalse(changes.get(0).resolved);
    assertEquals(1, changes.get(1).sign);
    assertTrue(changes.get(1).resolved && changes.get(1).contained);
  }

  @Test
  void withoutItsStartAFactWaitsUntilTheLatenessHasPassed() {
    ConversationTimeline timeline = new ConversationTimeline();
    timeline.add(message(Role.CUSTOMER, 5, 0.1));
    assertTrue(timeline.due(t(60), LATENESS).isEmpty());
    List<Fact> forced = timeline.due(t(5) + LATENESS, LATENESS);
    assertEquals(1, forced.size());
    assertNull(forced.get(0).channel);
  }

  @Test
  void duplicatesAreRefused() {
    ConversationTimeline timeline = new ConversationTimeline();
    ConversationEvent e = started(Channel.WEB, Entry.BOT, 0);
    assertTrue(timeline.add(e));
    assertFalse(timeline.add(e));
  }

  @Test
  void withBotUntilTheFirstHandoff() {
    ConversationTimeline timeline = new ConversationTimeline();
    transferredToExpert().forEach(timeline::add);
    assertTrue(timeline.withBot(t(5)));
    assertFalse(timeline.withBot(t(10)));
    ConversationTimeline phone = new ConversationTimeline();
    phone.add(started(Channel.PHONE, Entry.HUMAN, 0));
    assertFalse(phone.withBot(t(1)));
  }

  @Test
  void compactionKeepsWhatSurveysNeed() {
    ConversationTimeline timeline = new ConversationTimeline();
    transferredToExpert().forEach(timeline::add);
    timeline.due(t(400), LATENESS);
    timeline.compact();
    ConversationEvent survey = event(EventType.SURVEY_SUBMITTED, 90_000);
    survey.setCsat(5);
    assertTrue(timeline.add(survey));
    List<Fact> facts = timeline.due(t(90_000), LATENESS);
    assertEquals(1, facts.size());
    assertEquals("x1", facts.get(0).agent);
    assertEquals("APP", facts.get(0).channel);
    assertEquals(5, facts.get(0).csat);
  }

  @Test
  void stateSurvivesSerialisation() throws Exception {
    ConversationTimeline timeline = new ConversationTimeline();
    transferredToExpert().forEach(timeline::add);
    timeline.due(t(120), LATENESS);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    timeline.writeTo(new DataOutputStream(bytes));
    ConversationTimeline copy =
        ConversationTimeline.readFrom(
            new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(
        describe(toMap(timeline.due(t(400), LATENESS))),
        describe(toMap(copy.due(t(400), LATENESS))));
  }

  private static Map<String, Fact> toMap(List<Fact> facts) {
    return facts.stream().collect(Collectors.toMap(f -> f.id + f.sign, f -> f));
  }

  @Test
  void sentimentChangeUsesQuarters() {
    assertEquals(
        (0.8 + 0.6) / 2 - (-0.4 + -0.2) / 2,
        ConversationTimeline.sentimentChange(List.of(-0.4, -0.2, 0.0, 0.1, 0.2, 0.3, 0.6, 0.8)),
        1e-12);
    assertTrue(Double.isNaN(ConversationTimeline.sentimentChange(List.of())));
  }
}
