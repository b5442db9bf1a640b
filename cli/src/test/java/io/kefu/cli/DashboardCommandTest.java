package io.kefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardCommandTest {

  @TempDir Path tmp;

  @Test
  void supersetBundleWritesAnImportableZipWithTheMaskedUri() throws Exception {
    Path zip = tmp.resolve("out/bundle.zip");
    CliRun run =
        CliRun.of(
            "dashboard",
            "superset-bundle",
            "--db-uri",
            "postgresql://kefu:top-secret@pg.internal:5432/kefu",
            "--out",
            zip.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out().contains("database postgresql://kefu:XXXXXXXXXX@pg.internal:5432/kefu"),
        run.out());
    assertTrue(run.out().contains("passwords={\"databases/kefu.yaml\""), run.out());
    List<String> names = new ArrayList<>();
    String database = null;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        names.add(e.getName());
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertFalse(text.contains("top-secret"), e.getName());
        if (e.getName().endsWith("/databases/kefu.yaml")) {
          database = text;
        }
      }
    }
    assertTrue(names.get(0).matches("kefu_dashboards_\\d{8}T\\d{6}/metadata\\.yaml"), names.get(0));
    assertEquals(39, names.size(), names.toString());
    assertTrue(
        database.contains("sqlalchemy_uri: 'postgresql://kefu:XXXXXXXXXX@pg.internal:5432/kefu'"),
        database);
  }

  @Test
  void aBadDatabaseUriIsAUsageError() {
    CliRun run =
        CliRun.of(
            "dashboard",
            "superset-bundle",
            "--db-uri",
            "mysql://u:p@h/db",
            "--out",
            tmp.resolve("b.zip").toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--db-uri: database URI must be postgresql://"), run.err());
    assertFalse(Files.exists(tmp.resolve("b.zip")));
  }

  @Test
  void serveNeedsAJdbcUrl() {
    CliRun missing = CliRun.of("dashboard");
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("Missing required option: '--jdbc=URL'"), missing.err());
    CliRun wrong = CliRun.of("dashboard", "--jdbc", "postgresql://h/db");
    assertEquals(2, wrong.exitCode());
    assertTrue(wrong.err().contains("--jdbc must be a jdbc:postgresql:// URL"), wrong.err());
  }

  @Test
  void helpListsTheCommand() {
    CliRun run = CliRun.of("--help");
    assertTrue(run.out().contains("dashboard"), run.out());
    CliRun sub = CliRun.of("dashboard", "--help");
    assertTrue(sub.out().contains("superset-bundle"), sub.out());
    assertTrue(sub.out().contains("--port"), sub.out());
  }

  @Test
  void demoPrintsCommandsThatBringTheDashboardUp() {
    StringWriter s = new StringWriter();
    DemoCommand.printDashboards(Path.of("kefu-demo"), "2026-11-23", new PrintWriter(s, true));
    String out = s.toString();
    assertTrue(out.contains("bin/kefu postgres --data kefu-demo/postgres --port 54329 &"), out);
    assertTrue(
        out.contains(
            "bin/kefu dashboard --jdbc 'jdbc:postgresql://localhost:54329/postgres?user=postgres'"),
        out);
    assertTrue(out.contains("http://127.0.0.1:8088/?from=2026-11-23"), out);
  }
}
