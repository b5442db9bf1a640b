package io.kefu.audit.tables;

import com.fasterxml.jackson.databind.JsonNode;
import io.kefu.audit.anchor.Anchor;
import io.kefu.audit.anchor.Anchoring;
import io.kefu.audit.anchor.Ledger;
import io.kefu.audit.anchor.LedgerException;
import io.kefu.audit.batch.BatchHeader;
import io.kefu.audit.batch.BatchStore;
import io.kefu.audit.batch.SignedBatchHeader;
import io.kefu.audit.daily.AuditReport;
import io.kefu.audit.daily.Finding;
import io.kefu.audit.log.LogMeta;
import io.kefu.audit.verify.Problem;
import io.kefu.audit.verify.VerificationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The three PostgreSQL tables the Superset "Audit" dashboard reads ({@code audit_tables.sql} next
 * to this class): {@code audit_batches}, {@code audit_verifications} and {@code audit_findings}.
 * They mirror what the log directory, the ledger and the daily reports hold, for reading only:
 * verification never trusts them. Each write is one transaction, so a failure leaves a table as it
 * was, and its {@link SQLException} names the table. Not thread-safe (one JDBC connection).
 */
public final class AuditTables {

  /** What {@code audit_verifications.ledger} says when the verifier was given no ledger. */
  public static final String NO_LEDGER = "none";

  static final String DDL_RESOURCE = "audit_tables.sql";

  static final String UPSERT_BATCH =
      "INSERT INTO audit_batches (log_id, batch_id, first_seq, last_seq, record_count, closed_at,"
          + " key_id, root, header_hash, ledger, tx_id, block, anchored_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (log_id, batch_id) DO UPDATE SET first_seq = EXCLUDED.first_seq,"
          + " last_seq = EXCLUDED.last_seq, record_count = EXCLUDED.record_count,"
          + " closed_at = EXCLUDED.closed_at, key_id = EXCLUDED.key_id, root = EXCLUDED.root,"
          + " header_hash = EXCLUDED.header_hash, ledger = EXCLUDED.ledger,"
          + " tx_id = EXCLUDED.tx_id, block = EXCLUDED.block, anchored_at = EXCLUDED.anchored_at";

  static final String INSERT_VERIFICATION =
      "INSERT INTO audit_verifications (verified_at, log_id, ledger, intact, records, batches,"
          + " first_problem) VALUES (?, ?, ?, ?, ?, ?, ?)";

  static final String INSERT_FINDING =
      "INSERT INTO audit_findings (log_id, report_date, verdict, rule, severity, actor,"
          + " first_sequence, last_sequence, occurrences, description)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final HexFormat HEX = HexFormat.of();

  /**
   * What {@link #writeBatches} wrote.
   *
   * @param batches rows written (inserted or updated), one per readable batch of the log
   * @param anchored of those, rows with an anchor whose header is the batch's
   * @param unreadable the first line of {@code batches.jsonl} that could not be read, or null; the
   *     batches from there on are not written
   */
  public record BatchRows(String logId, int batches, int anchored, BatchStore.BadLine unreadable) {}

  private final Connection c;

  public AuditTables(Connection c) {
    this.c = Objects.requireNonNull(c, "connection");
  }

  /** The DDL of the three tables: {@code CREATE TABLE IF NOT EXISTS}, so it can run any time. */
  public static String ddl() {
    try (InputStream in = AuditTables.class.getResourceAsStream(DDL_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            DDL_RESOURCE + " is missing next to " + AuditTables.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + DDL_RESOURCE, e);
    }
  }

  /** Creates the tables that are not there yet. */
  public void create() throws SQLException {
    inTransaction(
        "audit_batches, audit_verifications, audit_findings (create)",
        () -> {
          try (Statement s = c.createStatement()) {
            s.execute(ddl());
          }
        });
  }

