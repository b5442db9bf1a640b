package io.kefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kefu dashboard check} on embedded PostgreSQL: a database with the writers' tables (empty
 * but for two QA violations), and one without any table.
 */
class DashboardCheckCommandTest {

  static final List<Path> DDL =
      List.of(
          Path.of("../streaming/src/main/resources/db/migration/V1__kpi_tables.sql"),
          Path.of("../streaming/src/main/resources/db/migration/V2__quality_inspection.sql"),
          Path.of("../batch/src/main/resources/io/kefu/batch/profiles/customer_profiles.sql"),
          Path.of("../batch/src/main/resources/io/kefu/batch/recommend/recommendations.sql"),
          Path.of("../audit-ledger/src/main/resources/io/kefu/audit/tables/audit_tables.sql"));

  @TempDir static Path tmp;
  static EmbeddedPostgres pg;
  static String tables;
  static String bare;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    tables = pg.getJdbcUrl("postgres", "postgres") + "&password=not-printed";
    try (Connection c = DriverManager.getConnection(tables);
        Statement s = c.createStatement()) {
      for (Path ddl : DDL) {
        s.execute(Files.readString(ddl));
      }
      s.execute(
          "INSERT INTO qa_violations (violation_id, tenant, conversation_id, agent_id, rule_id,"
              + " rule_kind, rule_version, penalty, event_time) VALUES"
              + " ('c-1:jargon:m-2', 'acme', 'c-1', 'agent-01', 'jargon', 'JARGON', 'v3', 2,"
              + " '2026-11-23T01:00:00Z'),"
              + " ('c-2:slow:m-5', 'acme', 'c-2', 'agent-02', 'slow', 'SLOW_REPLY', 'v3', 5,"
              + " '2026-11-23T02:00:00Z')");
      s.execute("CREATE DATABASE bare");
    }
    bare = pg.getJdbcUrl("postgres", "bare");
  }

  @AfterAll
  static void stop() throws IOException {
    pg.close();
  }

  @Test
  void theWritersEmptyTablesPassUnlessRowsAreRequired() {
    CliRun run = CliRun.of("dashboard", "check", "--jdbc", tables);
    assertEquals(0, run.exitCode(), run.out() + run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(9 + 24 + 1, lines.size(), run.out());
    assertTrue(lines.get(0).matches("dataset +anger_alerts +ok +0 rows.*"), lines.get(0));
    assertTrue(
        run.out().contains("dataset qa_violations                    ok      2 rows\n"), run.out());
    assertTrue(run.out().contains("chart   qa_top_rules"), run.out());
    assertEquals("9 datasets and 24 charts: all execute", lines.get(lines.size() - 1));
    assertFalse(run.out().contains("not-printed"));

    CliRun rows = CliRun.of("dashboard", "check", "--jdbc", tables, "--require-rows");
    assertEquals(1, rows.exitCode(), rows.out() + rows.err());
    assertTrue(rows.out().contains("dataset qa_violations                    ok      2 rows\n"));
    assertTrue(
        rows.out().matches("(?s).*dataset +kpi_windows +EMPTY +0 rows, no value for offered.*"),
        rows.out());
    assertTrue(rows.out().matches("(?s).*chart +qa_top_rules +ok +2 rows\n.*"), "one row per rule");
    assertTrue(
        rows.out().endsWith("9 datasets and 24 charts: 31 FAILED\n"),
        "all but qa_violations and its chart: " + rows.out());
  }

  @Test
  void aDatabaseWithoutTheTablesFails() {
    CliRun run = CliRun.of("dashboard", "check", "--jdbc", bare);
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertTrue(
        run.out()
            .contains(
                "dataset kpi_windows                      FAILED  sql: ERROR: relation"
                    + " \"kpi_windows\" does not exist"),
        run.out());
    assertTrue(run.out().endsWith("9 datasets and 24 charts: 33 FAILED\n"), run.out());
  }

  @Test
  void aBrokenDatasetInTheSourcesIsNamed() throws Exception {
    Path copy = tmp.resolve("superset");
    try (Stream<Path> walk = Files.walk(Path.of("../dashboards/superset"))) {
      for (Path p : walk.toList()) {
        Path target = copy.resolve(Path.of("../dashboards/superset").relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Path file = copy.resolve("datasets/kefu/audit_findings.yaml");
    Files.writeString(
        file, Files.readString(file).replace("FROM audit_findings", "FROM audit_finding"));
    CliRun run = CliRun.of("dashboard", "check", "--jdbc", tables, "--sources", copy.toString());
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertTrue(
        run.out()
            .contains(
                "dataset audit_findings                   FAILED  sql: ERROR: relation"
                    + " \"audit_finding\" does not exist"),
        run.out());
    assertTrue(run.out().matches("(?s).*chart +audit_findings_table +FAILED +query: ERROR.*"));
    assertTrue(run.out().matches("(?s).*chart +audit_findings_by_rule +FAILED +query: ERROR.*"));
    assertTrue(run.out().endsWith("9 datasets and 24 charts: 3 FAILED\n"), run.out());
  }

  @Test
  void usageErrorsAndAnUnreachableDatabase() {
    CliRun wrong = CliRun.of("dashboard", "check", "--jdbc", "postgresql://h/db");
    assertEquals(2, wrong.exitCode());
    assertTrue(wrong.err().contains("--jdbc must be a jdbc:postgresql:// URL"), wrong.err());
    CliRun missing = CliRun.of("dashboard", "check");
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("Missing required option: '--jdbc=URL'"), missing.err());
    CliRun noSources =
        CliRun.of("dashboard", "check", "--jdbc", tables, "--sources", tmp.toString());
    assertEquals(2, noSources.exitCode());
    assertTrue(noSources.err().contains("--sources: "), noSources.err());

    CliRun down =
        CliRun.of(
            "dashboard",
            "check",
            "--jdbc",
            "jdbc:postgresql://127.0.0.1:1/kefu?user=u&password=not-printed&connectTimeout=2");
    assertEquals(1, down.exitCode(), down.out() + down.err());
    assertTrue(
        down.err()
            .contains("kefu dashboard check: cannot query jdbc:postgresql://127.0.0.1:1/kefu:"),
        down.err());
    assertFalse(down.err().contains("not-printed"));
  }

  @Test
  void helpListsTheCheck() {
    CliRun sub = CliRun.of("dashboard", "--help");
    assertTrue(sub.out().contains("check"), sub.out());
    CliRun help = CliRun.of("dashboard", "check", "--help");
    assertTrue(help.out().contains("--require-rows"), help.out());
  }
}
