package io.kefu.batch.report;

import static io.kefu.batch.Fixtures.DAY;
import static io.kefu.batch.Fixtures.SHANGHAI;
import static io.kefu.batch.Fixtures.at;
import static io.kefu.batch.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.TestRows;
import io.kefu.batch.TestSpark;
import io.kefu.core.kpi.Fact;
import io.kefu.core.kpi.KpiSettings;
import io.kefu.core.qa.QaInspector;
import io.kefu.core.qa.QaRuleSet;
import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.ResolverRole;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Each transformation of the daily report on a handful of rows, checked by hand. */
class DailyReportTest {

  static final KpiSettings SETTINGS = KpiSettings.defaults().withZone(SHANGHAI);

  SparkSession spark() {
    return TestSpark.session();
  }

  /**
   * c-1: a bot conversation handed off and answered after 30 s, resolved and closed on the day,
   * surveyed the next day; c-0: started the evening before, abandoned and closed after midnight;
   * c-9: closed the day before, surveyed on the day.
   */
  static List<ConversationEvent> day() {
    List<ConversationEvent> e = new ArrayList<>();
    e.add(
        event("c-1", 0, EventType.CONVERSATION_STARTED, at(0, 9, 0))
            .setChannel(Channel.APP)
            .setQueue("billing")
            .setEntry(Entry.BOT)
            .setCustomerId("p-1")
            .setVariant("new")
            .build());
    e.add(
        event("c-1", 1, EventType.MESSAGE, at(0, 9, 1))
            .setRole(Role.CUSTOMER)
            .setText("账单不对")
            .setSentiment(-0.5)
            .setAnger(0.9)
            .build());
    e.add(event("c-1", 2, EventType.HANDOFF_REQUESTED, at(0, 9, 2)).setQueue("billing").build());
    e.add(
        event("c-1", 3, EventType.AGENT_ASSIGNED, at(0, 9, 2).plusSeconds(30))
            .setAgentId("a-1")
            .setTier(Tier.AGENT)
            .build());
    e.add(
        event("c-1", 4, EventType.MESSAGE, at(0, 9, 3))
            .setRole(Role.AGENT)
            .setAgentId("a-1")
            .setText("您好，我来帮您查一下")
            .build());
    e.add(
        event("c-1", 5, EventType.RESOLVED, at(0, 9, 10))
            .setResolverRole(ResolverRole.AGENT)
            .build());
    e.add(event("c-1", 6, EventType.CLOSED, at(0, 9, 12)).build());
    e.add(event("c-1", 7, EventType.SURVEY_SUBMITTED, at(1, 10, 0)).setCsat(5).build());

    e.add(
        event("c-0", 0, EventType.CONVERSATION_STARTED, at(-1, 23, 50))
            .setChannel(Channel.PHONE)
            .setQueue("sales")
            .setEntry(Entry.HUMAN)
            .setCustomerId("p-2")
            .build());
    e.add(event("c-0", 1, EventType.HANDOFF_REQUESTED, at(-1, 23, 55)).setQueue("sales").build());
    e.add(event("c-0", 2, EventType.ABANDONED, at(0, 0, 0)).build());
    e.add(event("c-0", 3, EventType.CLOSED, at(0, 0, 1)).build());

    e.add(
        event("c-9", 0, EventType.CONVERSATION_STARTED, at(-1, 15, 0))
            .setChannel(Channel.WEB)
            .setQueue("billing")
            .setEntry(Entry.HUMAN)
            .setCustomerId("p-9")
            .build());
    e.add(event("c-9", 1, EventType.HANDOFF_REQUESTED, at(-1, 15, 0)).setQueue("billing").build());
    e.add(
        event("c-9", 2, EventType.AGENT_ASSIGNED, at(-1, 15, 1))
            .setAgentId("a-2")
            .setTier(Tier.AGENT)
            .build());
    e.add(event("c-9", 3, EventType.CLOSED, at(-1, 15, 20)).build());
    e.add(event("c-9", 4, EventType.SURVEY_SUBMITTED, at(0, 8, 0)).setCsat(4).setNps(9).build());
    return e;
  }

