package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.kefu.dashboard.superset.BundleCheck;
import io.kefu.dashboard.superset.BundleSources;
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
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * pipeline really writes: a simulated day goes through the KPI job into PostgreSQL; then {@link
 * BundleCheck} (what {@code kefu dashboard check} runs) executes every dataset's SQL, every metric
 * and column of every dataset, and every chart's query (built from its params the way Superset
 * builds it: the metrics over the virtual dataset as a subquery, grouped by the chart's columns,
 * with its simple filters), and all must execute. Datasets on the pipeline's tables must return
 * rows and non-null metrics, their charts rows with a value for every metric; those on tables the
 * pipeline does not write (batch profiles, recommendations) are created empty and only have to
 * execute — 0 rows allowed. The audit tables are written by the audit ledger's own writer ({@link
 * AuditTables}, what {@code kefu audit anchor|verify|daily --jdbc} run) from a small real operation
 * log, so they return rows too.
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

  @TempDir static Path tmp;
  static EmbeddedPostgres postgres;
  static String jdbc;
  static BundleSources sources;
  static BundleCheck.Report report;

  @BeforeAll
  static void fillFromASimulatedDay() throws Exception {
    sources = BundleSources.load(SOURCES);
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
    report = new BundleCheck(sources).run(jdbc);
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
      assertTrue(tables.writeFindings("ops", report) >= 2, "findings: " + findings);
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
  void everyDatasetExecutesWithItsColumnsAndMetrics() {
    assertEquals(9, report.datasets().size(), report.datasets().toString());
    Map<String, Long> counts = new LinkedHashMap<>();
    for (BundleCheck.Result d : report.datasets()) {
      counts.put(d.name(), d.rows());
      // its SQL, every declared column (a column of the query or a valid expression over it),
      // every returned column declared, every metric
      assertTrue(d.executed(), d.name() + ": " + failures(d));
      if (!NOT_FILLED_BY_THE_PIPELINE.contains(d.name())) {
        assertTrue(d.rows() > 0, d.name() + " returns rows from the pipeline's tables");
        assertEquals(List.of(), d.nullMetrics(), d.name() + ": every metric is not null");
      }
    }
    System.out.println("SupersetBundleIT dataset rows: " + counts);
  }

  @Test
  void everyChartQueryExecutes() {
    assertEquals(24, report.charts().size());
    Map<String, Long> counts = new LinkedHashMap<>();
    for (BundleCheck.Result chart : report.charts()) {
      counts.put(chart.name(), chart.rows());
      assertTrue(chart.executed(), chart.name() + ": " + failures(chart));
      if (!NOT_FILLED_BY_THE_PIPELINE.contains(chart.dataset())) {
        assertTrue(chart.rows() > 0, chart.name() + " shows rows");
        assertEquals(List.of(), chart.nullMetrics(), chart.name() + ": every metric has a value");
      }
    }
    System.out.println("SupersetBundleIT chart rows: " + counts);
  }

  @Test
  void noDatasetReadsTheVault() {
    sources
        .datasets()
        .forEach(
            d ->
                assertFalse(
                    d.sql().toLowerCase(Locale.ROOT).matches("(?s).*\\bvault\\b.*"),
                    d.name() + " reads the vault"));
  }

  private static String failures(BundleCheck.Result r) {
    StringBuilder b = new StringBuilder();
    for (BundleCheck.Failure f : r.failures()) {
      b.append("\n  ").append(f.part()).append(": ").append(f.error());
      if (f.sql() != null) {
        b.append("\n  ").append(f.sql());
      }
    }
    return b.toString();
  }
}
