package io.kefu.batch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kefu.batch.Fixtures;
import io.kefu.batch.Main;
import io.kefu.batch.Simulated;
import io.kefu.batch.TestLake;
import io.kefu.batch.TestSpark;
import io.kefu.core.kpi.KpiAccumulator;
import io.kefu.core.kpi.KpiSettings;
import io.kefu.core.qa.AgentQa;
import io.kefu.core.qa.ConversationQa;
import io.kefu.core.qa.QaInspector;
import io.kefu.core.qa.QaRuleSet;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.QaRuleKind;
import io.kefu.schemas.QaViolation;
import io.kefu.simulator.SimulatorConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's KPIs against the independent SQL oracle of the streaming issue: the oracle SQL files
 * are loaded at test time from the streaming module ({@code
 * ../streaming/src/test/resources/oracle/}, not copied), run on embedded PostgreSQL over the raw
 * events of three simulated days (A/B arms, out-of-order and late deliveries), and their daily rows
 * are written into {@code kpi_windows} (created by the streaming module's own Flyway migrations) as
 * the streaming job writes them — the streaming job itself equals this oracle ({@code
 * KpiOracleIT}), and Flink may not share a classpath with Spark. The report must then reconcile
 * with no difference, and its {@code daily_report_kpis} table must equal the oracle when compared
 * by SQL here, independently of the report's own reconciliation code.
 */
class ReportOracleTest {

  static final Path STREAMING =
      Path.of(System.getProperty("basedir", ".")).resolve("../streaming/src").normalize();

  @TempDir static Path tmp;
  static EmbeddedPostgres postgres;
  static String jdbc;
  static Path lake;
  static List<ConversationEvent> events;
  static String tenant;

  @BeforeAll
  static void setUp() throws Exception {
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.seed = 21;
    cfg.startDate = Fixtures.DAY;
    cfg.days = 3;
    cfg.conversations = 1000;
    cfg.zone = Fixtures.SHANGHAI.getId();
    cfg.experiment.enabled = true;
    cfg.commerce.enabled = false;
    cfg.oplog.enabled = false;
    events = Simulated.of(cfg);
    lake = TestLake.write(tmp.resolve("lake"), events, Fixtures.SHANGHAI);
    tenant = events.get(0).getTenant();
    postgres = EmbeddedPostgres.builder().start();
    jdbc = postgres.getJdbcUrl("postgres", "postgres");
    TestSpark.session();
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      try (Stream<Path> migrations = Files.list(STREAMING.resolve("main/resources/db/migration"))) {
        for (Path m : migrations.sorted().toList()) {
          s.execute(Files.readString(m));
        }
      }
      loadRawEvents(c);
      loadQualityInspection(c);
      s.execute(oracle("kpi_oracle.sql"));
      for (LocalDate day : List.of(Fixtures.DAY.plusDays(1))) {
        writeOracleRows(c, day);
      }
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  static String oracle(String file) throws Exception {
    return Files.readString(
        STREAMING.resolve("test/resources/oracle").resolve(file), StandardCharsets.UTF_8);
  }

  @Test
  void theReportReconcilesWithNoDifferenceAndEqualsTheOracle() throws Exception {
    // the middle day: conversations run into it from the day before and out of it to the next
    for (LocalDate day : List.of(Fixtures.DAY.plusDays(1))) {
      Path out = tmp.resolve("report-" + day);
      StringWriter stdout = new StringWriter();
      StringWriter stderr = new StringWriter();
      int code =
          Main.execute(
              new PrintWriter(stdout),
              new PrintWriter(stderr),
              "report",
              "--lake",
              lake.toString(),
              "--date",
              day.toString(),
              "--jdbc",
              jdbc,
              "--out",
              out.toString(),
              "--fail-on-difference");
      assertEquals(0, code, stdout + "\n" + stderr);
      assertTrue(stdout.toString().contains("reconciliation: no differences"), stdout.toString());
      assertEquals(
          List.of("tenant,dimension,dimension_value,metric,batch,streaming"),
          Files.readAllLines(out.resolve("reconciliation.csv")));
      String html = Files.readString(out.resolve("report.html"));
      assertTrue(html.contains("<svg") && !html.contains("<script src"), "self-contained");
      assertTrue(html.contains("No differences"));
      for (String csv :
          List.of(
              "kpis",
              "follow_ups",
              "agents",
              "violations",
              "sentiment_hourly",
              "channel_mix",
              "runs")) {
        assertTrue(Files.readAllLines(out.resolve(csv + ".csv")).size() > 1, csv + ".csv");
      }
      compareWithOracleBySql(day);
    }
  }

  /** daily_report_kpis against the oracle's rows in kpi_rows, by SQL. */
  private static void compareWithOracleBySql(LocalDate day) throws Exception {
    String sql =
        "SELECT coalesce(r.dimension, k.dimension), coalesce(r.dimension_value,"
            + " k.dimension_value), coalesce(r.metric, k.metric), r.value, k.value"
            + " FROM (SELECT * FROM daily_report_kpis WHERE report_date = ?) r"
            + " FULL JOIN (SELECT * FROM kpi_rows WHERE window_size = '1d'"
            + "   AND window_start = ?) k"
            + " ON r.tenant = k.tenant AND r.dimension = k.dimension"
            + "   AND r.dimension_value = k.dimension_value AND r.metric = k.metric";
    long start = day.atStartOfDay(Fixtures.SHANGHAI).toInstant().toEpochMilli();
    List<String> bad = new ArrayList<>();
    int compared = 0;
    try (Connection c = DriverManager.getConnection(jdbc);
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, day);
      ps.setTimestamp(2, new Timestamp(start));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String metric = rs.getString(3);
          double b = rs.getDouble(4);
          Double batch = rs.wasNull() ? null : b;
          double o = rs.getDouble(5);
          Double oracle = rs.wasNull() ? null : o;
          compared++;
          double tolerance =
              Reconciliation.QUANTILES.contains(metric) ? KpiAccumulator.QUANTILE_ACCURACY : 1e-9;
          boolean same =
              batch == null || oracle == null
                  ? batch == null && oracle == null
                  : Math.abs(batch - oracle) <= tolerance * Math.max(1, Math.abs(oracle));
          if (!same) {
            bad.add(
                rs.getString(1)
                    + "="
                    + rs.getString(2)
                    + " "
                    + metric
                    + ": "
                    + batch
                    + " vs "
                    + oracle);
          }
        }
      }
    }
    if (!bad.isEmpty()) {
      fail(
          bad.size()
              + " differences on "
              + day
              + ", e.g. "
              + bad.subList(0, Math.min(20, bad.size())));
    }
    assertTrue(compared > 1000, "compared " + compared);
  }

  @Test
  void aDifferenceInTheStreamingRowsIsListed() throws Exception {
    LocalDate day = Fixtures.DAY.plusDays(1);
    long start = day.atStartOfDay(Fixtures.SHANGHAI).toInstant().toEpochMilli();
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE saved AS SELECT * FROM kpi_windows WHERE window_start = '"
              + new Timestamp(start).toInstant()
              + "'");
      s.execute(
          "UPDATE kpi_windows SET closed = closed + 1 WHERE dimension = 'overall' AND window_start"
              + " = '"
              + new Timestamp(start).toInstant()
              + "'");
      s.execute(
          "DELETE FROM kpi_windows WHERE dimension = 'channel' AND dimension_value = 'WEB' AND"
              + " window_start = '"
              + new Timestamp(start).toInstant()
              + "'");
    }
    try {
      Path out = tmp.resolve("report-diff");
      StringWriter stdout = new StringWriter();
      int code =
          Main.execute(
              new PrintWriter(stdout),
              new PrintWriter(new StringWriter()),
              "report",
              "--lake",
              lake.toString(),
              "--date",
              day.toString(),
              "--jdbc",
              jdbc,
              "--out",
              out.toString(),
              "--fail-on-difference");
      assertEquals(ReportCommand.DIFFERENCES, code, stdout.toString());
      List<String> lines = Files.readAllLines(out.resolve("reconciliation.csv"));
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith(tenant + ",overall,*,closed,")),
          lines.toString());
      assertTrue(
          lines.stream()
              .anyMatch(l -> l.startsWith(tenant + ",channel,WEB,closed,") && l.endsWith(",0")),
          "a row streaming lacks compares as an empty window: " + lines);
      try (Connection c = DriverManager.getConnection(jdbc);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM daily_report_reconciliation WHERE report_date = '"
                      + day
                      + "'")) {
        rs.next();
        assertEquals(lines.size() - 1, rs.getLong(1), "the table holds the same differences");
      }
    } finally {
      try (Connection c = DriverManager.getConnection(jdbc);
          Statement s = c.createStatement()) {
        s.execute(
            "DELETE FROM kpi_windows WHERE window_start = '"
                + new Timestamp(start).toInstant()
                + "'");
        s.execute("INSERT INTO kpi_windows SELECT * FROM saved");
        s.execute("DROP TABLE saved");
      }
    }
  }

  @Test
  void aTableGainsNewColumnsAndARunReplacesOnlyItsDay() throws Exception {
    LocalDate d1 = LocalDate.of(2026, 1, 1);
    LocalDate d2 = d1.plusDays(1);
    ReportTable v1 =
        new ReportTable(
            "evolving",
            List.of(ReportTable.key("k"), ReportTable.number("x")),
            List.of(new Object[] {"a", 1.0}, new Object[] {"b", null}));
    ReportTable v2 =
        new ReportTable(
            "evolving",
            List.of(ReportTable.key("k"), ReportTable.number("x"), ReportTable.text("note")),
            List.<Object[]>of(new Object[] {"a", 2.0, "later version"}));
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      v1.replaceDay(c, d1);
      v1.replaceDay(c, d2);
      v1.replaceDay(c, d2); // idempotent
      v2.replaceDay(c, d2);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT report_date, k, x, note FROM daily_report_evolving ORDER BY 1, 2")) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(
              rs.getString(1)
                  + " "
                  + rs.getString(2)
                  + " "
                  + rs.getString(3)
                  + " "
                  + rs.getString(4));
        }
        assertEquals(
            List.of(
                "2026-01-01 a 1 null", "2026-01-01 b null null", "2026-01-02 a 2 later version"),
            rows);
      }
    }
  }

  // --- the oracle's inputs, as KpiOracleIT loads them ------------------------------------------

  private static void loadRawEvents(Connection c) throws Exception {
    c.createStatement()
        .execute(
            "CREATE TABLE raw_events (seq bigint, event_id text, conversation_id text,"
                + " event_type text, event_time timestamptz, tenant text, channel text,"
                + " queue text, variant text, entry text, role text, agent_id text, tier text,"
                + " target_queue text, resolver_role text, sentiment double precision,"
                + " anger double precision, csat int, nps int)");
    c.setAutoCommit(false);
    long seq = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO raw_events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      for (ConversationEvent e : events) {
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
      ps.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
  }

  private static void loadQualityInspection(Connection c) throws Exception {
    QaInspector inspector = new QaInspector(QaRuleSet.defaults());
    int kinds = QaRuleKind.values().length;
    StringBuilder columns = new StringBuilder();
    for (QaRuleKind k : QaRuleKind.values()) {
      columns.append(", ").append(k.name().toLowerCase(Locale.ROOT)).append(" int");
    }
    c.createStatement()
        .execute(
            "CREATE TABLE oracle_qa (conversation_id text, agent_id text, t timestamptz,"
                + " score double precision"
                + columns
                + ")");
    Map<String, List<ConversationEvent>> byConversation = new LinkedHashMap<>();
    for (ConversationEvent e : events) {
      byConversation.computeIfAbsent(e.getConversationId(), k -> new ArrayList<>()).add(e);
    }
    c.setAutoCommit(false);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO oracle_qa VALUES (?, ?, ?, ?" + ", ?".repeat(kinds) + ")")) {
      for (List<ConversationEvent> delivered : byConversation.values()) {
        Map<String, ConversationEvent> unique = new LinkedHashMap<>();
        long closed = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        for (ConversationEvent e : delivered) {
          if (e.getEventType() == EventType.SURVEY_SUBMITTED
              || unique.putIfAbsent(e.getEventId(), e) != null) {
            continue;
          }
          long time = e.getEventTime().toEpochMilli();
          if (e.getEventType() == EventType.CLOSED) {
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
    c.setAutoCommit(true);
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

  private static final Set<String> QUANTILE_SOURCES = Set.of("wait", "ttr");

  /**
   * The oracle's daily metrics of {@code day} for every dimension as final {@code kpi_windows} rows
   * (agent rows: agent metrics only, as the streaming job writes them); quantiles are the exact
   * values at the sketch's rank, floor(q × (n − 1)).
   */
  private static void writeOracleRows(Connection c, LocalDate day) throws Exception {
    long start = day.atStartOfDay(Fixtures.SHANGHAI).toInstant().toEpochMilli();
    long end = day.plusDays(1).atStartOfDay(Fixtures.SHANGHAI).toInstant().toEpochMilli();
    String version = KpiSettings.defaults().withZone(Fixtures.SHANGHAI).version();
    for (String dim : List.of("overall", "channel", "queue", "variant", "agent")) {
      String column = dim.equals("overall") ? "'*'" : dim;
      String sql =
          oracle("kpi_metrics.sql")
              .replace("{bucket}", "day")
              .replace("{dim}", column)
              .replace("{qa_kind}", dim.equals("agent") ? "'AGENT_QA'" : "'QA'");
      Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          if (rs.getTimestamp(1).getTime() != start) {
            continue;
          }
          Map<String, Double> m = new LinkedHashMap<>();
          for (int i = 3; i <= meta.getColumnCount(); i++) {
            String metric = meta.getColumnLabel(i);
            if (dim.equals("agent") && !KpiAccumulator.AGENT_METRICS.contains(metric)) {
              continue;
            }
            double v = rs.getDouble(i);
            m.put(metric, rs.wasNull() ? null : v);
          }
          rows.put(rs.getString(2), m);
        }
      }
      if (!dim.equals("agent")) {
        for (String source : QUANTILE_SOURCES) {
          String filter =
              source.equals("wait")
                  ? "kind = 'LEG' AND outcome = 'ANSWERED'"
                  : "kind = 'CONVERSATION' AND ttr IS NOT NULL";
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT "
                          + column
                          + ", array_agg("
                          + source
                          + " ORDER BY "
                          + source
                          + ") FROM oracle_facts WHERE "
                          + filter
                          + " AND "
                          + column
                          + " IS NOT NULL AND t >= '"
                          + new Timestamp(start).toInstant()
                          + "' AND t < '"
                          + new Timestamp(end).toInstant()
                          + "' GROUP BY 1")) {
            while (rs.next()) {
              Double[] values = (Double[]) rs.getArray(2).getArray();
              Map<String, Double> m = rows.get(rs.getString(1));
              for (double q : new double[] {0.5, 0.9}) {
                m.put(
                    source + "_p" + Math.round(q * 100) + "_seconds",
                    values[(int) Math.floor(q * (values.length - 1))]);
              }
            }
          }
        }
      }
      for (Map.Entry<String, Map<String, Double>> row : rows.entrySet()) {
        List<String> metrics = new ArrayList<>(row.getValue().keySet());
        String insert =
            "INSERT INTO kpi_windows (tenant, window_start, window_end, window_size, dimension,"
                + " dimension_value, is_final, settings_version, emitted_at, "
                + String.join(", ", metrics)
                + ") VALUES (?, ?, ?, '1d', ?, ?, true, ?, now()"
                + ", ?".repeat(metrics.size())
                + ")";
        try (PreparedStatement ps = c.prepareStatement(insert)) {
          ps.setString(1, tenant);
          ps.setTimestamp(2, new Timestamp(start));
          ps.setTimestamp(3, new Timestamp(end));
          ps.setString(4, dim);
          ps.setString(5, row.getKey());
          ps.setString(6, version);
          for (int i = 0; i < metrics.size(); i++) {
            setDouble(ps, 7 + i, row.getValue().get(metrics.get(i)));
          }
          ps.executeUpdate();
        }
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(DISTINCT tenant) FROM raw_events")) {
      rs.next();
      assertEquals(1, rs.getInt(1), "one tenant: the oracle does not group by tenant");
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
