package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kefu.core.kpi.KpiAccumulator;
import io.kefu.core.kpi.WindowSize;
import io.kefu.core.qa.AgentQa;
import io.kefu.core.qa.ConversationQa;
import io.kefu.core.qa.QaInspector;
import io.kefu.core.qa.QaRuleSet;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.QaRuleKind;
import io.kefu.schemas.QaViolation;
import io.kefu.schemas.json.ConversationEventCodec;
import io.kefu.schemas.json.JsonLines;
import io.kefu.simulator.FileOutput;
import io.kefu.simulator.RecordWriter;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KPI job against an independent oracle: SQL written from KPIS.md computes every hourly and
 * daily metric of two simulated days (A/B arms, out-of-order and late events) from a raw events
 * table; the job runs on a MiniCluster at parallelism 2 into real PostgreSQL; every metric, window
 * and dimension value must agree — counts exactly, means to 1e-9 relative, quantiles within the KLL
 * sketch's rank error. QA metrics are placed in windows and dimensions by the same SQL from the QA
 * engine's per-conversation results (the engine itself is checked against the simulator's truth).
 *
 * <p>The allowed lateness is set above the simulator's latest delivery (1 h), so no event is too
 * late and both sides see the same events; late events still arrive behind the watermark and
 * exercise the update path.
 */
class KpiOracleIT {

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.twoSlots();

  @TempDir static Path tmp;
  static EmbeddedPostgres postgres;
  static String jdbc;
  static List<Path> files;

  @BeforeAll
  static void setUp() throws Exception {
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.conversations = 8000;
    cfg.days = 2;
    cfg.seed = 21;
    cfg.experiment.enabled = true;
    try (FileOutput out = new FileOutput(tmp.resolve("sim"), RecordWriter.Format.JSONL, false)) {
      new Simulator(cfg).run(out, (t, n) -> {});
    }
    try (Stream<Path> s = Files.list(tmp.resolve("sim/events"))) {
      files = s.sorted().toList();
    }
    postgres = EmbeddedPostgres.builder().start();
    jdbc = postgres.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true";
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void hourlyAndDailyKpisEqualTheSqlOracle() throws Exception {
    JobSettings settings =
        JobSettings.defaults()
            .withAllowedLateness(Duration.ofHours(3))
            .withWindows(EnumSet.of(WindowSize.HOUR, WindowSize.DAY))
            .withEarlyFiring(Duration.ofMillis(200))
            .withMaxFuture(Duration.ZERO);
    PostgresSinks.migrate(jdbc);
    StreamExecutionEnvironment env =
        KpiJob.configure(StreamExecutionEnvironment.getExecutionEnvironment());
    env.setParallelism(2);
    KpiJob.Streams streams = KpiJob.build(KpiJob.files(env, files, settings), settings);
    streams.kpis().sinkTo(PostgresSinks.kpiWindows(jdbc));
    streams.late().sinkTo(PostgresSinks.late(jdbc));
    streams.violations().sinkTo(PostgresSinks.violations(jdbc));
    streams.deadLetters().sinkTo(PostgresSinks.deadLetters(jdbc));
    env.execute("oracle");

    long events = loadRawEvents();
    assertTrue(events >= 100_000, "the comparison covers at least 100,000 events: " + events);
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      assertEquals(0, count(s, "SELECT count(*) FROM late_records"), "nothing is too late");
      assertEquals(0, count(s, "SELECT count(*) FROM dead_letters"), "simulated events are valid");
      assertEquals(0, count(s, "SELECT count(*) FROM kpi_rows WHERE NOT is_final"));
      loadQualityInspection();
      s.execute(resource("/oracle/kpi_oracle.sql"));
      long expectedViolations =
          count(
              s,
              "SELECT coalesce(sum("
                  + String.join(
                      " + ",
                      java.util.Arrays.stream(QaRuleKind.values())
                          .map(k -> k.name().toLowerCase(java.util.Locale.ROOT))
                          .toList())
                  + "), 0) FROM oracle_qa WHERE agent_id IS NULL");
      assertTrue(expectedViolations > 100, "violations found: " + expectedViolations);
      assertEquals(
          expectedViolations,
          count(s, "SELECT count(*) FROM qa_violations"),
          "every violation the engine finds is in the qa_violations table, once");
      Map<String, Double> job = jobRows(s);
      int compared = 0;
      for (String size : List.of("1h", "1d")) {
        String bucket = size.equals("1h") ? "hour" : "day";
        for (String dim : List.of("overall", "channel", "queue", "variant", "agent")) {
          compared += compare(s, job, size, bucket, dim);
        }
      }
      assertTrue(compared > 10_000, "compared values: " + compared);
      assertEquals(compared, job.size() - quantileRows(job), "every job row has an oracle value");
      checkQuantiles(s, job);
    }
  }

