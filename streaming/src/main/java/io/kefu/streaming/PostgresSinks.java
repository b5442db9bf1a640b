package io.kefu.streaming;

import io.kefu.core.kpi.KpiAccumulator;
import io.kefu.schemas.Alert;
import io.kefu.schemas.QaViolation;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.flywaydb.core.Flyway;

/**
 * PostgreSQL sinks. The schema is created and migrated by Flyway from {@code db/migration}; every
 * write is an idempotent upsert keyed by the row's identity, so at-least-once delivery plus replay
 * after a failure ends in the same tables as a run without failure. A provisional KPI row never
 * overwrites a final one.
 */
public final class PostgresSinks {
  private PostgresSinks() {}

  /** Sends every output of the job to its table. */
  public static void attach(KpiJob.Streams streams, String jdbcUrl) {
    streams.kpis().sinkTo(kpiWindows(jdbcUrl)).name("kpi windows").uid("kpi-windows-sink");
    streams.alerts().sinkTo(alerts(jdbcUrl)).name("alerts").uid("alerts-sink");
    streams
        .violations()
        .sinkTo(violations(jdbcUrl))
        .name("qa violations")
        .uid("qa-violations-sink");
    streams
        .deadLetters()
        .sinkTo(deadLetters(jdbcUrl))
        .name("dead letters")
        .uid("dead-letters-sink");
    streams.late().sinkTo(late(jdbcUrl)).name("late").uid("late-sink");
  }

