package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kefu.audit.anchor.Anchoring;
import io.kefu.audit.anchor.EmbeddedLedger;
import io.kefu.audit.batch.BatchSealer;
import io.kefu.audit.daily.AuditReport;
import io.kefu.audit.daily.AuditRuleSettings;
import io.kefu.audit.daily.AuditRules;
import io.kefu.audit.daily.Finding;
import io.kefu.audit.daily.OperationCounts;
import io.kefu.audit.daily.VerificationSummary;
import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.LogRecords;
import io.kefu.audit.log.OperationLog;
import io.kefu.audit.tables.AuditTables;
import io.kefu.audit.verify.LogVerifier;
import io.kefu.audit.verify.VerificationReport;
import io.kefu.core.kpi.WindowSize;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import io.kefu.simulator.FileOutput;
import io.kefu.simulator.RecordWriter;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Superset bundle (its sources in {@code ../dashboards/superset/}) against the tables the
 * pipeline really writes: a simulated day goes through the KPI job into PostgreSQL; then every
 * dataset's SQL, every metric and column of every dataset, and every chart's query (built from its
 * params the way Superset builds it: the metrics over the virtual dataset as a subquery, grouped by
 * the chart's columns, with its simple filters) must execute. Datasets on the pipeline's tables
 * must return rows and non-null metrics; those on tables the pipeline does not write (batch
 * profiles, recommendations) are created empty and only have to execute — 0 rows allowed. The audit
 * tables are written by the audit ledger's own writer ({@link AuditTables}, what {@code kefu audit
 * anchor|verify|daily --jdbc} run) from a small real operation log, so they return rows too.
 */
class SupersetBundleIT {

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.twoSlots();

  static final Path SOURCES = Path.of("../dashboards/superset");
  static final Path PROFILES_DDL =
      Path.of("../batch/src/main/resources/io/kefu/batch/profiles/customer_profiles.sql");
  static final Path RECOMMENDATIONS_DDL =
      Path.of("../batch/src/main/resources/io/kefu/batch/recommend/recommendations.sql");
  static final Set<String> NOT_FILLED_BY_THE_PIPELINE =
      Set.of("customer_profiles_latest", "recommendation_coverage");
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final LocalDate AUDIT_DAY = LocalDate.of(2026, 11, 23);
  static final long AUDIT_MIDNIGHT = AUDIT_DAY.atStartOfDay(SHANGHAI).toInstant().toEpochMilli();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir static Path tmp;
  static EmbeddedPostgres postgres;
  static String jdbc;
  static Map<String, JsonNode> datasets = new TreeMap<>();
  static Map<String, JsonNode> charts = new TreeMap<>();