  /** Every conversation's events as delivered, for the QA engine's per-conversation results. */
  private static final Map<String, List<ConversationEvent>> conversations = new HashMap<>();

  /**
   * oracle_qa: the engine's score and violations by kind per conversation (agent_id NULL) and per
   * agent, at the conversation's (last) CLOSED — or its last event when it never closed — with
   * duplicate event ids dropped, as the job sees them. Surveys are not part of the service.
   */
  private static void loadQualityInspection() throws Exception {
    QaInspector inspector = new QaInspector(QaRuleSet.defaults());
    int kinds = QaRuleKind.values().length;
    try (Connection c = DriverManager.getConnection(jdbc)) {
      StringBuilder columns = new StringBuilder();
      for (QaRuleKind k : QaRuleKind.values()) {
        columns.append(", ").append(k.name().toLowerCase(java.util.Locale.ROOT)).append(" int");
      }
      c.createStatement()
          .execute(
              "CREATE TABLE oracle_qa (conversation_id text, agent_id text, t timestamptz,"
                  + " score double precision"
                  + columns
                  + ")");
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO oracle_qa VALUES (?, ?, ?, ?" + ", ?".repeat(kinds) + ")")) {
        for (List<ConversationEvent> delivered : conversations.values()) {
          Map<String, ConversationEvent> unique = new java.util.LinkedHashMap<>();
          long closed = Long.MIN_VALUE;
          long last = Long.MIN_VALUE;
          for (ConversationEvent e : delivered) {
            if (e.getEventType() == io.kefu.schemas.EventType.SURVEY_SUBMITTED
                || unique.putIfAbsent(e.getEventId(), e) != null) {
              continue;
            }
            long time = e.getEventTime().toEpochMilli();
            if (e.getEventType() == io.kefu.schemas.EventType.CLOSED) {
              closed = Math.max(closed, time);
            } else {
              last = Math.max(last, time);
            }
          }
          if (unique.isEmpty()) {
            continue;
          }
          ConversationQa qa = inspector.inspect(new ArrayList<>(unique.values()));
          Timestamp at = new Timestamp(closed != Long.MIN_VALUE ? closed : last);
          insertQa(ps, qa, null, qa.score(), at, kinds);
          for (AgentQa agent : qa.agents()) {
            insertQa(ps, qa, agent.agentId(), agent.score(), at, kinds);
          }
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }

  private static void insertQa(
      PreparedStatement ps, ConversationQa qa, String agent, double score, Timestamp at, int kinds)
      throws Exception {
    int[] counts = new int[kinds];
    for (QaViolation v : qa.violations()) {
      if (agent == null || agent.equals(v.getAgentId())) {
        counts[v.getRuleKind().ordinal()]++;
      }
    }
    ps.setString(1, qa.conversationId());
    ps.setString(2, agent);
    ps.setTimestamp(3, at);
    ps.setDouble(4, score);
    for (int i = 0; i < kinds; i++) {
      ps.setInt(5 + i, counts[i]);
    }
    ps.addBatch();
  }

  private static long loadRawEvents() throws Exception {
    ConversationEventCodec codec = new ConversationEventCodec();
    long seq = 0;
    try (Connection c = DriverManager.getConnection(jdbc)) {
      c.createStatement()
          .execute(
              "CREATE TABLE raw_events (seq bigint, event_id text, conversation_id text,"
                  + " event_type text, event_time timestamptz, tenant text, channel text,"
                  + " queue text, variant text, entry text, role text, agent_id text, tier text,"
                  + " target_queue text, resolver_role text, sentiment double precision,"
                  + " anger double precision, csat int, nps int)");
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO raw_events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
        for (Path file : files) {
          try (JsonLines lines = JsonLines.open(file, 1 << 20)) {
            while (lines.next()) {
              ConversationEvent e = codec.parse(lines);
              conversations.computeIfAbsent(e.getConversationId(), k -> new ArrayList<>()).add(e);
              ps.setLong(1, seq++);
              ps.setString(2, e.getEventId());
              ps.setString(3, e.getConversationId());
              ps.setString(4, e.getEventType().name());
              ps.setTimestamp(5, Timestamp.from(e.getEventTime()));
              ps.setString(6, e.getTenant());
              ps.setString(7, e.getChannel() == null ? null : e.getChannel().name());
              ps.setString(8, e.getQueue());
              ps.setString(9, e.getVariant());
              ps.setString(10, e.getEntry() == null ? null : e.getEntry().name());
              ps.setString(11, e.getRole() == null ? null : e.getRole().name());
              ps.setString(12, e.getAgentId());
              ps.setString(13, e.getTier() == null ? null : e.getTier().name());
              ps.setString(14, e.getTargetQueue());
              ps.setString(15, e.getResolverRole() == null ? null : e.getResolverRole().name());
              setDouble(ps, 16, e.getSentiment());
              setDouble(ps, 17, e.getAnger());
              setInt(ps, 18, e.getCsat());
              setInt(ps, 19, e.getNps());
              ps.addBatch();
              if (seq % 5000 == 0) {
                ps.executeBatch();
              }
            }
          }
        }
        ps.executeBatch();
      }
      c.commit();
    }
    return seq;
  }

  private static final Set<String> QUANTILES =
      Set.of("wait_p50_seconds", "wait_p90_seconds", "ttr_p50_seconds", "ttr_p90_seconds");

  private static int quantileRows(Map<String, Double> job) {
    int n = 0;
    for (String k : job.keySet()) {
      if (QUANTILES.contains(k.substring(k.lastIndexOf('|') + 1))) {
        n++;
      }
    }
    return n;
  }

  private static Map<String, Double> jobRows(Statement s) throws Exception {
    Map<String, Double> rows = new HashMap<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT window_size, window_start, dimension, dimension_value, metric, value"
                + " FROM kpi_rows")) {
      while (rs.next()) {
        double v = rs.getDouble(6);
        Double value = rs.wasNull() ? null : v; // before reading another column
        rows.put(
            key(
                rs.getString(1),
                rs.getTimestamp(2).getTime(),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5)),
            value);
      }
    }
    return rows;
  }

  private static String key(String size, long start, String dim, String value, String metric) {
    return size + "|" + start + "|" + dim + "|" + value + "|" + metric;
  }

  private static int compare(
      Statement s, Map<String, Double> job, String size, String bucket, String dim)
      throws Exception {
    String column = dim.equals("overall") ? "'*'" : dim;
    String sql =
        resource("/oracle/kpi_metrics.sql")
            .replace("{bucket}", bucket)
            .replace("{dim}", column)
            .replace("{qa_kind}", dim.equals("agent") ? "'AGENT_QA'" : "'QA'");
    int compared = 0;
    List<String> mismatches = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        long start = rs.getTimestamp(1).getTime();
        String value = rs.getString(2);
        for (int i = 3; i <= meta.getColumnCount(); i++) {
          String metric = meta.getColumnLabel(i);
          if (dim.equals("agent") && !KpiAccumulator.AGENT_METRICS.contains(metric)) {
            continue;
          }
          double v = rs.getDouble(i);
          Double expected = rs.wasNull() ? null : v;
          String k = key(size, start, dim, value, metric);
          if (!job.containsKey(k)) {
            mismatches.add(k + ": no job row, oracle " + expected);
            continue;
          }
          Double actual = job.get(k);
          compared++;
          if (!same(expected, actual)) {
            mismatches.add(k + ": job " + actual + ", oracle " + expected);
          }
        }
      }
    }
    if (!mismatches.isEmpty()) {
      fail(
          mismatches.size()
              + " mismatches for "
              + size
              + " "
              + dim
              + ", e.g.\n"
              + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
    }
    return compared;
  }

  private static boolean same(Double expected, Double actual) {
    if (expected == null || actual == null) {
      return expected == null && actual == null;
    }
    return Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected));
  }

  /**
   * Each job quantile is within the sketch's relative accuracy of an exact value whose rank is the
   * quantile's (give or take one value).
   */
  private static void checkQuantiles(Statement s, Map<String, Double> job) throws Exception {
    double accuracy = KpiAccumulator.QUANTILE_ACCURACY;
    int checked = 0;
    List<String> bad = new ArrayList<>();
    for (String size : List.of("1h", "1d")) {
      String bucket = size.equals("1h") ? "hour" : "day";
      for (String dim : List.of("overall", "channel", "queue", "variant")) {
        String column = dim.equals("overall") ? "'*'" : dim;
        for (String[] q :
            new String[][] {
              {"wait", "kind = 'LEG' AND outcome = 'ANSWERED'", "wait"},
              {"ttr", "kind = 'CONVERSATION' AND ttr IS NOT NULL", "ttr"}
            }) {
          String sql =
              "SELECT date_trunc('"
                  + bucket
                  + "', t AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE"
                  + " 'Asia/Shanghai', "
                  + column
                  + ", array_agg("
                  + q[2]
                  + " ORDER BY "
                  + q[2]
                  + ") FROM oracle_facts WHERE "
                  + q[1]
                  + " AND "
                  + column
                  + " IS NOT NULL GROUP BY 1, 2";
          try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
              long start = rs.getTimestamp(1).getTime();
              Double[] values = (Double[]) rs.getArray(3).getArray();
              for (double p : new double[] {0.5, 0.9}) {
                String metric = q[0] + "_p" + Math.round(p * 100) + "_seconds";
                Double v = job.get(key(size, start, dim, rs.getString(2), metric));
                if (v == null) {
                  bad.add(metric + " missing for " + size + " " + dim + " " + rs.getString(2));
                  continue;
                }
                int rank = (int) Math.floor(p * (values.length - 1));
                boolean close = false;
                for (int r = Math.max(0, rank - 1);
                    r <= Math.min(values.length - 1, rank + 1);
                    r++) {
                  close |= Math.abs(v - values[r]) <= accuracy * Math.abs(values[r]) + 1e-9;
                }
                if (!close) {
                  bad.add(
                      metric
                          + " "
                          + size
                          + " "
                          + dim
                          + " "
                          + rs.getString(2)
                          + ": "
                          + v
                          + " vs exact "
                          + values[rank]
                          + " of "
                          + values.length);
                }
                checked++;
              }
            }
          }
        }
      }
    }
    assertTrue(
        bad.isEmpty(),
        bad.size() + " quantiles off, e.g. " + bad.subList(0, Math.min(10, bad.size())));
    assertTrue(checked > 500, "quantiles checked: " + checked);
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = KpiOracleIT.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws Exception {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  private static void setInt(PreparedStatement ps, int i, Integer v) throws Exception {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }
}