  @Test
  void factsAreThoseCompletedOnTheDayWithTheirConversationsDimensions() {
    Dataset<Row> events = TestRows.dataset(spark(), day());
    List<Row> facts =
        DailyReport.facts(
                DailyReport.touching(events, DAY, SHANGHAI),
                DAY,
                SHANGHAI,
                new QaInspector(QaRuleSet.defaults()))
            .orderBy("time", "fact_id")
            .collectAsList();
    List<String> seen = new ArrayList<>();
    for (Row r : facts) {
      seen.add(
          r.getAs("conversation_id")
              + " "
              + r.getAs("kind")
              + " "
              + ((Timestamp) r.getAs("time")).toInstant().atZone(SHANGHAI).toLocalTime()
              + " "
              + r.getAs("channel")
              + "/"
              + r.getAs("queue")
              + "/"
              + r.getAs("agent"));
    }
    assertEquals(
        List.of(
            "c-0 LEG 00:00 PHONE/sales/null",
            "c-0 CONVERSATION 00:01 PHONE/sales/null",
            "c-0 QA 00:01 PHONE/sales/null",
            "c-9 SURVEY 08:00 WEB/billing/a-2",
            "c-1 MESSAGE 09:01 APP/billing/null",
            "c-1 LEG 09:02:30 APP/billing/a-1",
            "c-1 FIRST_RESPONSE 09:03 APP/billing/a-1",
            "c-1 CONVERSATION 09:12 APP/billing/a-1",
            "c-1 QA 09:12 APP/billing/null",
            "c-1 AGENT_QA 09:12 APP/billing/a-1"),
        seen);
    Map<String, Row> byKind = new HashMap<>();
    facts.forEach(r -> byKind.put(r.getAs("conversation_id") + " " + r.getAs("kind"), r));
    Row abandoned = byKind.get("c-0 LEG");
    assertEquals("ABANDONED", abandoned.getAs("outcome"));
    assertEquals(300.0, (Double) abandoned.getAs("wait"), "5 minutes, across midnight");
    Row answered = byKind.get("c-1 LEG");
    assertEquals(30.0, (Double) answered.getAs("wait"));
    Row conversation = byKind.get("c-1 CONVERSATION");
    assertTrue((Boolean) conversation.getAs("bot_entry"));
    assertTrue((Boolean) conversation.getAs("handed_off"));
    assertTrue((Boolean) conversation.getAs("resolved"));
    assertFalse((Boolean) conversation.getAs("contained"));
    assertEquals(600.0, (Double) conversation.getAs("ttr"));
    assertEquals(120.0, (Double) conversation.getAs("frt"));
    assertEquals(570.0, (Double) conversation.getAs("aht"));
    assertEquals("p-1", conversation.getAs("customer_id"));
    assertEquals("new", conversation.getAs("variant"));
    assertEquals(60.0, (Double) byKind.get("c-1 FIRST_RESPONSE").getAs("first_response"));
    assertEquals(4, (Integer) byKind.get("c-9 SURVEY").getAs("csat"));
  }

  @Test
  void anEventThatArrivesTwiceCountsOnce() {
    List<ConversationEvent> events = new ArrayList<>(day());
    events.add(events.get(3)); // c-1's AGENT_ASSIGNED again
    long legs =
        DailyReport.facts(TestRows.dataset(spark(), events), DAY, SHANGHAI, null)
            .where("kind = 'LEG'")
            .count();
    assertEquals(2, legs);
  }

  static Fact leg(String conversation, String outcome, double wait, String channel, String agent) {
    Fact f = base(Fact.Kind.LEG, conversation, channel);
    f.outcome = Fact.LegOutcome.valueOf(outcome);
    f.waitSeconds = wait;
    f.agent = agent;
    return f;
  }

  static Fact base(Fact.Kind kind, String conversation, String channel) {
    Fact f = new Fact();
    f.kind = kind;
    f.id = kind + ":" + conversation + ":" + Math.random();
    f.time = at(0, 10, 0).toEpochMilli();
    f.tenant = "acme";
    f.conversationId = conversation;
    f.channel = channel;
    f.queue = "billing";
    return f;
  }

  Dataset<Row> factRows(List<Fact> facts) {
    List<Row> rows = new ArrayList<>();
    for (Fact f : facts) {
      rows.add(FactRows.row(f, null, null, null));
    }
    return spark().createDataFrame(rows, FactRows.FACT);
  }

