package io.kefu.dashboard.superset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.dashboard.superset.BundleCheck.Failure;
import io.kefu.dashboard.superset.BundleCheck.Report;
import io.kefu.dashboard.superset.BundleCheck.Result;
import io.kefu.dashboard.superset.BundleSources.Chart;
import io.kefu.dashboard.superset.BundleSources.Column;
import io.kefu.dashboard.superset.BundleSources.Dataset;
import io.kefu.dashboard.superset.BundleSources.Filter;
import io.kefu.dashboard.superset.BundleSources.Metric;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check on embedded PostgreSQL with the tables as their writers create them (the streaming
 * job's migrations, the batch's and the audit ledger's DDL), empty but for two QA violations.
 */
class BundleCheckTest {

  static final Path SOURCES = Path.of("../dashboards/superset");
  static final List<Path> DDL =
      List.of(
          Path.of("../streaming/src/main/resources/db/migration/V1__kpi_tables.sql"),
          Path.of("../streaming/src/main/resources/db/migration/V2__quality_inspection.sql"),
          Path.of("../batch/src/main/resources/io/kefu/batch/profiles/customer_profiles.sql"),
          Path.of("../batch/src/main/resources/io/kefu/batch/recommend/recommendations.sql"),
          Path.of("../audit-ledger/src/main/resources/io/kefu/audit/tables/audit_tables.sql"));

  @TempDir static Path tmp;
  static EmbeddedPostgres postgres;
  static String jdbc;

  @BeforeAll
  static void writersTablesWithTwoViolations() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    jdbc = postgres.getJdbcUrl("postgres", "postgres");
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      for (Path ddl : DDL) {
        s.execute(Files.readString(ddl));
      }
      s.execute(
          "INSERT INTO qa_violations (violation_id, tenant, conversation_id, message_id, agent_id,"
              + " channel, queue, rule_id, rule_kind, rule_version, matched_text, penalty,"
              + " event_time) VALUES"
              + " ('c-1:jargon:m-2', 'acme', 'c-1', 'm-2', 'agent-01', 'WEB', 'billing', 'jargon',"
              + " 'JARGON', 'v3', 'SKU', 2, '2026-11-23T01:00:00Z'),"
              + " ('c-2:slow:m-5', 'acme', 'c-2', 'm-5', 'agent-02', 'PHONE', 'billing', 'slow',"
              + " 'SLOW_REPLY', 'v3', NULL, 5, '2026-11-23T02:00:00Z')");
    }
  }

  @AfterAll
  static void stop() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void everyQueryOfTheBundleExecutesOnTheWritersTables() throws Exception {
    Report report = BundleCheck.ofThisBuild().run(jdbc);
    assertEquals(9, report.datasets().size(), names(report.datasets()));
    assertEquals(24, report.charts().size(), names(report.charts()));
    for (Result r : report.results()) {
      assertTrue(r.executed(), r.name() + ": " + r.failures());
    }
    assertTrue(report.allExecute());

    Result violations = result(report.datasets(), "qa_violations");
    assertEquals(2, violations.rows());
    assertTrue(violations.returnsData(), violations.toString());
    Result topRules = result(report.charts(), "qa_top_rules");
    assertEquals("qa_violations", topRules.dataset());
    assertEquals(2, topRules.rows(), "one row per rule");
    assertTrue(topRules.returnsData());

    Result kpis = result(report.datasets(), "kpi_windows");
    assertEquals(0, kpis.rows());
    assertFalse(kpis.returnsData(), "empty");
    assertTrue(kpis.nullMetrics().contains("offered"), "SUM of no rows: " + kpis.nullMetrics());
    Result alerts = result(report.datasets(), "anger_alerts");
    assertEquals(0, alerts.rows());
    assertFalse(alerts.returnsData(), "no rows");
    Result anchored = result(report.charts(), "audit_records_anchored");
    assertEquals(1, anchored.rows(), "a big number over no rows is still one row");
    assertEquals(List.of("records"), anchored.nullMetrics(), "but it shows no number");
    assertFalse(anchored.returnsData());
    assertFalse(report.allReturnData());
  }

  @Test
  void aBrokenDatasetSqlIsReportedNamingTheDatasetAndItsCharts() throws Exception {
    Path copy = tmp.resolve("broken");
    copyTree(SOURCES, copy);
    Path file = copy.resolve("datasets/kefu/qa_violations.yaml");
    String yaml = Files.readString(file);
    assertTrue(yaml.contains("FROM qa_violations\n"));
    Files.writeString(file, yaml.replace("FROM qa_violations\n", "FROM qa_violation\n"));

    Report report = new BundleCheck(BundleSources.load(copy)).run(jdbc);
    assertFalse(report.allExecute());
    Result broken = result(report.datasets(), "qa_violations");
    assertFalse(broken.executed());
    Failure f = broken.failures().get(0);
    assertEquals("sql", f.part());
    assertTrue(f.error().contains("relation \"qa_violation\" does not exist"), f.error());
    assertTrue(f.sql().endsWith("FROM qa_violation) AS virtual_table"), f.sql());

    List<String> failed = new ArrayList<>();
    for (Result r : report.results()) {
      if (!r.executed()) {
        failed.add(r.kind() + " " + r.name());
      }
    }
    assertEquals(List.of("DATASET qa_violations", "CHART qa_top_rules"), failed);
    assertEquals("query", result(report.charts(), "qa_top_rules").failures().get(0).part());
  }

  @Test
  void aColumnOrMetricThatDoesNotFitTheSqlIsReportedByName() throws Exception {
    Dataset d =
        BundleSources.load().datasets().stream()
            .filter(x -> x.name().equals("qa_violations"))
            .findFirst()
            .orElseThrow();
    List<Column> columns = new ArrayList<>(d.columns());
    columns.removeIf(c -> c.name().equals("penalty"));
    columns.add(new Column("ghost", null));
    columns.add(new Column("rule_upper", "upper(rule_idd)"));
    List<Metric> metrics = new ArrayList<>(d.metrics());
    metrics.add(new Metric("bad_sum", "SUM(no_such_column)"));
    metrics.add(new Metric("never", "MAX(matched_text) FILTER (WHERE false)"));
    Dataset changed = new Dataset(d.name(), d.uuid(), d.sql(), columns, metrics);

    Report report = new BundleCheck(new BundleSources(List.of(changed), List.of())).run(jdbc);
    Result r = report.datasets().get(0);
    assertEquals(2, r.rows(), "the SQL itself runs");
    assertEquals(
        List.of("column ghost", "column rule_upper", "columns", "metric bad_sum"),
        r.failures().stream().map(Failure::part).toList(),
        r.failures().toString());
    assertTrue(r.failures().get(0).error().contains("not a column of the dataset's SQL"));
    assertTrue(r.failures().get(1).error().contains("rule_idd"), r.failures().get(1).error());
    assertEquals("returned by the SQL but not declared: [penalty]", r.failures().get(2).error());
    assertTrue(r.failures().get(3).error().contains("no_such_column"));
    assertEquals(List.of("never"), r.nullMetrics());
  }

  @Test
  void chartQueriesAreBuiltFromTheirParamsAsSupersetBuildsThem() throws Exception {
    BundleSources sources = BundleSources.load();
    Dataset violations = dataset(sources, "qa_violations");
    String from = "(" + violations.sql() + ") AS virtual_table";
    assertEquals(
        "SELECT \"rule_kind\", \"rule_id\", COUNT(*) AS \"violations\","
            + " COUNT(DISTINCT conversation_id) AS \"conversations\","
            + " COUNT(DISTINCT agent_id) AS \"agents\", SUM(penalty) AS \"penalty\" FROM "
            + from
            + " GROUP BY \"rule_kind\", \"rule_id\" ORDER BY COUNT(*) DESC LIMIT 25",
        BundleCheck.chartQuery(chart(sources, "qa_top_rules"), violations));

    Dataset kpis = dataset(sources, "kpi_windows");
    String qaScore =
        kpis.metrics().stream()
            .filter(m -> m.name().equals("qa_score_mean"))
            .findFirst()
            .orElseThrow()
            .expression();
    assertTrue(
        BundleCheck.chartQuery(chart(sources, "qa_score_by_agent"), kpis)
            .endsWith(
                ") AS virtual_table WHERE \"window_size\" = '1d' AND \"dimension\" = 'agent'"
                    + " GROUP BY \"dimension_value\" ORDER BY "
                    + qaScore
                    + " ASC LIMIT 100"),
        "the time range adds no filter; order_desc: false sorts lowest first");

    String raw =
        BundleCheck.chartQuery(
            chart(sources, "audit_findings_table"), dataset(sources, "audit_findings"));
    assertTrue(
        raw.startsWith(
            "SELECT \"report_date\", \"log_id\", \"verdict\", \"severity\", \"rule\","
                + " \"actor\","
                + " \"occurrences\", \"description\" FROM ("),
        raw);
    assertTrue(raw.endsWith(") AS virtual_table ORDER BY \"report_date\" DESC LIMIT 500"), raw);
  }

  @Test
  void paramsTheCheckCannotRunAreReportedNotGuessed() throws Exception {
    BundleSources sources = BundleSources.load();
    Dataset violations = dataset(sources, "qa_violations");
    Chart in =
        new Chart(
            "by_channel",
            violations.uuid(),
            List.of("channel"),
            List.of("violations"),
            List.of(new Filter("channel", "IN", "WEB")),
            List.of(),
            false,
            null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BundleCheck.chartQuery(in, violations));
    assertEquals("by_channel: filter operator IN on channel (only == is checked)", e.getMessage());
    Chart unknownMetric =
        new Chart(
            "ghost_metric",
            violations.uuid(),
            List.of(),
            List.of("ghosts"),
            List.of(),
            List.of(),
            false,
            null);
    Chart noDataset =
        new Chart(
            "orphan",
            "00000000-0000-0000-0000-000000000000",
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            false,
            null);

    Report report =
        new BundleCheck(
                new BundleSources(List.of(violations), List.of(in, unknownMetric, noDataset)))
            .run(jdbc);
    assertEquals(
        List.of(
            "params: by_channel: filter operator IN on channel (only == is checked)",
            "params: ghost_metric: ghosts is not a metric of qa_violations"
                + " [violations, conversations, agents, penalty]",
            "dataset: no dataset has uuid 00000000-0000-0000-0000-000000000000"),
        report.charts().stream()
            .map(r -> r.failures().get(0).part() + ": " + r.failures().get(0).error())
            .toList());
  }

  private static Dataset dataset(BundleSources sources, String name) {
    return sources.datasets().stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no dataset " + name));
  }

  private static Chart chart(BundleSources sources, String name) {
    return sources.charts().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no chart " + name));
  }

  private static Result result(List<Result> results, String name) {
    return results.stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no result for " + name + ": " + names(results)));
  }

  private static String names(List<Result> results) {
    return results.stream().map(Result::name).toList().toString();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
