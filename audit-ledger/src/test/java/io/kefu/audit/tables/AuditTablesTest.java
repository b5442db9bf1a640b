package io.kefu.audit.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.kefu.audit.log.SampleRecords;
import io.kefu.audit.verify.LogVerifier;
import io.kefu.audit.verify.VerificationReport;
import io.kefu.schemas.OperationLogRecord;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit tables on a real PostgreSQL, filled from a real log (450 records in batches of 100,
 * anchored on an embedded ledger) and checked against the log's and the ledger's files read here
 * with plain Jackson, not with the classes that wrote them.
 */
class AuditTablesTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  static EmbeddedPostgres pg;

  @TempDir Path dir;
  Connection db;
  AuditTables tables;
  final AtomicLong ledgerClock = new AtomicLong(T0.toEpochMilli());

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    String name = "audit_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    db = DriverManager.getConnection(pg.getJdbcUrl("postgres", name));
    tables = new AuditTables(db);
    tables.create();
    tables.create(); // idempotent
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  private Path log() {
    return dir.resolve("log");
  }

  /** Appends records {@code [from, to)} and seals everything that is open. */
  private void appendAndSeal(long from, long to) throws Exception {
    LogOptions opts =
        LogOptions.defaults()
            .withLogId("ops-test")
            .withBatches(new BatchSealer.Policy(100, Duration.ofHours(1)));
    try (OperationLog l = OperationLog.open(log(), opts)) {
      l.appendAll(LongStream.range(from, to).mapToObj(SampleRecords::record).toList());
      l.closeBatches();
    }
  }

  private EmbeddedLedger ledger() throws Exception {
    return EmbeddedLedger.open(dir.resolve("ledger"), () -> ledgerClock.addAndGet(60_000));
  }

  private static List<JsonNode> jsonLines(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /** {@code audit_batches} as batch id → column → value. */
  private Map<Long, Map<String, Object>> batchRows() throws SQLException {
    Map<Long, Map<String, Object>> rows = new LinkedHashMap<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM audit_batches ORDER BY batch_id")) {
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          String column = rs.getMetaData().getColumnName(i);
          row.put(
              column,
              column.endsWith("_at") ? rs.getObject(i, OffsetDateTime.class) : rs.getObject(i));
        }
        rows.put(rs.getLong("batch_id"), row);
      }
    }
    return rows;
  }

  private long count(String sql) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Instant instant(Object timestamptz) {
    return ((OffsetDateTime) timestamptz).toInstant();
  }

  @Test
  void batchesMirrorTheBatchFileAndTheLedgerWithoutDuplicates() throws Exception {
    appendAndSeal(0, 450);
    try (EmbeddedLedger l = ledger()) {
      Anchoring.anchorAll(log(), l, null);
    }
    appendAndSeal(450, 520); // sealed, not anchored yet
    AuditTables.BatchRows written;
    try (EmbeddedLedger l = ledger()) {
      written = tables.writeBatches(log(), l);
    }
    assertEquals(new AuditTables.BatchRows("ops-test", 6, 5, null), written);

    List<JsonNode> sealed = jsonLines(log().resolve("batches.jsonl"));
    Map<Long, JsonNode> anchors = new LinkedHashMap<>();
    for (JsonNode a : jsonLines(dir.resolve("ledger/anchors.jsonl"))) {
      anchors.put(a.at("/batch/header/batch_id").asLong(), a);
    }
    assertEquals(6, sealed.size());
    assertEquals(5, anchors.size());
    Map<Long, Map<String, Object>> rows = batchRows();
    assertEquals(sealed.size(), rows.size());
    for (JsonNode b : sealed) {
      JsonNode h = b.get("header");
      Map<String, Object> row = rows.get(h.get("batch_id").asLong());
      String what = "batch " + h.get("batch_id");
      assertEquals("ops-test", row.get("log_id"), what);
      assertEquals(h.get("first_seq").asLong(), row.get("first_seq"), what);
      assertEquals(h.get("last_seq").asLong(), row.get("last_seq"), what);
      assertEquals(h.get("count").asLong(), row.get("record_count"), what);
      assertEquals(h.get("root").asText(), row.get("root"), what);
      assertEquals(h.get("key_id").asText(), row.get("key_id"), what);
      assertEquals(b.get("header_hash").asText(), row.get("header_hash"), what);
      assertEquals(h.get("closed_at").asLong(), instant(row.get("closed_at")).toEpochMilli(), what);
      JsonNode a = anchors.get(h.get("batch_id").asLong());
      if (a == null) {
        for (String c : List.of("ledger", "tx_id", "block", "anchored_at")) {
          assertNull(row.get(c), what + " is not anchored: " + c);
        }
      } else {
        assertEquals("embedded:" + dir.resolve("ledger"), row.get("ledger"), what);
        assertEquals(a.get("tx_id").asText(), row.get("tx_id"), what);
        assertEquals(a.get("block").asLong(), row.get("block"), what);
        assertEquals(
            a.get("anchored_at").asLong(), instant(row.get("anchored_at")).toEpochMilli(), what);
      }
    }
    assertEquals(0L, rows.get(0L).get("first_seq"));
    assertEquals(519L, rows.get(5L).get("last_seq"));
    assertEquals(70L, rows.get(5L).get("record_count"));

    // Anchoring the last batch and writing again updates its row; nothing is duplicated.
    try (EmbeddedLedger l = ledger()) {
      Anchoring.anchorAll(log(), l, null);
      written = tables.writeBatches(log(), l);
      tables.writeBatches(log(), l);
    }
    assertEquals(6, written.anchored());
    assertEquals(6, count("SELECT count(*) FROM audit_batches"));
    assertEquals(0, count("SELECT count(*) FROM audit_batches WHERE tx_id IS NULL"));
    assertEquals(520, count("SELECT sum(record_count) FROM audit_batches"));
  }

  @Test
  void aBatchTheLedgerHoldsWithAnotherHeaderIsNotAnchored() throws Exception {
    appendAndSeal(0, 250);
    try (EmbeddedLedger l = ledger()) {
      Anchoring.anchorAll(log(), l, null);
    }
    // A second log under the same id, sealed differently: the ledger holds other headers.
    Path ledgerDir = dir.resolve("ledger");
    Path other = dir.resolve("other");
    Files.move(log(), other);
    appendAndSeal(1000, 1250);
    try (EmbeddedLedger l = EmbeddedLedger.open(ledgerDir)) {
      AuditTables.BatchRows rows = tables.writeBatches(log(), l);
      assertEquals(3, rows.batches());
      assertEquals(0, rows.anchored(), "no header of this log is on the ledger");
    }
    assertEquals(3, count("SELECT count(*) FROM audit_batches WHERE tx_id IS NULL"));
  }

  @Test
  void aFailedWriteLeavesNothingAndNamesTheTable() throws Exception {
    appendAndSeal(0, 450);
    try (Statement s = db.createStatement()) {
      s.execute("ALTER TABLE audit_batches ADD CONSTRAINT small CHECK (batch_id < 3)");
    }
    try (EmbeddedLedger l = ledger()) {
      Anchoring.anchorAll(log(), l, null);
      SQLException e = assertThrows(SQLException.class, () -> tables.writeBatches(log(), l));
      assertTrue(e.getMessage().startsWith("writing audit_batches failed"), e.getMessage());
      assertTrue(e.getMessage().contains("small"), "the database's reason: " + e.getMessage());
    }
    assertEquals(0, count("SELECT count(*) FROM audit_batches"), "batches 0-2 rolled back");
    assertTrue(db.getAutoCommit(), "the connection is left as it was");

    VerificationReport r;
    try (EmbeddedLedger l = ledger()) {
      r = LogVerifier.verify(log(), l, null, null);
    }
    tables.writeVerification(r, T0);
    SQLException e =
        assertThrows(SQLException.class, () -> tables.writeVerification(r, T0.plusNanos(1)));
    assertTrue(e.getMessage().contains("audit_verifications"), e.getMessage());
    assertEquals(1, count("SELECT count(*) FROM audit_verifications"));
  }

  @Test
  void verificationsRecordIntactAndTheFirstBadRecord() throws Exception {
    appendAndSeal(0, 450);
    try (EmbeddedLedger l = ledger()) {
      Anchoring.anchorAll(log(), l, null);
      tables.writeVerification(LogVerifier.verify(log(), l, null, null), T0);
    }
    tables.writeVerification(LogVerifier.verify(log(), null, null, null), T0.plusSeconds(1));

    Path segment = log().resolve("00000000000000000000.seg");
    byte[] b = Files.readAllBytes(segment);
    b[b.length / 2] ^= 0x01;
    Files.write(segment, b);
    VerificationReport tampered;
    try (EmbeddedLedger l = ledger()) {
      tampered = LogVerifier.verify(log(), l, null, null);
    }
    assertFalse(tampered.intact());
    tables.writeVerification(tampered, T0.plusSeconds(2));

    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT verified_at, log_id, ledger, intact, records, batches, first_problem"
                    + " FROM audit_verifications ORDER BY verified_at")) {
      assertTrue(rs.next());
      assertEquals(T0, rs.getObject(1, OffsetDateTime.class).toInstant());
      assertEquals("ops-test", rs.getString(2));
      assertEquals("embedded:" + dir.resolve("ledger"), rs.getString(3));
      assertTrue(rs.getBoolean(4));
      assertEquals(450, rs.getLong(5));
      assertEquals(5, rs.getLong(6));
      assertNull(rs.getString(7));

      assertTrue(rs.next());
      assertEquals(AuditTables.NO_LEDGER, rs.getString(3), "verified without a ledger");
      assertTrue(rs.getBoolean(4));

      assertTrue(rs.next());
      assertFalse(rs.getBoolean(4));
      String first = rs.getString(7);
      assertEquals(tampered.firstProblem().toString(), first);
      assertTrue(
          first.contains("at record " + tampered.firstProblem().firstBadSeq()),
          "names the first bad record: " + first);
      assertFalse(rs.next());
    }
  }

  @Test
  void aDailyReportReplacesThatDaysFindings() throws Exception {
    appendAndSeal(0, 450);
    LocalDate day = LocalDate.of(2025, 11, 23); // SampleRecords start 2025-11-23 15:00 Shanghai
    long from = day.atStartOfDay(SHANGHAI).toInstant().toEpochMilli();
    List<OperationLogRecord> records =
        LogRecords.between(log(), from, from + Duration.ofDays(1).toMillis());
    assertEquals(450, records.size());
    List<Finding> findings =
        AuditRules.apply(records, AuditRuleSettings.DEFAULTS.withZone(SHANGHAI));
    assertTrue(findings.size() > 1, "sample records break some rules: " + findings);
    VerificationSummary intact = new VerificationSummary(true, 450, 5, null, "embedded:ledger");
    AuditReport first =
        new AuditReport(day, SHANGHAI, intact, findings, OperationCounts.of(records));
    AuditReport otherDay =
        new AuditReport(
            day.minusDays(1),
            SHANGHAI,
            intact,
            findings.subList(0, 1),
            OperationCounts.of(List.of()));

    assertEquals(findings.size(), tables.writeFindings("ops", first));
    assertEquals(1, tables.writeFindings("ops", otherDay));
    assertEquals(findings.size(), tables.writeFindings("ops", first), "a re-run");
    assertEquals(
        findings.size(),
        count("SELECT count(*) FROM audit_findings WHERE report_date = '2025-11-23'"));
    assertEquals(
        findings.size(),
        count(
            "SELECT count(*) FROM audit_findings WHERE report_date = '2025-11-23'"
                + " AND verdict = 'REVIEW_REQUIRED'"));
    assertEquals(
        findings.stream().mapToLong(Finding::count).sum(),
        count("SELECT sum(occurrences) FROM audit_findings WHERE report_date = '2025-11-23'"));

    // The day audited again after tampering: one finding left, and the verdict changes.
    Finding last = findings.get(findings.size() - 1);
    VerificationSummary failed =
        new VerificationSummary(false, 450, 5, "MODIFIED at record 7 (…): …", "embedded:ledger");
    AuditReport again =
        new AuditReport(day, SHANGHAI, failed, List.of(last), OperationCounts.of(records));
    assertEquals(1, tables.writeFindings("ops", again));
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT report_date, verdict, rule, severity, actor, first_sequence,"
                    + " last_sequence, occurrences, description FROM audit_findings"
                    + " ORDER BY report_date")) {
      assertTrue(rs.next());
      assertEquals(day.minusDays(1), rs.getObject(1, LocalDate.class), "the other day is kept");
      assertTrue(rs.next());
      assertEquals(day, rs.getObject(1, LocalDate.class));
      assertEquals("INTEGRITY_FAILURE", rs.getString(2));
      assertEquals(last.rule().name(), rs.getString(3));
      assertEquals(last.severity().name(), rs.getString(4));
      assertEquals(last.actor(), rs.getString(5));
      assertEquals(last.firstSequence(), rs.getLong(6));
      assertEquals(last.lastSequence(), rs.getLong(7));
      assertEquals(last.count(), rs.getLong(8));
      assertEquals(last.description(), rs.getString(9));
      assertFalse(rs.next());
    }

    // A clean day removes the rows: PASS keeps none.
    tables.writeFindings(
        "ops", new AuditReport(day, SHANGHAI, intact, List.of(), OperationCounts.of(records)));
    assertEquals(0, count("SELECT count(*) FROM audit_findings WHERE report_date = '2025-11-23'"));
  }

  @Test
  void twoLogsAuditedOnOneDayKeepTheirOwnFindings() throws Exception {
    appendAndSeal(0, 450);
    LocalDate day = LocalDate.of(2025, 11, 23);
    long from = day.atStartOfDay(SHANGHAI).toInstant().toEpochMilli();
    List<OperationLogRecord> records =
        LogRecords.between(log(), from, from + Duration.ofDays(1).toMillis());
    List<Finding> findings =
        AuditRules.apply(records, AuditRuleSettings.DEFAULTS.withZone(SHANGHAI));
    VerificationSummary intact = new VerificationSummary(true, 450, 5, null, "embedded:ledger");
    AuditReport all = new AuditReport(day, SHANGHAI, intact, findings, OperationCounts.of(records));
    AuditReport one =
        new AuditReport(day, SHANGHAI, intact, findings.subList(0, 1), OperationCounts.of(records));

    tables.writeFindings("ops", all);
    tables.writeFindings("crm", one);
    tables.writeFindings("crm", one); // a re-run replaces only crm's day
    assertEquals(
        findings.size(), count("SELECT count(*) FROM audit_findings WHERE log_id = 'ops'"));
    assertEquals(1, count("SELECT count(*) FROM audit_findings WHERE log_id = 'crm'"));
  }

  @Test
  void findingsMadeBeforeTheLogIdGetIt() throws Exception {
    try (Statement s = db.createStatement()) {
      s.execute("DROP TABLE audit_findings");
      s.execute(
          "CREATE TABLE audit_findings (report_date date NOT NULL, verdict text NOT NULL,"
              + " rule text NOT NULL, severity text NOT NULL, actor text NOT NULL,"
              + " first_sequence bigint NOT NULL, last_sequence bigint NOT NULL,"
              + " occurrences bigint NOT NULL, description text NOT NULL,"
              + " PRIMARY KEY (report_date, rule, actor, first_sequence))");
      s.execute(
          "INSERT INTO audit_findings VALUES ('2025-11-22', 'PASS', 'R', 'LOW', 'a', 1, 1, 1, 'd')");
    }
    tables.create();
    tables.create();
    assertEquals(1, count("SELECT count(*) FROM audit_findings WHERE log_id = ''"), "kept");
    try (Statement s = db.createStatement()) {
      s.execute(
          "INSERT INTO audit_findings VALUES ('2025-11-22', 'PASS', 'R', 'LOW', 'a', 1, 1, 1, 'd',"
              + " 'ops')");
    }
    assertEquals(2, count("SELECT count(*) FROM audit_findings"), "the key has the log id");
  }

  @Test
  void theDdlIsTheResourceAndDefinesTheThreeTables() {
    String ddl = AuditTables.ddl();
    for (String t : List.of("audit_batches", "audit_verifications", "audit_findings")) {
      assertTrue(ddl.contains("CREATE TABLE IF NOT EXISTS " + t + " ("), t);
    }
  }
}