  @Test
  void kpisPerDimensionValueFollowKpisMd() {
    Fact withVariant = leg("c-1", "ANSWERED", 10, "WEB", "a-1");
    withVariant.variant = "new";
    List<Fact> facts =
        List.of(
            withVariant,
            leg("c-2", "ANSWERED", 30, "WEB", "a-1"),
            leg("c-3", "ABANDONED", 3, "PHONE", null),
            leg("c-4", "ABANDONED", 40, "PHONE", null));
    Map<String, Row> rows = new HashMap<>();
    for (Row r : DailyReport.kpis(factRows(facts), SETTINGS).collectAsList()) {
      rows.put(r.getString(1) + "=" + r.getString(2), r);
    }
    assertEquals(
        List.of(
            "agent=a-1",
            "channel=PHONE",
            "channel=WEB",
            "overall=*",
            "queue=billing",
            "variant=new"),
        rows.keySet().stream().sorted().toList());
    Row all = rows.get("overall=*");
    assertEquals(4.0, (Double) all.getAs("offered"));
    assertEquals(1.0, (Double) all.getAs("short_abandoned"));
    // 2 answered / (2 answered + 2 abandoned − 1 short)
    assertEquals(2.0 / 3, (Double) all.getAs("connect_rate"), 1e-12);
    assertEquals(1.0 / 3, (Double) all.getAs("abandon_rate"), 1e-12);
    assertEquals(1.0 / 3, (Double) all.getAs("service_level"), 1e-12, "only 10 s ≤ 20 s");
    assertEquals(20.0, (Double) all.getAs("asa_seconds"), 1e-12);
    assertEquals(30.0, (Double) all.getAs("wait_max_seconds"));
    assertNull(all.getAs("resolution_rate"), "no conversation closed: NULL, not 0");
    Row phone = rows.get("channel=PHONE");
    assertEquals(0.0, (Double) phone.getAs("connect_rate"));
    assertEquals(1.0, (Double) phone.getAs("abandon_rate"));
    assertNull(phone.getAs("asa_seconds"));
    Row agent = rows.get("agent=a-1");
    assertEquals(2.0, (Double) agent.getAs("answered"));
    assertNull(agent.getAs("connect_rate"), "agent rows: agent metrics only");
    assertEquals(1.0, (Double) rows.get("variant=new").getAs("answered"));
  }

  static final StructType STARTS =
      new StructType()
          .add("conversation_id", DataTypes.StringType)
          .add("customer_id", DataTypes.StringType)
          .add("started_at", DataTypes.TimestampType);

  static Fact closed(String conversation, String customer, boolean resolved, String agent) {
    Fact f = base(Fact.Kind.CONVERSATION, conversation, "WEB");
    f.id = "conv";
    f.resolved = resolved;
    f.agent = agent;
    f.time = at(0, 10, 0).toEpochMilli();
    return f;
  }

  @Test
  void firstContactResolutionAndResponseRate() {
    Instant start = at(0, 9, 0);
    List<Row> facts = new ArrayList<>();
    // resolved, customer back 3 days later: a repeat contact, not FCR
    facts.add(FactRows.row(closed("c-1", "p-1", true, "a-1"), "p-1", start.toEpochMilli(), null));
    // resolved, never back within 7 days (back after 8): FCR
    facts.add(FactRows.row(closed("c-2", "p-2", true, "a-1"), "p-2", start.toEpochMilli(), null));
    // not resolved: not FCR even without a repeat
    facts.add(FactRows.row(closed("c-3", "p-3", false, "a-2"), "p-3", start.toEpochMilli(), null));
    // no customer id: cannot tell
    facts.add(FactRows.row(closed("c-4", null, true, "a-2"), null, start.toEpochMilli(), null));
    Dataset<Row> starts =
        spark()
            .createDataFrame(
                List.of(
                    RowFactory.create("c-1", "p-1", Timestamp.from(start)),
                    RowFactory.create("c-2", "p-2", Timestamp.from(start)),
                    RowFactory.create("c-3", "p-3", Timestamp.from(start)),
                    RowFactory.create("c-5", "p-1", Timestamp.from(at(3, 9, 0))),
                    RowFactory.create("c-6", "p-2", Timestamp.from(at(8, 9, 0)))),
                STARTS);
    Dataset<Row> surveys =
        spark()
            .createDataFrame(
                List.of(RowFactory.create("c-1"), RowFactory.create("c-4")),
                new StructType().add("conversation_id", DataTypes.StringType));
    Dataset<Row> followUps =
        DailyReport.followUps(spark().createDataFrame(facts, FactRows.FACT), starts, surveys);
    Map<String, Row> byConversation = new HashMap<>();
    followUps.collectAsList().forEach(r -> byConversation.put(r.getString(0), r));
    assertEquals(true, byConversation.get("c-1").getAs("repeat"));
    assertEquals(false, byConversation.get("c-1").getAs("fcr"));
    assertEquals(true, byConversation.get("c-2").getAs("fcr"));
    assertEquals(false, byConversation.get("c-3").getAs("fcr"));
    assertNull(byConversation.get("c-4").getAs("fcr"));

    Map<String, Row> rates = new HashMap<>();
    DailyReport.followUpRates(followUps)
        .collectAsList()
        .forEach(r -> rates.put(r.getString(1) + "=" + r.getString(2), r));
    Row all = rates.get("overall=*");
    assertEquals(4L, (Long) all.getAs("closed"));
    assertEquals(3L, (Long) all.getAs("with_customer"));
    assertEquals(1L, (Long) all.getAs("repeat_contacts"));
    assertEquals(1.0 / 3, (Double) all.getAs("fcr_rate"), 1e-12);
    assertEquals(0.5, (Double) all.getAs("response_rate"), 1e-12);
    assertEquals(0.5, (Double) rates.get("agent=a-1").getAs("fcr_rate"), 1e-12);
    assertEquals(0.0, (Double) rates.get("agent=a-2").getAs("fcr_rate"), 1e-12);
    assertFalse(rates.containsKey("variant=unknown"), "no variant: no variant row");
  }

