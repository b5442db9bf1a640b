package io.kefu.batch.qa;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.kefu.batch.EventRows;
import io.kefu.core.qa.AgentQa;
import io.kefu.core.qa.ConversationQa;
import io.kefu.core.qa.QaInspector;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.QaViolation;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The transformations of {@code kefu batch qa}, each a Dataset → Dataset function with no I/O:
 * select the conversations that started on a day, inspect each with the core rule engine, and
 * aggregate per agent. {@link QaCommand} reads the lake and writes the results.
 */
public final class QaJob {
  private QaJob() {}

  /** One violation: the columns of {@link QaViolation}. */
  public static final StructType VIOLATION =
      new StructType()
          .add("violation_id", DataTypes.StringType, false)
          .add("tenant", DataTypes.StringType, false)
          .add("conversation_id", DataTypes.StringType, false)
          .add("message_id", DataTypes.StringType)
          .add("agent_id", DataTypes.StringType)
          .add("channel", DataTypes.StringType)
          .add("queue", DataTypes.StringType)
          .add("rule_id", DataTypes.StringType, false)
          .add("rule_kind", DataTypes.StringType, false)
          .add("rule_version", DataTypes.StringType, false)
          .add("matched_text", DataTypes.StringType)
          .add("penalty", DataTypes.DoubleType, false)
          .add("event_time", DataTypes.TimestampType, false);