  @BeforeAll
  static void fillFromASimulatedDay() throws Exception {
    for (String folder : List.of("datasets/kefu", "charts")) {
      try (Stream<Path> files = Files.list(SOURCES.resolve(folder))) {
        for (Path f : files.sorted().toList()) {
          JsonNode y = YAML.readTree(f.toFile());
          (folder.equals("charts") ? charts : datasets)
              .put(f.getFileName().toString().replace(".yaml", ""), y);
        }
      }
    }
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.conversations = 3000;
    cfg.days = 1;
    cfg.seed = 8;
    try (FileOutput out = new FileOutput(tmp.resolve("sim"), RecordWriter.Format.JSONL, false)) {
      new Simulator(cfg).run(out, (t, n) -> {});
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(tmp.resolve("sim/events"))) {
      files = s.sorted().toList();
    }
    postgres = EmbeddedPostgres.builder().start();
    jdbc = postgres.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true";
    PostgresSinks.migrate(jdbc);
    JobSettings settings =
        JobSettings.defaults()
            .withAllowedLateness(Duration.ofHours(3))
            .withWindows(EnumSet.of(WindowSize.QUARTER, WindowSize.HOUR, WindowSize.DAY))
            .withMaxFuture(Duration.ZERO);
    StreamExecutionEnvironment env =
        KpiJob.configure(StreamExecutionEnvironment.getExecutionEnvironment());
    env.setParallelism(2);
    KpiJob.Streams streams = KpiJob.build(KpiJob.files(env, files, settings), settings);
    streams.kpis().sinkTo(PostgresSinks.kpiWindows(jdbc));
    streams.alerts().sinkTo(PostgresSinks.alerts(jdbc));
    streams.late().sinkTo(PostgresSinks.late(jdbc));
    streams.violations().sinkTo(PostgresSinks.violations(jdbc));
    streams.deadLetters().sinkTo(PostgresSinks.deadLetters(jdbc));
    env.execute("superset bundle");

    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      // The batch module's own DDL (the writers' tables, as they create them).
      s.execute(Files.readString(PROFILES_DDL));
      s.execute(Files.readString(RECOMMENDATIONS_DDL));
    }
    fillTheAuditTables(tmp.resolve("audit"));
  }

  /**
   * An operation log of 340 records on {@link #AUDIT_DAY}: 300 sealed in batches of 100 and
   * anchored on an embedded ledger, 40 sealed but not anchored yet; then verified, and the day
   * audited (a night-time bulk export, accesses without purpose). Everything goes into PostgreSQL
   * the way {@code kefu audit anchor|verify|daily --jdbc} write it.
   */
  static void fillTheAuditTables(Path dir) throws Exception {
    Path log = dir.resolve("log");
    LogOptions opts =
        LogOptions.defaults().withBatches(new BatchSealer.Policy(100, Duration.ofHours(1)));
    try (OperationLog l = OperationLog.open(log, opts)) {
      l.appendAll(LongStream.range(0, 300).mapToObj(SupersetBundleIT::operation).toList());
      l.closeBatches();
    }
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"));
        Connection c = DriverManager.getConnection(jdbc)) {
      Anchoring.anchorAll(log, ledger, null);
      try (OperationLog l = OperationLog.open(log, opts)) {
        l.appendAll(LongStream.range(300, 340).mapToObj(SupersetBundleIT::operation).toList());
        l.closeBatches();
      }
      VerificationReport verified = LogVerifier.verify(log, ledger, null, null);
      assertTrue(verified.intact(), verified.summary());

      List<OperationLogRecord> day =
          LogRecords.between(log, AUDIT_MIDNIGHT, AUDIT_MIDNIGHT + Duration.ofDays(1).toMillis());
      List<Finding> findings = AuditRules.apply(day, AuditRuleSettings.DEFAULTS);
      AuditReport report =
          new AuditReport(
              AUDIT_DAY,
              SHANGHAI,
              new VerificationSummary(
                  true, verified.records(), verified.batches(), null, verified.ledger()),
              findings,
              OperationCounts.of(day));

      AuditTables tables = new AuditTables(c);
      tables.create();
      AuditTables.BatchRows batches = tables.writeBatches(log, ledger);
      assertEquals(new AuditTables.BatchRows("ops", 4, 3, null), batches);
      tables.writeVerification(
          verified, Instant.ofEpochMilli(AUDIT_MIDNIGHT).plus(Duration.ofHours(25)));
      assertTrue(tables.writeFindings(report) >= 2, "findings: " + findings);
    }
  }

  /**
   * Operation {@code i} of {@link #AUDIT_DAY}: agents reading customer records from 09:00, one
   * every 90 s, every 50th without purpose or ticket; operation 150 is a supervisor's export of
   * 25,000 rows at 02:30.
   */
  static OperationLogRecord operation(long i) {
    OperationLogRecord.Builder b =
        OperationLogRecord.newBuilder()
            .setSequence(0)
            .setOutcome(Outcome.ALLOWED)
            .setAttributes(Map.of());
    if (i == 150) {
      return b.setTime(Instant.ofEpochMilli(AUDIT_MIDNIGHT + Duration.ofMinutes(150).toMillis()))
          .setActor("sup-01")
          .setActorRole(ActorRole.SUPERVISOR)
          .setAction(OperationAction.EXPORT)
          .setResourceType(ResourceType.LAKE)
          .setResourceId("profiles")
          .setPurpose("quarterly report")
          .setTicketRef("T-9")
          .setRecordCount(25_000L)
          .build();
    }
    boolean careless = i % 50 == 7;
    return b.setTime(
            Instant.ofEpochMilli(AUDIT_MIDNIGHT + Duration.ofHours(9).toMillis() + i * 90_000))
        .setActor(String.format("agent-%02d", i % 12))
        .setActorRole(ActorRole.AGENT)
        .setAction(OperationAction.VIEW)
        .setResourceType(ResourceType.CUSTOMER_RECORD)
        .setResourceId("cust-" + i)
        .setCustomerPseudonym(String.format("p-%04x", i * 7919 % 65536))
        .setPurpose(careless ? null : "处理客户会话")
        .setTicketRef(careless ? null : "c-" + i)
        .build();
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void everyDatasetExecutesWithItsColumnsAndMetrics() throws Exception {
    assertEquals(9, datasets.size(), datasets.keySet().toString());
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      for (Map.Entry<String, JsonNode> d : datasets.entrySet()) {
        String name = d.getKey();
        String from = from(d.getValue());
        long rows = singleNumber(s, "SELECT count(*) FROM " + from, name).longValue();
        counts.put(name, rows);
        boolean filled = !NOT_FILLED_BY_THE_PIPELINE.contains(name);
        if (filled) {
          assertTrue(rows > 0, name + " returns rows from the pipeline's tables");
        }
        // every declared column is a column of the query (or a valid expression over it)
        Set<String> returned = new HashSet<>();
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + from + " LIMIT 1")) {
          ResultSetMetaData md = rs.getMetaData();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            returned.add(md.getColumnLabel(i));
          }
        }
        for (JsonNode col : d.getValue().get("columns")) {
          String column = col.get("column_name").asText();
          if (col.hasNonNull("expression")) {
            execute(s, "SELECT " + col.get("expression").asText() + " FROM " + from, name);
          } else {
            assertTrue(returned.contains(column), name + ": column " + column + " in " + returned);
          }
        }
        assertEquals(
            returned.size(),
            d.getValue().get("columns").size(),
            name + ": every returned column is declared");
        for (JsonNode metric : d.getValue().get("metrics")) {
          String expr = metric.get("expression").asText();
          Object value = single(s, "SELECT " + expr + " FROM " + from, name + "." + metric);
          if (filled) {
            assertTrue(
                value != null,
                name + ": metric " + metric.get("metric_name").asText() + " is not null");
          }
        }
      }
    }
    System.out.println("SupersetBundleIT dataset rows: " + counts);
  }

  @Test
  void everyChartQueryExecutes() throws Exception {
    assertEquals(24, charts.size());
    Map<String, JsonNode> byUuid = new LinkedHashMap<>();
    datasets.forEach((n, d) -> byUuid.put(d.get("uuid").asText(), d));
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      for (Map.Entry<String, JsonNode> chart : charts.entrySet()) {
        JsonNode ds = byUuid.get(chart.getValue().get("dataset_uuid").asText());
        String sql = chartQuery(chart.getValue().get("params"), ds);
        int rows = 0;
        try (ResultSet rs = s.executeQuery(sql)) {
          while (rs.next()) {
            rows++;
          }
        } catch (SQLException e) {
          fail(chart.getKey() + ": " + e.getMessage() + "\n" + sql);
        }
        counts.put(chart.getKey(), rows);
        if (!NOT_FILLED_BY_THE_PIPELINE.contains(ds.get("table_name").asText())) {
          assertTrue(rows > 0, chart.getKey() + " shows rows:\n" + sql);
        }
      }
    }
    System.out.println("SupersetBundleIT chart rows: " + counts);
  }

  @Test
  void noDatasetReadsTheVault() {
    datasets.forEach(
        (name, d) ->
            assertFalse(
                d.get("sql").asText().toLowerCase(Locale.ROOT).matches("(?s).*\\bvault\\b.*"),
                name + " reads the vault"));
  }

  /**
   * The chart's query as Superset runs it, less time grains: the virtual dataset as a subquery, the
   * selected columns (x axis, group-by or raw columns) and the metrics' SQL, the chart's simple
   * filters (TEMPORAL_RANGE "No filter" adds none), grouped, limited by its row limit.
   */
  static String chartQuery(JsonNode p, JsonNode ds) {
    Map<String, String> metrics = new LinkedHashMap<>();
    ds.get("metrics")
        .forEach(m -> metrics.put(m.get("metric_name").asText(), m.get("expression").asText()));
    List<String> columns = new ArrayList<>();
    if (p.has("x_axis")) {
      columns.add(p.get("x_axis").asText());
    }
    p.path("groupby").forEach(g -> columns.add(g.asText()));
    p.path("all_columns").forEach(g -> columns.add(g.asText()));
    List<String> selected = new ArrayList<>();
    columns.forEach(col -> selected.add("\"" + col + "\""));
    List<String> used = new ArrayList<>();
    p.path("metrics").forEach(m -> used.add(m.asText()));
    if (p.has("metric")) {
      used.add(p.get("metric").asText());
    }
    for (String m : used) {
      selected.add(metrics.get(m) + " AS \"" + m + "\"");
    }
    List<String> where = new ArrayList<>();
    for (JsonNode f : p.path("adhoc_filters")) {
      String op = f.get("operator").asText();
      if (op.equals("TEMPORAL_RANGE")) {
        assertEquals("No filter", f.get("comparator").asText());
        continue;
      }
      assertEquals("==", op, "only equality filters are used");
      where.add("\"" + f.get("subject").asText() + "\" = '" + f.get("comparator").asText() + "'");
    }
    StringBuilder sql =
        new StringBuilder("SELECT ").append(String.join(", ", selected)).append(" FROM ");
    sql.append(from(ds));
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    boolean raw = p.path("query_mode").asText("aggregate").equals("raw");
    if (!raw && !columns.isEmpty()) {
      sql.append(" GROUP BY ")
          .append(String.join(", ", columns.stream().map(col -> "\"" + col + "\"").toList()));
    }
    if (p.has("row_limit")) {
      sql.append(" LIMIT ").append(p.get("row_limit").asInt());
    }
    return sql.toString();
  }

  static String from(JsonNode dataset) {
    return "(" + dataset.get("sql").asText().strip() + ") AS virtual_table";
  }

  private static Object single(Statement s, String sql, String what) {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), what + ": one row");
      Object v = rs.getObject(1);
      return v instanceof Number n ? n : v;
    } catch (SQLException e) {
      fail(what + ": " + e.getMessage() + "\n" + sql);
      return null;
    }
  }

  private static Number singleNumber(Statement s, String sql, String what) {
    return (Number) single(s, sql, what);
  }

  private static void execute(Statement s, String sql, String what) {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
    } catch (SQLException e) {
      fail(what + ": " + e.getMessage() + "\n" + sql);
    }
  }
}