  @Test
  void sentimentByHourInTheZone() {
    Fact a = base(Fact.Kind.MESSAGE, "c-1", "WEB");
    a.time = at(0, 9, 1).toEpochMilli();
    a.sentiment = -0.5;
    a.anger = 0.9;
    Fact b = base(Fact.Kind.MESSAGE, "c-1", "WEB");
    b.time = at(0, 9, 30).toEpochMilli();
    b.sentiment = 0.5;
    b.anger = 0.1;
    Fact c = base(Fact.Kind.MESSAGE, "c-2", "WEB");
    c.time = at(0, 23, 59).toEpochMilli(); // 15:59 UTC
    List<Row> hours =
        DailyReport.sentimentByHour(factRows(List.of(a, b, c)), SHANGHAI, SETTINGS).collectAsList();
    assertEquals(2, hours.size());
    assertEquals(9, (Integer) hours.get(0).getAs("hour"));
    assertEquals(2L, (Long) hours.get(0).getAs("customer_messages"));
    assertEquals(0.0, (Double) hours.get(0).getAs("sentiment_mean"), 1e-12);
    assertEquals(0.5, (Double) hours.get(0).getAs("negative_share"), 1e-12);
    assertEquals(1L, (Long) hours.get(0).getAs("anger_count"));
    assertEquals(23, (Integer) hours.get(1).getAs("hour"));
    assertNull(hours.get(1).getAs("sentiment_mean"), "unscored: no mean");
    assertNull(hours.get(1).getAs("negative_share"));
  }

  @Test
  void topViolationsLeaderboardAndChannelMix() {
    Fact qa1 = base(Fact.Kind.QA, "c-1", "WEB");
    Fact qa2 = base(Fact.Kind.QA, "c-2", "APP");
    List<Row> rows = new ArrayList<>();
    rows.add(
        FactRows.row(
            qa1,
            null,
            null,
            List.of(
                RowFactory.create("forbidden", "FORBIDDEN_PHRASE", "a-1", "不知道"),
                RowFactory.create("greeting", "REQUIRED_PHRASE", "a-1", null))));
    rows.add(
        FactRows.row(
            qa2,
            null,
            null,
            List.of(RowFactory.create("forbidden", "FORBIDDEN_PHRASE", "a-2", "别问我"))));
    List<Row> top =
        DailyReport.topViolations(spark().createDataFrame(rows, FactRows.FACT)).collectAsList();
    assertEquals(2, top.size());
    assertEquals("forbidden", top.get(0).getAs("rule_id"));
    assertEquals(2L, (Long) top.get(0).getAs("violations"));
    assertEquals(2L, (Long) top.get(0).getAs("conversations"));
    assertEquals(2L, (Long) top.get(0).getAs("agents"));
    assertEquals("不知道", top.get(0).getAs("example"));
    assertEquals("greeting", top.get(1).getAs("rule_id"));

    Fact c1 = closed("c-1", "p-1", true, "a-1");
    Fact c2 = closed("c-2", "p-2", false, "a-1");
    c2.channel = "APP";
    Fact c3 = closed("c-3", "p-3", true, "a-2");
    Fact l1 = leg("c-1", "ANSWERED", 12, "WEB", "a-1");
    Dataset<Row> facts = factRows(List.of(c1, c2, c3, l1));
    Dataset<Row> kpis = DailyReport.kpis(facts, SETTINGS);
    Dataset<Row> rates =
        DailyReport.followUpRates(
            DailyReport.followUps(
                facts,
                spark().createDataFrame(List.of(), STARTS),
                spark()
                    .createDataFrame(
                        List.of(), new StructType().add("conversation_id", DataTypes.StringType))));
    List<Row> board = DailyReport.leaderboard(kpis, rates).collectAsList();
    assertEquals(List.of("a-1", "a-2"), board.stream().map(r -> r.<String>getAs("agent")).toList());
    assertEquals(1L, (Long) board.get(0).getAs("answered"));
    assertEquals(2L, (Long) board.get(0).getAs("closed"));
    assertEquals(0.5, (Double) board.get(0).getAs("resolution_rate"), 1e-12);
    assertNull(board.get(0).getAs("fcr_rate"), "no customer ids: FCR unknown");

    List<Row> mix = DailyReport.channelMix(kpis).collectAsList();
    assertEquals(
        "WEB:2:0.667,APP:1:0.333",
        mix.stream()
            .map(
                r ->
                    r.getAs("channel")
                        + ":"
                        + r.getAs("closed")
                        + ":"
                        + String.format(java.util.Locale.ROOT, "%.3f", (Double) r.getAs("share")))
            .collect(Collectors.joining(",")));
  }
}
