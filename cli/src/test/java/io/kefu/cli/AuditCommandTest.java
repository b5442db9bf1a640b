package io.kefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.testing.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auditor's commands as a user runs them: log, anchor, verify, prove, check-proof, daily. */
class AuditCommandTest {

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run kefu(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Kefu.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** 2,500 operations on 2026-11-23 (Shanghai), one broken line, one night-time bulk export. */
  private Path operations() throws Exception {
    List<String> lines = new ArrayList<>();
    long day = 1_795_363_200_000L; // 2026-11-23T00:00+08:00
    for (int i = 0; i < 2_500; i++) {
      lines.add(
          String.format(
              "{\"sequence\":%d,\"time\":%d,\"actor\":\"agent-%d\",\"actor_role\":\"AGENT\","
                  + "\"action\":\"VIEW\",\"resource_type\":\"CUSTOMER_RECORD\","
                  + "\"resource_id\":\"cust-%d\",\"customer_pseudonym\":\"p-%d\","
                  + "\"purpose\":\"处理客户会话\",\"ticket_ref\":\"c-%d\",\"outcome\":\"ALLOWED\"}",
              i, day + 9 * 3_600_000L + i * 10_000L, i % 20, i, i, i));
      if (i == 700) {
        lines.add("{\"sequence\":1,\"time\":\"yesterday\"}");
      }
    }
    lines.add(
        String.format(
            "{\"sequence\":0,\"time\":%d,\"actor\":\"sup-01\",\"actor_role\":\"SUPERVISOR\","
                + "\"action\":\"EXPORT\",\"resource_type\":\"LAKE\",\"resource_id\":\"profiles\","
                + "\"purpose\":\"quarterly report\",\"ticket_ref\":\"T-9\",\"outcome\":\"ALLOWED\","
                + "\"record_count\":50000}",
            day + 2 * 3_600_000L));
    Path file = tmp.resolve("oplog.jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void logAnchorVerifyProveAndAudit() throws Exception {
    Path log = tmp.resolve("log");
    String ledger = "embedded:" + tmp.resolve("ledger");
    Run r =
        kefu(
            "audit",
            "log",
            "--in",
            operations().toString(),
            "--log",
            log.toString(),
            "--batch-records",
            "1000");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("appended 2,501 records"), r.out());
    assertTrue(r.out().contains("oplog.jsonl:702"), "names the bad line: " + r.out());
    assertTrue(Files.readString(log.resolve("rejected.jsonl")).contains("oplog.jsonl:702"));

    r = kefu("audit", "anchor", "--log", log.toString(), "--ledger", ledger);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("3 batch(es) anchored now"), r.out());
    r = kefu("audit", "anchor", "--log", log.toString(), "--ledger", ledger);
    assertTrue(r.out().contains("0 batch(es) anchored now, 3 were already"), r.out());

    String key = log.resolve("keys/batch-signing.pub.json").toString();
    r = kefu("audit", "verify", "--log", log.toString(), "--ledger", ledger, "--public-key", key);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("INTACT"), r.out());

