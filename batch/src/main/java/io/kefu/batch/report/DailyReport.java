package io.kefu.batch.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.kefu.batch.EventRows;
import io.kefu.core.conversation.ConversationTimeline;
import io.kefu.core.kpi.Dimensions;
import io.kefu.core.kpi.Fact;
import io.kefu.core.kpi.KpiAccumulator;
import io.kefu.core.kpi.KpiSettings;
import io.kefu.core.qa.ConversationQa;
import io.kefu.core.qa.QaFacts;
import io.kefu.core.qa.QaInspector;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Dimension;
import io.kefu.schemas.EventType;
import io.kefu.schemas.QaViolation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The transformations of {@code kefu batch report}, each a Dataset → Dataset function without I/O.
 *
 * <p>The KPIs share their definitions with the streaming job by construction: the events of every
 * conversation with an event on the day are fed to core's {@link ConversationTimeline} (facts: legs
 * at answer/abandon, conversations at CLOSED, surveys at SURVEY_SUBMITTED, messages at their time)
 * and {@link QaInspector} (QA facts at the conversation's close), the facts whose time falls on the
 * day (in the zone) are kept, and {@link KpiAccumulator} aggregates them per dimension value as
 * {@link Dimensions} assigns them. The tests compare the result with the independent SQL oracle.
 */
public final class DailyReport {
  private DailyReport() {}

  /** Every KPI metric, in the order of the columns of {@link #KPIS}. */
  public static final List<String> METRICS = KpiAccumulator.METRICS;

  /** One row per tenant, dimension and value: every metric of {@link KpiAccumulator}. */
  public static final StructType KPIS = kpiSchema();

  private static StructType kpiSchema() {
    StructType s =
        new StructType()
            .add("tenant", DataTypes.StringType, false)
            .add("dimension", DataTypes.StringType, false)
            .add("dimension_value", DataTypes.StringType, false);
    for (String m : METRICS) {
      s = s.add(m, DataTypes.DoubleType);
    }
    return s;
  }

  /** [day 00:00, day+1 00:00) in {@code zone}, as epoch milliseconds. */
  public static long[] bounds(LocalDate day, ZoneId zone) {
    return new long[] {
      day.atStartOfDay(zone).toInstant().toEpochMilli(),
      day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli()
    };
  }

  /**
   * The events of every conversation that has at least one event on {@code day}: the only ones that
   * can complete a fact that day. {@code events} should reach back far enough for their starts (and
   * forward for nothing: facts of later days are dropped anyway).
   */
  public static Dataset<Row> touching(Dataset<Row> events, LocalDate day, ZoneId zone) {
    return touching(events, day, day, zone);
  }

  /** As {@link #touching(Dataset, LocalDate, ZoneId)} for the days first to last (inclusive). */
  public static Dataset<Row> touching(
      Dataset<Row> events, LocalDate first, LocalDate last, ZoneId zone) {
    Timestamp from = new Timestamp(bounds(first, zone)[0]);
    Timestamp to = new Timestamp(bounds(last, zone)[1]);
    Dataset<Row> ids =
        events
            .where(col("event_time").geq(lit(from)).and(col("event_time").lt(lit(to))))
            .select("conversation_id")
            .distinct();
    return events.join(ids, new String[] {"conversation_id"}, "left_semi");
  }

  /**
   * The facts of {@code events} (lake rows, whole conversations) attributed to {@code day}: one
   * {@link FactRows#FACT} row each, the conversation facts of core's timeline plus a QA fact for
   * the conversation and one per agent, at the conversation's last CLOSED (its last event when it
   * never closed), as the streaming job's quality inspection places them.
   */
  public static Dataset<Row> facts(
      Dataset<Row> events, LocalDate day, ZoneId zone, QaInspector inspector) {
    return facts(events, day, day, zone, inspector);
  }

  /**
   * As {@link #facts(Dataset, LocalDate, ZoneId, QaInspector)} for the days {@code first} to {@code
   * last} (inclusive); a null {@code inspector} leaves QA facts out.
   */
  public static Dataset<Row> facts(
      Dataset<Row> lake, LocalDate first, LocalDate last, ZoneId zone, QaInspector inspector) {
    // Only what core's timeline and QA read goes through the shuffle: not the attributes map (the
    // costliest column to move and to convert) nor the language.
    Dataset<Row> events = lake.drop(UNUSED);
    EventRows mapper = new EventRows(events.schema());
    int idColumn = events.schema().fieldIndex("conversation_id");
    long from = bounds(first, zone)[0];
    long to = bounds(last, zone)[1];
    return events
        .groupByKey((MapFunction<Row, String>) r -> r.getString(idColumn), Encoders.STRING())
        .flatMapGroups(
            (FlatMapGroupsFunction<String, Row, Row>)
                (id, rows) -> {
                  List<ConversationEvent> conversation = new ArrayList<>();
                  rows.forEachRemaining(r -> conversation.add(mapper.toEvent(r)));
                  return conversationFacts(conversation, inspector, from, to).iterator();
                },
            Encoders.row(FactRows.FACT));
  }

  /** Lake columns no fact depends on. */
  static final String[] UNUSED = {"attributes", "language", "reason", "target_tier"};

  /** The facts of one conversation's events with a time in [from, to), as rows. */
  static List<Row> conversationFacts(
      List<ConversationEvent> events, QaInspector inspector, long from, long to) {
    // The lake has no arrival order; events at the same millisecond are taken in lifecycle order
    // (the EventType order: started, message, handoff, assigned, ..., resolved, closed, survey),
    // the order in which they happen and almost always arrive.
    events.sort(
        (x, y) -> {
          int c = x.getEventTime().compareTo(y.getEventTime());
          if (c == 0) {
            c = Integer.compare(x.getEventType().ordinal(), y.getEventType().ordinal());
          }
          return c != 0 ? c : x.getEventId().compareTo(y.getEventId());
        });
    ConversationTimeline timeline = new ConversationTimeline();
    Map<String, ConversationEvent> unique = new LinkedHashMap<>();
    Long startedAt = null;
    long closed = Long.MIN_VALUE;
    long last = Long.MIN_VALUE;
    for (ConversationEvent e : events) {
      if (!timeline.add(e)) {
        continue; // duplicate event id
      }
      long t = e.getEventTime().toEpochMilli();
      if (e.getEventType() == EventType.CONVERSATION_STARTED && startedAt == null) {
        startedAt = t;
      }
      if (e.getEventType() == EventType.SURVEY_SUBMITTED) {
        continue; // not part of the service: not inspected
      }
      unique.put(e.getEventId(), e);
      if (e.getEventType() == EventType.CLOSED) {
        closed = Math.max(closed, t);
      } else {
        last = Math.max(last, t);
      }
    }
    List<Row> out = new ArrayList<>();
    String customer = timeline.customerId();
    for (Fact f : timeline.due(Long.MAX_VALUE, 0)) {
      if (f.sign > 0 && f.time >= from && f.time < to) {
        out.add(FactRows.row(f, customer, startedAt, null));
      }
    }
    long qaAt = closed != Long.MIN_VALUE ? closed : last;
    if (inspector != null && !unique.isEmpty() && qaAt >= from && qaAt < to) {
      List<ConversationEvent> all = new ArrayList<>(unique.values());
      ConversationQa qa = inspector.inspect(all);
      List<Fact> facts = QaFacts.of(qa, all, qaAt);
      List<Row> violations = new ArrayList<>(qa.violations().size());
      for (QaViolation v : qa.violations()) {
        violations.add(
            RowFactory.create(
                v.getRuleId(), v.getRuleKind().name(), v.getAgentId(), v.getMatchedText()));
      }
      out.add(FactRows.row(facts.get(0), customer, startedAt, violations));
      for (Fact agent : facts.subList(1, facts.size())) {
        out.add(FactRows.row(agent, customer, startedAt, null));
      }
    }
    return out;
  }

  private static final StructType PARTIAL =
      new StructType()
          .add("key", DataTypes.StringType, false)
          .add("tenant", DataTypes.StringType, false)
          .add("dimension", DataTypes.StringType, false)
          .add("dimension_value", DataTypes.StringType, false)
          .add("totals", DataTypes.BinaryType, false);

  /**
   * Every metric per tenant, dimension (overall, channel, queue, agent, variant, lower case as in
   * {@code kpi_windows}) and value, from {@link FactRows#FACT} rows: each partition adds its facts
   * into one {@link KpiAccumulator} per dimension value, then the partial totals are merged. Agent
   * rows carry only {@link KpiAccumulator#AGENT_METRICS}; undefined values are null. Sorted by
   * tenant, dimension and value.
   */
  public static Dataset<Row> kpis(Dataset<Row> facts, KpiSettings kpiSettings) {
    Settings shipped = Settings.of(kpiSettings);
    Dataset<Row> partial =
        facts.mapPartitions(
            (MapPartitionsFunction<Row, Row>)
                rows -> {
                  KpiSettings settings = shipped.kpiSettings();
                  Map<Dimensions.Key, KpiAccumulator> totals = new HashMap<>();
                  while (rows.hasNext()) {
                    Fact f = FactRows.fact(rows.next());
                    for (Dimensions.Key k : Dimensions.of(f)) {
                      totals.computeIfAbsent(k, x -> new KpiAccumulator()).add(f, settings);
                    }
                  }
                  List<Row> out = new ArrayList<>(totals.size());
                  totals.forEach(
                      (k, acc) ->
                          out.add(
                              RowFactory.create(
                                  k.asString(),
                                  k.tenant(),
                                  dimensionName(k.dimension()),
                                  k.value(),
                                  bytes(acc))));
                  return out.iterator();
                },
            Encoders.row(PARTIAL));
    int key = PARTIAL.fieldIndex("key");
    return partial
        .groupByKey((MapFunction<Row, String>) r -> r.getString(key), Encoders.STRING())
        .mapGroups(
            (MapGroupsFunction<String, Row, Row>)
                (k, rows) -> {
                  Row first = rows.next();
                  KpiAccumulator acc = accumulator(first.getAs("totals"));
                  while (rows.hasNext()) {
                    acc.merge(accumulator(rows.next().getAs("totals")));
                  }
                  String dimension = first.getAs("dimension");
                  double[] v = acc.values(shipped.kpiSettings(), dimension.equals("agent"));
                  Object[] cells = new Object[3 + v.length];
                  cells[0] = first.getAs("tenant");
                  cells[1] = dimension;
                  cells[2] = first.getAs("dimension_value");
                  for (int i = 0; i < v.length; i++) {
                    cells[3 + i] = Double.isNaN(v[i]) ? null : v[i];
                  }
                  return RowFactory.create(cells);
                },
            Encoders.row(KPIS))
        .orderBy("tenant", "dimension", "dimension_value");
  }

  static String dimensionName(Dimension d) {
    return d.name().toLowerCase(Locale.ROOT);
  }

  private static byte[] bytes(KpiAccumulator acc) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      acc.writeTo(new DataOutputStream(bytes));
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KpiAccumulator accumulator(byte[] bytes) {
    try {
      return KpiAccumulator.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How long after a close another contact by the same customer makes it a repeat contact. */
  public static final long REPEAT_WINDOW_MILLIS = 7L * 24 * 3600 * 1000;

  /**
   * Per conversation closed on the day (its CONVERSATION fact): {@code repeat} — the same customer
   * started another conversation after this one's start and at most 7 days after its close (from
   * {@code starts}: conversation_id, customer_id, started_at); {@code fcr} — resolved and no repeat
   * (null without a customer id: it cannot be told); {@code surveyed} — a survey for it is among
   * {@code surveys} (conversation_id). Columns: conversation_id, tenant, channel, queue, agent,
   * variant, resolved, repeat, fcr, surveyed.
   */
  public static Dataset<Row> followUps(
      Dataset<Row> facts, Dataset<Row> starts, Dataset<Row> surveys) {
    Dataset<Row> closed =
        facts
            .where(col("kind").equalTo("CONVERSATION"))
            .select(
                "conversation_id",
                "tenant",
                "channel",
                "queue",
                "agent",
                "variant",
                "resolved",
                "customer_id",
                "started_at",
                "time");
    Dataset<Row> c = closed.as("c");
    Dataset<Row> s =
        starts
            .select(
                col("conversation_id").as("s_conversation"),
                col("customer_id").as("s_customer"),
                col("started_at").as("s_started"))
            .as("s");
    Dataset<Row> repeats =
        c.join(
                s,
                col("s_customer")
                    .equalTo(col("c.customer_id"))
                    .and(col("s_conversation").notEqual(col("c.conversation_id")))
                    .and(col("s_started").gt(col("c.started_at")))
                    .and(
                        col("s_started")
                            .leq(
                                col("c.time")
                                    .plus(
                                        expr(
                                            "INTERVAL "
                                                + REPEAT_WINDOW_MILLIS / 1000
                                                + " SECONDS")))),
                "inner")
            .select(col("c.conversation_id").as("r_conversation"))
            .distinct();
    Dataset<Row> surveyed = surveys.select(col("conversation_id").as("v_conversation")).distinct();
    return closed
        .join(repeats, col("conversation_id").equalTo(col("r_conversation")), "left")
        .join(surveyed, col("conversation_id").equalTo(col("v_conversation")), "left")
        .select(
            col("conversation_id"),
            col("tenant"),
            col("channel"),
            col("queue"),
            col("agent"),
            col("variant"),
            col("resolved"),
            when(col("customer_id").isNull(), lit(null))
                .otherwise(col("r_conversation").isNotNull())
                .as("repeat"),
            when(col("customer_id").isNull(), lit(null))
                .otherwise(col("resolved").and(col("r_conversation").isNull()))
                .as("fcr"),
            col("v_conversation").isNotNull().as("surveyed"));
  }

  /**
   * {@link #followUps} per tenant, dimension and value (overall, channel, queue, agent, variant):
   * closed, with_customer, repeat_contacts, fcr, fcr_rate = fcr / with_customer, surveyed,
   * response_rate = surveyed / closed (KPIS.md: surveys for conversations closed that day /
   * conversations closed that day). Sorted by tenant, dimension, value.
   */
  public static Dataset<Row> followUpRates(Dataset<Row> followUps) {
    Dataset<Row> all = null;
    for (String[] d :
        new String[][] {
          {"overall", null},
          {"channel", "channel"},
          {"queue", "queue"},
          {"agent", "agent"},
          {"variant", "variant"}
        }) {
      Column value =
          d[1] == null ? lit(Dimensions.ALL) : coalesce(col(d[1]), lit(Dimensions.UNKNOWN));
      Dataset<Row> rows = followUps;
      if (d[1] != null && (d[1].equals("agent") || d[1].equals("variant"))) {
        rows = rows.where(col(d[1]).isNotNull()); // as the KPI dimensions: only when known
      }
      Dataset<Row> g =
          rows.groupBy(col("tenant"), lit(d[0]).as("dimension"), value.as("dimension_value"))
              .agg(
                  count(lit(1)).as("closed"),
                  count(col("fcr")).as("with_customer"),
                  sum(when(col("repeat"), 1).otherwise(0)).as("repeat_contacts"),
                  sum(when(col("fcr"), 1).otherwise(0)).as("fcr"),
                  sum(when(col("surveyed"), 1).otherwise(0)).as("surveyed"));
      all = all == null ? g : all.unionByName(g);
    }
    return all.select(
            col("tenant"),
            col("dimension"),
            col("dimension_value"),
            col("closed"),
            col("with_customer"),
            col("repeat_contacts").cast("long").as("repeat_contacts"),
            col("fcr").cast("long").as("fcr"),
            when(col("with_customer").gt(0), col("fcr").divide(col("with_customer")))
                .as("fcr_rate"),
            col("surveyed").cast("long").as("surveyed"),
            when(col("closed").gt(0), col("surveyed").divide(col("closed"))).as("response_rate"))
        .orderBy("tenant", "dimension", "dimension_value");
  }

  /**
   * Customer messages per hour of the day in {@code zone}: hour (0–23), customer_messages,
   * sentiment_mean (of scored ones), negative_share (≤ the settings' threshold), anger_count (≥ the
   * anger threshold) — the KPI definitions, per hour. Only hours with messages; sorted.
   */
  public static Dataset<Row> sentimentByHour(
      Dataset<Row> facts, ZoneId zone, KpiSettings settings) {
    String zoneId = zone.getId();
    StructType hourly =
        new StructType()
            .add("hour", DataTypes.IntegerType, false)
            .add("sentiment", DataTypes.DoubleType)
            .add("anger", DataTypes.DoubleType);
    double negative = settings.negativeThreshold();
    double angry = settings.angerThreshold();
    return facts
        .where(col("kind").equalTo("MESSAGE"))
        .select("time", "sentiment", "anger")
        .map(
            (MapFunction<Row, Row>)
                r ->
                    RowFactory.create(
                        ((Timestamp) r.get(0)).toInstant().atZone(ZoneId.of(zoneId)).getHour(),
                        r.isNullAt(1) ? null : r.getDouble(1),
                        r.isNullAt(2) ? null : r.getDouble(2)),
            Encoders.row(hourly))
        .groupBy("hour")
        .agg(
            count(lit(1)).as("customer_messages"),
            avg("sentiment").as("sentiment_mean"),
            when(
                    count(col("sentiment")).gt(0),
                    sum(when(col("sentiment").leq(negative), 1).otherwise(0))
                        .divide(count(col("sentiment"))))
                .as("negative_share"),
            sum(when(col("anger").geq(angry), 1).otherwise(0)).cast("long").as("anger_count"))
        .orderBy("hour");
  }

  /**
   * The day's QA violations by rule (of the conversations inspected that day): rule_id, rule_kind,
   * violations, conversations, agents, example (the smallest matched text). Most frequent first,
   * then by rule id.
   */
  public static Dataset<Row> topViolations(Dataset<Row> facts) {
    return facts
        .where(col("kind").equalTo("QA"))
        .select(col("conversation_id"), explode(col("violations")).as("v"))
        .select(col("conversation_id"), col("v.*"))
        .groupBy("rule_id", "rule_kind")
        .agg(
            count(lit(1)).as("violations"),
            countDistinct("conversation_id").as("conversations"),
            countDistinct("agent_id").as("agents"),
            min("matched_text").as("example"))
        .orderBy(col("violations").desc(), col("rule_id"));
  }

  /**
   * Agent leaderboard from the agent rows of {@link #kpis} and {@link #followUpRates}: answered
   * legs, closed conversations, AHT, human first response, resolution rate, CSAT mean and top-2-box
   * with survey count, QA score and violations, FCR rate. Most answered first.
   */
  public static Dataset<Row> leaderboard(Dataset<Row> kpis, Dataset<Row> followUpRates) {
    Dataset<Row> agents = kpis.where(col("dimension").equalTo("agent"));
    Dataset<Row> fcr =
        followUpRates
            .where(col("dimension").equalTo("agent"))
            .select(
                col("tenant").as("f_tenant"),
                col("dimension_value").as("f_agent"),
                col("fcr_rate"));
    return agents
        .join(
            fcr,
            col("tenant")
                .equalTo(col("f_tenant"))
                .and(col("dimension_value").equalTo(col("f_agent"))),
            "left")
        .select(
            col("tenant"),
            col("dimension_value").as("agent"),
            coalesce(col("answered"), lit(0.0)).cast("long").as("answered"),
            coalesce(col("closed"), lit(0.0)).cast("long").as("closed"),
            col("aht_mean_seconds"),
            col("human_frt_mean_seconds"),
            col("resolution_rate"),
            coalesce(col("surveys"), lit(0.0)).cast("long").as("surveys"),
            col("csat_mean"),
            col("csat_top2"),
            coalesce(col("qa_inspected"), lit(0.0)).cast("long").as("qa_inspected"),
            col("qa_score_mean"),
            coalesce(col("qa_violations"), lit(0.0)).cast("long").as("qa_violations"),
            col("fcr_rate"))
        .orderBy(col("answered").desc(), col("closed").desc(), col("agent"));
  }

  /**
   * Channel mix from the channel rows of {@link #kpis}: per channel, closed conversations, their
   * share of the day's closed conversations, queue legs offered and customer messages. Largest
   * first.
   */
  public static Dataset<Row> channelMix(Dataset<Row> kpis) {
    Dataset<Row> channels = kpis.where(col("dimension").equalTo("channel"));
    Dataset<Row> totals =
        kpis.where(col("dimension").equalTo("overall"))
            .select(col("tenant").as("t_tenant"), col("closed").as("t_closed"));
    return channels
        .join(totals, col("tenant").equalTo(col("t_tenant")), "left")
        .select(
            col("tenant"),
            col("dimension_value").as("channel"),
            col("closed").cast("long").as("closed"),
            when(col("t_closed").gt(0), col("closed").divide(col("t_closed"))).as("share"),
            col("offered").cast("long").as("offered"),
            col("customer_messages").cast("long").as("customer_messages"))
        .orderBy(col("closed").desc(), col("channel"));
  }

  /**
   * The conversations started in {@code events} (any days): conversation_id, customer_id,
   * started_at (earliest start); for repeat contacts.
   */
  public static Dataset<Row> starts(Dataset<Row> events) {
    return events
        .where(
            col("event_type").equalTo("CONVERSATION_STARTED").and(col("customer_id").isNotNull()))
        .groupBy("conversation_id")
        .agg(max("customer_id").as("customer_id"), min("event_time").as("started_at"));
  }

  /** The conversation ids with a survey in {@code events}. */
  public static Dataset<Row> surveys(Dataset<Row> events) {
    return events
        .where(col("event_type").equalTo("SURVEY_SUBMITTED"))
        .select("conversation_id")
        .distinct();
  }
}