  /**
   * Upserts one {@code audit_batches} row per sealed batch of the log in {@code logDir}, with its
   * anchor when {@code ledger} holds this very header (same header hash); a batch the ledger does
   * not hold, or holds with another header, gets NULL anchor columns. The ledger is asked, not the
   * log's advisory receipts, which only fill in a block number the ledger does not return on reads
   * (Fabric). Rows of batches no longer in the file are kept.
   */
  public BatchRows writeBatches(Path logDir, Ledger ledger)
      throws IOException, LedgerException, SQLException {
    Objects.requireNonNull(ledger, "ledger");
    String logId = LogMeta.read(logDir);
    BatchStore.Contents contents = new BatchStore(logDir).read();
    List<SignedBatchHeader> batches = contents.batches();
    Map<Long, Anchor> anchors = new HashMap<>();
    if (!batches.isEmpty()) {
      long last = batches.get(batches.size() - 1).header().batchId();
      for (Anchor a : ledger.list(logId, 0, last)) {
        anchors.put(a.batch().header().batchId(), a);
      }
    }
    Map<Long, JsonNode> receipts = Anchoring.readReceipts(logDir);
    int[] anchored = {0};
    inTransaction(
        "audit_batches",
        () -> {
          try (PreparedStatement ps = c.prepareStatement(UPSERT_BATCH)) {
            for (SignedBatchHeader s : batches) {
              BatchHeader h = s.header();
              String headerHash = s.headerHashHex();
              Anchor a = anchors.get(h.batchId());
              if (a != null && !a.batch().headerHashHex().equals(headerHash)) {
                a = null; // the ledger holds another header: this one is not anchored
              }
              ps.setString(1, h.logId());
              ps.setLong(2, h.batchId());
              ps.setLong(3, h.firstSeq());
              ps.setLong(4, h.lastSeq());
              ps.setLong(5, h.count());
              ps.setObject(6, time(h.closedAt()));
              ps.setString(7, h.keyId());
              ps.setString(8, HEX.formatHex(h.root()));
              ps.setString(9, headerHash);
              if (a == null) {
                ps.setNull(10, Types.VARCHAR);
                ps.setNull(11, Types.VARCHAR);
                ps.setNull(12, Types.BIGINT);
                ps.setNull(13, Types.TIMESTAMP_WITH_TIMEZONE);
              } else {
                anchored[0]++;
                long block = a.blockNumber() >= 0 ? a.blockNumber() : receiptBlock(receipts, a);
                ps.setString(10, a.ledger());
                ps.setString(11, a.transactionId());
                if (block >= 0) {
                  ps.setLong(12, block);
                } else {
                  ps.setNull(12, Types.BIGINT);
                }
                ps.setObject(13, time(a.anchoredAt()));
              }
              ps.addBatch();
            }
            ps.executeBatch();
          }
        });
    return new BatchRows(logId, batches.size(), anchored[0], contents.bad());
  }

  /** The block of the log's receipt for the same transaction and header, or -1. */
  private static long receiptBlock(Map<Long, JsonNode> receipts, Anchor a) {
    JsonNode r = receipts.get(a.batch().header().batchId());
    if (r != null
        && a.transactionId().equals(r.path("tx_id").asText())
        && a.batch().headerHashHex().equals(r.path("header_hash").asText())
        && r.path("block").canConvertToLong()) {
      return r.path("block").asLong();
    }
    return -1;
  }

  /**
   * Inserts one {@code audit_verifications} row. {@code first_problem} is the verifier's first
   * problem as it prints it ({@link Problem#toString()}: kind, first bad record, where, detail);
   * {@code ledger} is {@link #NO_LEDGER} when anchors were not checked.
   *
   * @param verifiedAt when the verification ran (kept to the microsecond, PostgreSQL's precision)
   */
  public void writeVerification(VerificationReport report, Instant verifiedAt) throws SQLException {
    Problem first = report.firstProblem();
    inTransaction(
        "audit_verifications",
        () -> {
          try (PreparedStatement ps = c.prepareStatement(INSERT_VERIFICATION)) {
            ps.setObject(
                1,
                OffsetDateTime.ofInstant(
                    verifiedAt.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
            ps.setString(2, report.logId());
            ps.setString(3, report.ledger() == null ? NO_LEDGER : report.ledger());
            ps.setBoolean(4, report.intact());
            ps.setLong(5, report.records());
            ps.setLong(6, report.batches());
            ps.setString(7, first == null ? null : first.toString());
            ps.executeUpdate();
          }
        });
  }

  /**
   * Replaces the {@code audit_findings} rows of log {@code logId} on the report's date with its
   * findings, each carrying the report's verdict, and returns how many were inserted. Other logs'
   * rows are kept. A day without findings keeps no rows.
   */
  public int writeFindings(String logId, AuditReport report) throws SQLException {
    Objects.requireNonNull(logId, "log id");
    String verdict = report.verdict().name();
    inTransaction(
        "audit_findings",
        () -> {
          try (PreparedStatement del =
              c.prepareStatement(
                  "DELETE FROM audit_findings WHERE log_id = ? AND report_date = ?")) {
            del.setString(1, logId);
            del.setObject(2, report.date());
            del.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement(INSERT_FINDING)) {
            for (Finding f : report.findings()) {
              ps.setString(1, logId);
              ps.setObject(2, report.date());
              ps.setString(3, verdict);
              ps.setString(4, f.rule().name());
              ps.setString(5, f.severity().name());
              ps.setString(6, f.actor());
              ps.setLong(7, f.firstSequence());
              ps.setLong(8, f.lastSequence());
              ps.setLong(9, f.count());
              ps.setString(10, f.description());
              ps.addBatch();
            }
            ps.executeBatch();
          }
        });
    return report.findings().size();
  }

  private static OffsetDateTime time(long epochMillis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }

  private interface Work {
    void run() throws SQLException;
  }

  /** Runs {@code work} as one transaction; on failure rolls back and names the table. */
  private void inTransaction(String table, Work work) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      work.run();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      SQLException cause = e instanceof SQLException s ? s : null;
      SQLException next = cause == null ? null : cause.getNextException();
      throw new SQLException(
          "writing "
              + table
              + " failed, nothing was written: "
              + e.getMessage()
              + (next == null ? "" : " (" + next.getMessage() + ")"),
          cause == null ? null : cause.getSQLState(),
          e);
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
