package io.kefu.batch.qa;

import static io.kefu.batch.Fixtures.DAY;
import static io.kefu.batch.Fixtures.SHANGHAI;
import static io.kefu.batch.Fixtures.assigned;
import static io.kefu.batch.Fixtures.at;
import static io.kefu.batch.Fixtures.closed;
import static io.kefu.batch.Fixtures.message;
import static io.kefu.batch.Fixtures.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.Simulated;
import io.kefu.batch.TestRows;
import io.kefu.batch.TestSpark;
import io.kefu.core.qa.ConversationQa;
import io.kefu.core.qa.QaInspector;
import io.kefu.core.qa.QaRuleSet;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Role;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class QaJobTest {

  static final SparkSession SPARK = TestSpark.session();
  static final QaInspector INSPECTOR = new QaInspector(QaRuleSet.defaults());

  /** Starts at 23:50 on the day in Shanghai and runs past midnight. */
  static List<ConversationEvent> lateNightChat() {
    String c = "late-night";
    return List.of(
        started(c, at(0, 23, 50)),
        assigned(c, 1, at(0, 23, 51), "agent-1"),
        message(c, 2, at(0, 23, 52), Role.CUSTOMER, null, "你好，我的快递丢了"),
        message(c, 3, at(1, 0, 5), Role.AGENT, "agent-1", "您好，很高兴为您服务，我帮您查一下"),
        closed(c, 4, at(1, 0, 20)));
  }

  /** Starts at 00:10 on the day in Shanghai: 16:10 UTC the day before. */
  static List<ConversationEvent> earlyMorning() {
    String c = "early-morning";
    return List.of(
        started(c, at(0, 0, 10)),
        assigned(c, 1, at(0, 0, 11), "agent-2"),
        message(c, 2, at(0, 0, 12), Role.AGENT, "agent-2", "你好"),
        closed(c, 3, at(0, 0, 30)));
  }

  /** Starts at 00:10 the next day in Shanghai: 16:10 UTC on the day. */
  static List<ConversationEvent> nextDay() {
    String c = "next-day";
    return List.of(started(c, at(1, 0, 10)), closed(c, 1, at(1, 0, 40)));
  }

  /** Began the evening before (its start is in a partition not read); only its end is here. */
  static List<ConversationEvent> spilloverFromYesterday() {
    String c = "spillover";
    return List.of(
        message(c, 5, at(0, 0, 2), Role.AGENT, "agent-3", "请稍等"), closed(c, 6, at(0, 0, 15)));
  }

  static Dataset<Row> fixture() {
    List<ConversationEvent> all = new ArrayList<>();
    all.addAll(lateNightChat());
    all.addAll(earlyMorning());
    all.addAll(nextDay());
    all.addAll(spilloverFromYesterday());
    return TestRows.dataset(SPARK, all);
  }

  static Set<String> ids(Dataset<Row> events) {
    return events.select("conversation_id").distinct().collectAsList().stream()
        .map(r -> r.getString(0))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void aDayIsTheConversationsThatStartedOnItInTheZone() {
    Dataset<Row> day = QaJob.startedOn(fixture(), DAY, SHANGHAI);
    assertEquals(Set.of("early-morning", "late-night"), ids(day));
    assertEquals(
        lateNightChat().size(),
        day.where("conversation_id = 'late-night'").count(),
        "every event of a conversation that runs past midnight");

    assertEquals(
        Set.of("late-night", "next-day"), ids(QaJob.startedOn(fixture(), DAY, ZoneOffset.UTC)));
    assertEquals(Set.of("spillover"), ids(QaJob.withoutStart(fixture(), DAY, SHANGHAI)));
  }

  @Test
  void theSessionTimeZoneDoesNotMoveTheDay() {
    String before = SPARK.conf().get("spark.sql.session.timeZone");
    try {
      for (String zone : List.of("America/Los_Angeles", "Pacific/Kiritimati", "UTC")) {
        SPARK.conf().set("spark.sql.session.timeZone", zone);
        assertEquals(
            Set.of("early-morning", "late-night"),
            ids(QaJob.startedOn(fixture(), DAY, SHANGHAI)),
            "session zone " + zone);
      }
    } finally {
      SPARK.conf().set("spark.sql.session.timeZone", before);
    }
  }

  @Test
  void eachConversationIsInspectedWholeEvenWhenItsEventsAreScattered() {
    Dataset<Row> scattered = fixture().repartition(4).sortWithinPartitions("event_id");
    Map<String, Row> inspected =
        QaJob.inspect(scattered, INSPECTOR).collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r));
    assertEquals(4, inspected.size());
    for (List<ConversationEvent> conversation :
        List.of(lateNightChat(), earlyMorning(), nextDay(), spilloverFromYesterday())) {
      ConversationQa expected = INSPECTOR.inspect(conversation);
      Row row = inspected.get(conversation.get(0).getConversationId());
      assertEquals(expected.score(), row.getDouble(row.fieldIndex("score")), 1e-12);
      assertEquals(expected.violations().size(), row.getList(row.fieldIndex("violations")).size());
      assertEquals(expected.agents().size(), row.getList(row.fieldIndex("agents")).size());
    }
    Row late = inspected.get("late-night");
    assertEquals(
        lateNightChat().get(0).getEventTime(),
        late.getTimestamp(late.fieldIndex("started_at")).toInstant());
    assertTrue(
        inspected.get("spillover").isNullAt(inspected.get("spillover").fieldIndex("started_at")));
  }

  @Test
  void violationsHaveTheColumnsOfQaViolation() {
    Dataset<Row> violations = QaJob.violations(QaJob.inspect(fixture(), INSPECTOR));
    List<String> avroFields =
        io.kefu.schemas.QaViolation.getClassSchema().getFields().stream()
            .map(org.apache.avro.Schema.Field::name)
            .toList();
    assertEquals(avroFields, List.of(violations.columns()));
  }

  @Test
  void perAgentReportEqualsThePlainJavaComputation() {
    List<ConversationEvent> events = Simulated.events();
    ZoneId zone = SHANGHAI;
    Dataset<Row> inspected =
        QaJob.inspect(QaJob.startedOn(TestRows.dataset(SPARK, events), DAY, zone), INSPECTOR)
            .cache();
    try {
      List<ConversationQa> reference =
          Reference.inspect(Reference.startedOn(events, DAY, zone), INSPECTOR);
      assertTrue(reference.size() > 100, "conversations on the day: " + reference.size());

      List<QaReport.Agent> expected = Reference.agents(reference);
      List<QaReport.Agent> actual =
          QaJob.agentReport(inspected).collectAsList().stream().map(QaReport.Agent::of).toList();
      assertTrue(expected.size() > 5, "agents: " + expected.size());
      assertTrue(expected.stream().anyMatch(a -> a.violations() > 0), "some agent broke a rule");
      assertEquals(expected.size(), actual.size());
      for (int i = 0; i < expected.size(); i++) {
        assertTrue(
            Reference.sameAgent(actual.get(i), expected.get(i)),
            "row " + i + ": " + actual.get(i) + " vs " + expected.get(i));
      }

      Row totals = QaJob.totals(inspected).first();
      assertEquals(reference.size(), totals.getLong(0));
      assertEquals(
          reference.stream().mapToDouble(ConversationQa::score).average().orElseThrow(),
          totals.getDouble(1),
          1e-9);
      assertEquals(
          reference.stream().mapToLong(q -> q.violations().size()).sum(), totals.getLong(2));
      Map<String, Long> byRule =
          reference.stream()
              .flatMap(q -> q.violations().stream())
              .collect(
                  Collectors.groupingBy(
                      v -> v.getRuleId(), java.util.TreeMap::new, Collectors.counting()));
      Map<String, Long> actualByRule = new java.util.TreeMap<>();
      QaJob.violationsByRule(inspected)
          .collectAsList()
          .forEach(r -> actualByRule.put(r.getString(0), r.getLong(1)));
      assertEquals(byRule, actualByRule);
    } finally {
      inspected.unpersist();
    }
  }
}