    Path proof = tmp.resolve("proof.json");
    assertEquals(
        0,
        kefu("audit", "prove", "--log", log.toString(), "--seq", "1234", "--out", proof.toString())
            .code());
    r = kefu("audit", "check-proof", proof.toString(), "--public-key", key, "--ledger", ledger);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("anchored on"), r.out());
    Files.writeString(
        proof,
        Files.readString(proof).replaceFirst("\"leaf_index\" : 234", "\"leaf_index\" : 235"));
    r = kefu("audit", "check-proof", proof.toString(), "--public-key", key);
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().startsWith("FAILED"), r.out());

    Path reports = tmp.resolve("reports");
    r =
        kefu(
            "audit",
            "daily",
            "--log",
            log.toString(),
            "--ledger",
            ledger,
            "--public-key",
            key,
            "--date",
            "2026-11-23",
            "--out",
            reports.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("BULK_EXPORT"), r.out());
    assertTrue(Files.exists(reports.resolve("audit-2026-11-23.html")));
    assertTrue(r.out().contains("report hash sealed in the log as record 2501"), r.out());

    // One byte changed in the middle of the log: exit 1, naming the record.
    Path segment = log.resolve("00000000000000000000.seg");
    byte[] b = Files.readAllBytes(segment);
    int at = b.length / 2;
    b[at] ^= 0x01;
    Files.write(segment, b);
    r =
        kefu(
            "audit",
            "verify",
            "--log",
            log.toString(),
            "--ledger",
            ledger,
            "--public-key",
            key,
            "--report",
            tmp.resolve("report.json").toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().startsWith("TAMPERED"), r.out());
    assertTrue(Files.readString(tmp.resolve("report.json")).contains("\"first_bad_seq\""));
  }

  /** Records from a real Kafka broker; offsets are committed once the records are durable. */
  @Test
  void logFromKafka() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"))) {
      broker.createTopic("ops", 2);
      List<byte[][]> records = new ArrayList<>();
      for (String line : Files.readAllLines(operations(), StandardCharsets.UTF_8)) {
        records.add(new byte[][] {null, line.getBytes(StandardCharsets.UTF_8)});
      }
      broker.produce("ops", records);
      Path log = tmp.resolve("log");
      String[] args = {
        "audit",
        "log",
        "--kafka",
        broker.bootstrap(),
        "--topic",
        "ops",
        "--idle-exit",
        "3",
        "--log",
        log.toString()
      };
      Run r = kefu(args);
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("appended 2,501 records"), r.out());
      assertTrue(r.out().contains("1 rejected"), r.out());
      assertTrue(
          Files.readString(log.resolve("rejected.jsonl")).contains("ops-"),
          "topic-partition@offset");
      r = kefu(args);
      assertTrue(
          r.out().contains("appended 0 records"),
          "committed offsets are not read twice: " + r.out());
    }
  }

  @Test
  void aDailyAuditWithoutALedgerSaysTheAnchorsWereNotChecked() throws Exception {
    Path log = tmp.resolve("log");
    assertEquals(
        0, kefu("audit", "log", "--in", operations().toString(), "--log", log.toString()).code());
    Path reports = tmp.resolve("reports");
    Run r =
        kefu(
            "audit",
            "daily",
            "--log",
            log.toString(),
            "--date",
            "2026-11-23",
            "--out",
            reports.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("BULK_EXPORT"), r.out());
    assertTrue(
        Files.readString(reports.resolve("audit-2026-11-23.json"))
            .contains("none (no --ledger: anchors not checked)"));
  }

  @Test
  void aMissingLedgerSpecIsAClearError() {
    Run r = kefu("audit", "anchor", "--log", tmp.toString(), "--ledger", "ftp:somewhere");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("embedded:DIR"), r.err());
  }

  /** --jdbc on anchor, verify and daily fills the Audit dashboard's three tables. */
  @Test
  void withJdbcTheCommandsFillTheAuditTables() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String jdbc = pg.getJdbcUrl("postgres", "postgres") + "&password=not-printed";
      Path log = tmp.resolve("log");
      String ledger = "embedded:" + tmp.resolve("ledger");
      String key = log.resolve("keys/batch-signing.pub.json").toString();
      Run r =
          kefu(
              "audit",
              "log",
              "--in",
              operations().toString(),
              "--log",
              log.toString(),
              "--batch-records",
              "1000");
      assertEquals(0, r.code(), r.err());

      for (int run = 0; run < 2; run++) {
        r = kefu("audit", "anchor", "--log", log.toString(), "--ledger", ledger, "--jdbc", jdbc);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("audit_batches in jdbc:postgresql://"), r.out());
        assertTrue(r.out().contains("3 row(s) of log ops, 3 with their anchor"), r.out());
        assertFalse(r.out().contains("not-printed"), "the URL's parameters are not printed");
      }
      assertEquals(3, query(jdbc, "SELECT count(*) FROM audit_batches"));
      assertEquals(2_501, query(jdbc, "SELECT sum(record_count) FROM audit_batches"));
      assertEquals(2_500, query(jdbc, "SELECT max(last_seq) FROM audit_batches"));
      assertEquals(0, query(jdbc, "SELECT count(*) FROM audit_batches WHERE tx_id IS NULL"));

      r =
          kefu(
              "audit",
              "verify",
              "--log",
              log.toString(),
              "--ledger",
              ledger,
              "--public-key",
              key,
              "--jdbc",
              jdbc);
      assertEquals(0, r.code(), r.out() + r.err());
      assertTrue(r.out().contains("audit_verifications: 1 row (intact, log ops)"), r.out());

      String[] daily = {
        "audit",
        "daily",
        "--log",
        log.toString(),
        "--ledger",
        ledger,
        "--public-key",
        key,
        "--date",
        "2026-11-23",
        "--out",
        tmp.resolve("reports").toString(),
        "--jdbc",
        jdbc
      };
      r = kefu(daily);
      assertEquals(0, r.code(), r.out() + r.err());
      assertTrue(r.out().contains("audit_findings"), r.out());
      long findings = query(jdbc, "SELECT count(*) FROM audit_findings");
      assertTrue(findings > 0, "the night-time bulk export is a finding");
      assertEquals(
          1,
          query(
              jdbc,
              "SELECT count(*) FROM audit_findings WHERE report_date = '2026-11-23'"
                  + " AND rule = 'BULK_EXPORT' AND actor = 'sup-01' AND first_sequence = 2500"
                  + " AND verdict = 'REVIEW_REQUIRED'"));
      // the report's hash is record 2501, sealed in a batch of its own and anchored
      assertEquals(4, query(jdbc, "SELECT count(*) FROM audit_batches"));
      assertEquals(0, query(jdbc, "SELECT count(*) FROM audit_batches WHERE tx_id IS NULL"));
      assertEquals(2_501, query(jdbc, "SELECT first_seq FROM audit_batches WHERE batch_id = 3"));

      r = kefu(daily);
      assertEquals(0, r.code(), r.out() + r.err());
      assertEquals(findings, query(jdbc, "SELECT count(*) FROM audit_findings"), "replaced");
      assertEquals(5, query(jdbc, "SELECT count(*) FROM audit_batches"), "one more report");
      assertEquals(3, query(jdbc, "SELECT count(*) FROM audit_verifications WHERE intact"));

      Path segment = log.resolve("00000000000000000000.seg");
      byte[] b = Files.readAllBytes(segment);
      b[b.length / 2] ^= 0x01;
      Files.write(segment, b);
      r =
          kefu(
              "audit",
              "verify",
              "--log",
              log.toString(),
              "--ledger",
              ledger,
              "--public-key",
              key,
              "--jdbc",
              jdbc);
      assertEquals(1, r.code(), "the exit code is verify's: " + r.out());
      assertTrue(r.out().contains("audit_verifications: 1 row (tampered, log ops)"), r.out());
      try (Connection c = DriverManager.getConnection(jdbc);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT intact, records, batches, first_problem, ledger"
                      + " FROM audit_verifications ORDER BY verified_at")) {
        for (int i = 0; i < 3; i++) {
          assertTrue(rs.next());
          assertTrue(rs.getBoolean(1));
          assertNull(rs.getString(4));
        }
        assertTrue(rs.next());
        assertFalse(rs.getBoolean(1));
        assertNotNull(rs.getString(4));
        assertTrue(rs.getString(4).contains(" at record "), rs.getString(4));
        assertEquals(ledger, rs.getString(5));
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void aJdbcUrlThatIsNotPostgresIsInvalidInput() {
    Run r =
        kefu(
            "audit",
            "verify",
            "--log",
            tmp.toString(),
            "--jdbc",
            "jdbc:mysql://db/kefu?password=secret");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("expected jdbc:postgresql:"), r.err());
    assertFalse(r.err().contains("secret"), r.err());
  }

  private static long query(String jdbc, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getLong(1);
    }
  }
}
