package io.kefu.batch.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-conversation fold, without Spark. Times are minutes. */
class ConversationFactsTest {

  static LakeEvent event(int kind, long minute) {
    LakeEvent e = new LakeEvent();
    e.setConversationId("c-1");
    e.setKind(kind);
    e.setTime(minute * 60_000);
    return e;
  }

  static LakeEvent start(long minute, String customer, String channel) {
    LakeEvent e = event(ConversationFacts.STARTED, minute);
    e.setTenant("acme");
    e.setCustomer(customer);
    e.setChannel(channel);
    return e;
  }

  static LakeEvent says(long minute, String language, Double sentiment, Double anger) {
    LakeEvent e = event(ConversationFacts.CUSTOMER_MESSAGE, minute);
    e.setLanguage(language);
    e.setSentiment(sentiment);
    e.setAnger(anger);
    return e;
  }

  static LakeEvent survey(long minute, int csat) {
    LakeEvent e = event(ConversationFacts.OTHER, minute);
    e.setCsat(csat);
    return e;
  }

  /**
   * A web chat: three customer messages (the last, in English, angry), resolved and closed, a
   * survey of 4 and a later one of 2.
   */
  static List<LakeEvent> angryChat() {
    return List.of(
        start(0, "cust-a", "WEB"),
        says(1, "zh", 0.5, 0.1),
        says(2, "zh", null, null),
        event(ConversationFacts.OTHER, 3),
        says(4, "en", -0.9, 0.85),
        event(ConversationFacts.RESOLVED, 5),
        event(ConversationFacts.CLOSED, 6),
        survey(60, 4),
        survey(120, 2));
  }

  static String facts(ConversationFacts c) {
    return String.join(
        " ",
        String.valueOf(c.getStartedAt()),
        c.getTenant(),
        c.getCustomer(),
        c.getChannel(),
        String.valueOf(c.isClosed()),
        String.valueOf(c.isResolved()),
        String.valueOf(c.getCsatSum()),
        String.valueOf(c.getCsatN()),
        String.valueOf(c.getCsatLast()),
        String.valueOf(c.getCsatTime()),
        String.valueOf(c.getSentimentSum()),
        String.valueOf(c.getSentimentN()),
        String.valueOf(c.getComplaints()),
        c.getLanguage(),
        String.valueOf(c.getLanguageTime()));
  }

  static ConversationFacts fold(List<LakeEvent> events) {
    ConversationFacts c = new ConversationFacts("c-1");
    events.forEach(c::add);
    return c;
  }

  @Test
  void foldsAConversation() {
    ConversationFacts c = fold(angryChat());
    assertTrue(c.started());
    assertEquals(
        "0 acme cust-a WEB true true 6 2 2 7200000 -0.4 2 1 en 240000", facts(c), "csat last: 2");
    assertEquals(-0.2, c.meanSentiment(), 1e-12);
  }

  /** Partitions split a conversation anywhere and merge in any order: the same facts. */
  @Test
  void anySplitAndMergeOrderGivesTheSameFacts() {
    String whole = facts(fold(angryChat()));
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<LakeEvent> events = new ArrayList<>(angryChat());
      Collections.shuffle(events, random);
      int parts = 1 + random.nextInt(4);
      List<ConversationFacts> partials = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        partials.add(new ConversationFacts("c-1"));
      }
      for (LakeEvent e : events) {
        partials.get(random.nextInt(parts)).add(e);
      }
      Collections.shuffle(partials, random);
      ConversationFacts merged = partials.get(0);
      for (ConversationFacts p : partials.subList(1, parts)) {
        merged.merge(p);
      }
      assertEquals(whole, facts(merged), "round " + round);
    }
  }

  @Test
  void latestLanguageWinsAndATieGoesToTheFirstCode() {
    assertEquals(
        "en", fold(List.of(says(1, "zh", 0.0, 0.0), says(1, "en", 0.0, 0.0))).getLanguage());
    assertEquals(
        "zh", fold(List.of(says(1, "en", 0.0, 0.0), says(2, "zh", 0.0, 0.0))).getLanguage());
  }

  @Test
  void severalStartEventsKeepTheEarliestTimeAndTheGreatestNames() {
    ConversationFacts c = fold(List.of(start(5, "cust-b", "APP"), start(3, "cust-a", "WEB")));
    assertEquals(3 * 60_000, c.getStartedAt());
    assertEquals("cust-b", c.getCustomer());
    assertEquals("WEB", c.getChannel());
  }

  @Test
  void withoutAStartEventThereIsNoCustomer() {
    ConversationFacts c = fold(List.of(survey(1, 5), event(ConversationFacts.CLOSED, 2)));
    assertFalse(c.started());
    assertEquals(null, c.getCustomer());
    assertEquals(null, c.meanSentiment());
  }
}