  /** One agent's part of one conversation ({@link AgentQa}). */
  public static final StructType AGENT =
      new StructType()
          .add("agent_id", DataTypes.StringType)
          .add("queue", DataTypes.StringType)
          .add("channel", DataTypes.StringType)
          .add("score", DataTypes.DoubleType, false)
          .add("violations", DataTypes.IntegerType, false)
          .add(
              "by_rule",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType, false),
              false);

  /** One inspected conversation ({@link ConversationQa}) with its tenant and start. */
  public static final StructType INSPECTED =
      new StructType()
          .add("conversation_id", DataTypes.StringType, false)
          .add("tenant", DataTypes.StringType, false)
          .add("started_at", DataTypes.TimestampType)
          .add("score", DataTypes.DoubleType, false)
          .add("violations", DataTypes.createArrayType(VIOLATION, false), false)
          .add("agents", DataTypes.createArrayType(AGENT, false), false);

  /**
   * Per conversation: {@code first_event} (its earliest event) and {@code started_at} (its earliest
   * {@code CONVERSATION_STARTED}, null when that event is not among {@code events}).
   */
  public static Dataset<Row> starts(Dataset<Row> events) {
    return events
        .groupBy("conversation_id")
        .agg(
            min("event_time").as("first_event"),
            min(when(col("event_type").equalTo("CONVERSATION_STARTED"), col("event_time")))
                .as("started_at"));
  }

  /**
   * The events of the conversations that started on {@code day} in {@code zone}: those whose {@code
   * CONVERSATION_STARTED} falls in [day 00:00, day+1 00:00) there. Read the lake partitions of the
   * day and the next one, so that conversations running past midnight are whole. A conversation
   * whose start event is missing (it began the day before) is not selected.
   */
  public static Dataset<Row> startedOn(Dataset<Row> events, LocalDate day, ZoneId zone) {
    Dataset<Row> ids =
        starts(events).where(within(col("started_at"), day, zone)).select("conversation_id");
    return events.join(ids, new String[] {"conversation_id"}, "left_semi");
  }

  /**
   * Conversations with events on {@code day} but no start event among {@code events}: they began
   * before the day (or lost their start event) and are not inspected; the summary counts them.
   */
  public static Dataset<Row> withoutStart(Dataset<Row> events, LocalDate day, ZoneId zone) {
    return starts(events)
        .where(col("started_at").isNull().and(within(col("first_event"), day, zone)))
        .select("conversation_id");
  }

  /**
   * {@code t} in [day 00:00, day+1 00:00) in {@code zone}; instants compare in any session zone.
   */
  static Column within(Column t, LocalDate day, ZoneId zone) {
    Timestamp from = Timestamp.from(day.atStartOfDay(zone).toInstant());
    Timestamp to = Timestamp.from(day.plusDays(1).atStartOfDay(zone).toInstant());
    return t.geq(lit(from)).and(t.lt(lit(to)));
  }

  /**
   * Inspects every conversation in {@code events} (all its events, any order) with {@code
   * inspector}: one {@link #INSPECTED} row per conversation.
   */
  public static Dataset<Row> inspect(Dataset<Row> events, QaInspector inspector) {
    EventRows mapper = new EventRows(events.schema());
    int idColumn = events.schema().fieldIndex("conversation_id");
    return events
        .groupByKey((MapFunction<Row, String>) r -> r.getString(idColumn), Encoders.STRING())
        .mapGroups(
            (MapGroupsFunction<String, Row, Row>)
                (id, rows) -> {
                  List<ConversationEvent> conversation = new ArrayList<>();
                  rows.forEachRemaining(r -> conversation.add(mapper.toEvent(r)));
                  return inspected(conversation, inspector.inspect(conversation));
                },
            Encoders.row(INSPECTED));
  }

  static Row inspected(List<ConversationEvent> events, ConversationQa qa) {
    ConversationEvent first = events.get(0);
    Instant started = null;
    for (ConversationEvent e : events) {
      if (e.getEventTime().isBefore(first.getEventTime())) {
        first = e;
      }
      if (e.getEventType() == io.kefu.schemas.EventType.CONVERSATION_STARTED
          && (started == null || e.getEventTime().isBefore(started))) {
        started = e.getEventTime();
      }
    }
    List<Row> violations = new ArrayList<>(qa.violations().size());
    for (QaViolation v : qa.violations()) {
      violations.add(violationRow(v));
    }
    List<Row> agents = new ArrayList<>(qa.agents().size());
    for (AgentQa a : qa.agents()) {
      agents.add(
          RowFactory.create(
              a.agentId(),
              a.queue(),
              a.channel() == null ? null : a.channel().name(),
              a.score(),
              a.violations(),
              scala.jdk.javaapi.CollectionConverters.asScala(a.byRule())));
    }
    return RowFactory.create(
        first.getConversationId(),
        first.getTenant(),
        started == null ? null : Timestamp.from(started),
        qa.score(),
        scala.jdk.javaapi.CollectionConverters.asScala(violations).toSeq(),
        scala.jdk.javaapi.CollectionConverters.asScala(agents).toSeq());
  }

  /** A {@link QaViolation} as a {@link #VIOLATION} row. */
  public static Row violationRow(QaViolation v) {
    return RowFactory.create(
        v.getViolationId(),
        v.getTenant(),
        v.getConversationId(),
        v.getMessageId(),
        v.getAgentId(),
        v.getChannel() == null ? null : v.getChannel().name(),
        v.getQueue(),
        v.getRuleId(),
        v.getRuleKind().name(),
        v.getRuleVersion(),
        v.getMatchedText(),
        v.getPenalty(),
        Timestamp.from(v.getEventTime()));
  }

  /** Every violation of the inspected conversations, one {@link #VIOLATION} row each. */
  public static Dataset<Row> violations(Dataset<Row> inspected) {
    return inspected.select(explode(col("violations")).as("v")).select("v.*");
  }

  /**
   * Per agent and queue: {@code conversations} inspected (one per conversation the agent sent a
   * message in), {@code qa_score_mean} (mean of the agent's scores in them), {@code violations},
   * {@code violations_by_rule} (rule id → count, only rules broken) and {@code worst_rule} (the
   * rule broken most often, the smaller id on a tie; null without violations). Sorted by agent and
   * queue.
   */
  public static Dataset<Row> agentReport(Dataset<Row> inspected) {
    Dataset<Row> agents = inspected.select(explode(col("agents")).as("a")).select("a.*");
    Dataset<Row> totals =
        agents
            .groupBy("agent_id", "queue")
            .agg(
                count(lit(1)).as("conversations"),
                avg("score").as("qa_score_mean"),
                sum("violations").as("violations"));
    Dataset<Row> byRule =
        agents
            .select(
                col("agent_id"),
                col("queue"),
                explode(col("by_rule")).as(new String[] {"rule_id", "n"}))
            .groupBy("agent_id", "queue", "rule_id")
            .agg(sum("n").as("n"))
            .groupBy("agent_id", "queue")
            .agg(
                map_from_entries(sort_array(collect_list(struct(col("rule_id"), col("n")))))
                    .as("violations_by_rule"),
                // ascending by (−n, rule id): the first entry is the most frequent rule
                sort_array(collect_list(struct(col("n").multiply(-1).as("neg"), col("rule_id"))))
                    .getItem(0)
                    .getField("rule_id")
                    .as("worst_rule"));
    // queue may be null (an agent message before any queue is known): join null-safe
    Dataset<Row> t = totals.as("t");
    Dataset<Row> r = byRule.as("r");
    return t.join(
            r,
            col("t.agent_id")
                .eqNullSafe(col("r.agent_id"))
                .and(col("t.queue").eqNullSafe(col("r.queue"))),
            "left")
        .select(
            col("t.agent_id"),
            col("t.queue"),
            col("conversations"),
            col("qa_score_mean"),
            col("violations"),
            col("violations_by_rule"),
            col("worst_rule"))
        .orderBy(col("agent_id"), col("queue"));
  }

  /** Violations per rule id over all inspected conversations, sorted by rule id. */
  public static Dataset<Row> violationsByRule(Dataset<Row> inspected) {
    return violations(inspected)
        .groupBy("rule_id")
        .agg(count(lit(1)).as("violations"))
        .orderBy("rule_id");
  }

  /** Conversation count, score mean and violation count, as one row. */
  public static Dataset<Row> totals(Dataset<Row> inspected) {
    return inspected.agg(
        count(lit(1)).as("conversations"),
        avg("score").as("qa_score_mean"),
        sum(org.apache.spark.sql.functions.size(col("violations"))).as("violations"));
  }
}