  /** Creates or migrates the tables; safe to call on every start. */
  public static void migrate(String jdbcUrl) {
    Flyway.configure()
        .dataSource(jdbcUrl, null, null)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  /** Upsert of one window and dimension value with every metric; never final → provisional. */
  static final String UPSERT_KPI = upsertKpi();

  private static String upsertKpi() {
    List<String> metrics = KpiAccumulator.METRICS;
    String columns = String.join(", ", metrics);
    String marks = String.join(", ", Collections.nCopies(metrics.size(), "?"));
    StringBuilder updates = new StringBuilder();
    for (String m : metrics) {
      updates.append(", ").append(m).append(" = EXCLUDED.").append(m);
    }
    return "INSERT INTO kpi_windows (tenant, window_start, window_end, window_size, dimension,"
        + " dimension_value, is_final, settings_version, emitted_at, "
        + columns
        + ")"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        + marks
        + ")"
        + " ON CONFLICT (tenant, window_start, window_size, dimension, dimension_value)"
        + " DO UPDATE SET window_end = EXCLUDED.window_end, is_final = EXCLUDED.is_final,"
        + " settings_version = EXCLUDED.settings_version, emitted_at = EXCLUDED.emitted_at"
        + updates
        + " WHERE NOT kpi_windows.is_final OR EXCLUDED.is_final";
  }

  public static JdbcSink<KpiSnapshot> kpiWindows(String jdbcUrl) {
    return sink(
        jdbcUrl,
        UPSERT_KPI,
        (ps, r) -> {
          ps.setString(1, text(r.tenant));
          ps.setTimestamp(2, new Timestamp(r.windowStart));
          ps.setTimestamp(3, new Timestamp(r.windowEnd));
          ps.setString(4, r.windowSize);
          ps.setString(5, r.dimension.name().toLowerCase(Locale.ROOT));
          ps.setString(6, text(r.dimensionValue));
          ps.setBoolean(7, r.isFinal);
          ps.setString(8, r.settingsVersion);
          ps.setTimestamp(9, new Timestamp(r.emittedAt));
          for (int i = 0; i < r.values.length; i++) {
            setDouble(ps, 10 + i, r.values[i]);
          }
        });
  }

  public static JdbcSink<Alert> alerts(String jdbcUrl) {
    return sink(
        jdbcUrl,
        "INSERT INTO alerts (alert_id, alert_type, tenant, conversation_id, message_id, channel,"
            + " queue, customer_pseudonym, text, anger, sentiment, event_time, emitted_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO NOTHING",
        (ps, a) -> {
          ps.setString(1, text(a.getAlertId()));
          ps.setString(2, a.getAlertType().name());
          ps.setString(3, text(a.getTenant()));
          ps.setString(4, text(a.getConversationId()));
          ps.setString(5, text(a.getMessageId()));
          ps.setString(6, a.getChannel() == null ? null : a.getChannel().name());
          ps.setString(7, text(a.getQueue()));
          ps.setString(8, text(a.getCustomerPseudonym()));
          ps.setString(9, text(a.getText()));
          setDouble(ps, 10, a.getAnger());
          setDouble(ps, 11, a.getSentiment());
          ps.setTimestamp(12, Timestamp.from(a.getEventTime()));
          ps.setTimestamp(13, Timestamp.from(a.getEmittedAt()));
        });
  }

  public static JdbcSink<QaViolation> violations(String jdbcUrl) {
    return sink(
        jdbcUrl,
        "INSERT INTO qa_violations (violation_id, tenant, conversation_id, message_id, agent_id,"
            + " channel, queue, rule_id, rule_kind, rule_version, matched_text, penalty, event_time)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (violation_id) DO NOTHING",
        (ps, v) -> {
          ps.setString(1, text(v.getViolationId()));
          ps.setString(2, text(v.getTenant()));
          ps.setString(3, text(v.getConversationId()));
          ps.setString(4, text(v.getMessageId()));
          ps.setString(5, text(v.getAgentId()));
          ps.setString(6, v.getChannel() == null ? null : v.getChannel().name());
          ps.setString(7, text(v.getQueue()));
          ps.setString(8, text(v.getRuleId()));
          ps.setString(9, v.getRuleKind().name());
          ps.setString(10, text(v.getRuleVersion()));
          ps.setString(11, text(v.getMatchedText()));
          ps.setDouble(12, v.getPenalty());
          ps.setTimestamp(13, Timestamp.from(v.getEventTime()));
        });
  }

  public static JdbcSink<DeadLetter> deadLetters(String jdbcUrl) {
    return sink(
        jdbcUrl,
        "INSERT INTO dead_letters (origin, problem, field, message, raw, raw_bytes, ingest_time)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin, problem) DO NOTHING",
        (ps, d) -> {
          ps.setString(1, text(d.origin));
          ps.setString(2, d.problem);
          ps.setString(3, text(d.field));
          ps.setString(4, text(d.message));
          ps.setString(5, text(d.raw));
          ps.setLong(6, d.rawBytes);
          ps.setTimestamp(7, new Timestamp(d.ingestTime));
        });
  }

  public static JdbcSink<LateRecord> late(String jdbcUrl) {
    return sink(
        jdbcUrl,
        "INSERT INTO late_records (kind, event_id, window_size, detail, tenant, conversation_id,"
            + " event_type, event_time, watermark, ingest_time)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (ps, r) -> {
          ps.setString(1, r.kind);
          ps.setString(2, text(r.eventId));
          ps.setString(3, r.windowSize == null ? "" : r.windowSize);
          ps.setString(4, text(r.detail));
          ps.setString(5, text(r.tenant));
          ps.setString(6, text(r.conversationId));
          ps.setString(7, r.eventType);
          ps.setTimestamp(8, new Timestamp(r.eventTime));
          ps.setTimestamp(9, r.watermark == Long.MIN_VALUE ? null : new Timestamp(r.watermark));
          ps.setTimestamp(10, new Timestamp(r.ingestTime));
        });
  }

  /**
   * The driver's batch rewriting turns a batch into one multi-row INSERT, in which two upserts of
   * the same key (a provisional row and its final one) are an error; it is switched off here.
   */
  static String withoutBatchRewrite(String url) {
    return url.replaceAll("(?i)reWriteBatchedInserts=true", "reWriteBatchedInserts=false");
  }

  private static <T> JdbcSink<T> sink(String url, String sql, JdbcStatementBuilder<T> builder) {
    return JdbcSink.<T>builder()
        .withQueryStatement(sql, builder)
        .withExecutionOptions(
            JdbcExecutionOptions.builder()
                .withBatchSize(2000)
                .withBatchIntervalMs(500)
                .withMaxRetries(3)
                .build())
        .buildAtLeastOnce(
            new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(withoutBatchRewrite(url))
                .withDriverName("org.postgresql.Driver")
                .build());
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null || v.isNaN()) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  /** PostgreSQL text cannot hold NUL characters; anything else is stored as it came. */
  static String text(String s) {
    return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
  }
}
