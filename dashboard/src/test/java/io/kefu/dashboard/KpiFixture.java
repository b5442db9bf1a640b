package io.kefu.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The streaming job's tables (its Flyway migrations, applied as plain SQL) with a few rows: two
 * final 15-minute windows and one open (provisional) window of 2026-11-23 in Shanghai, one channel
 * row, a window of the day before, and three alerts. Test fixture.
 */
final class KpiFixture {
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  // 2026-11-23 09:00 in Shanghai
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T01:00:00Z"), ZoneOffset.UTC);

  private KpiFixture() {}

  static void fill(String jdbc) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      Path migrations = Path.of("../streaming/src/main/resources/db/migration");
      s.execute(Files.readString(migrations.resolve("V1__kpi_tables.sql")));
      s.execute(Files.readString(migrations.resolve("V2__quality_inspection.sql")));
      // 00:00-00:15 and 00:15-00:30 Shanghai (final), 00:30-00:45 open; tenants a and b share
      // the first window, so its row is their sum and its rates are recomputed from the counts.
      s.execute(
          "INSERT INTO kpi_windows (tenant, window_start, window_end, window_size, dimension,"
              + " dimension_value, is_final, settings_version, emitted_at, offered, answered,"
              + " abandoned, short_abandoned, connect_rate, abandon_rate, service_level,"
              + " asa_seconds, closed, handed_off, reached_expert, resolved, bot_containment_rate,"
              + " transfer_rate, resolution_rate, surveys, csat_mean, customer_messages,"
              + " sentiment_mean, anger_count) VALUES "
              + row("a", "2026-11-22T16:00:00Z", "overall", "*", true, 10, 8, 2, 0, 0.5, 20, 10)
              + ", "
              + row("b", "2026-11-22T16:00:00Z", "overall", "*", true, 10, 10, 0, 0, 1.0, 10, 10)
              + ", "
              + row("a", "2026-11-22T16:15:00Z", "overall", "*", true, 4, 3, 1, 1, 1.0, 30, 4)
              + ", "
              + row("a", "2026-11-22T16:30:00Z", "overall", "*", false, 2, 2, 0, 0, 0.5, 5, 2)
              + ", "
              + row("a", "2026-11-22T16:00:00Z", "channel", "PHONE", true, 6, 5, 1, 0, 0.8, 12, 6)
              + ", "
              + row("a", "2026-11-21T16:00:00Z", "overall", "*", true, 99, 99, 0, 0, 1, 1, 99));
      s.execute(
          "INSERT INTO alerts (alert_id, alert_type, tenant, conversation_id, message_id, channel,"
              + " queue, customer_pseudonym, text, anger, sentiment, event_time, emitted_at) VALUES"
              + " ('al-1', 'ANGER_ESCALATION', 'a', 'c-1', 'm-1', 'WEB', NULL, 'p1', '要投诉！！',"
              + " 0.9, -0.8, '2026-11-22T16:05:00Z', '2026-11-22T16:05:01Z'),"
              + " ('al-2', 'ANGER_ESCALATION', 'a', 'c-2', 'm-2', 'PHONE', NULL, 'p2', 'refund"
              + " NOW', 0.85, -0.7, '2026-11-22T16:20:00Z', '2026-11-22T16:20:01Z'),"
              + " ('al-0', 'ANGER_ESCALATION', 'a', 'c-0', 'm-0', 'WEB', NULL, 'p0', 'yesterday',"
              + " 0.95, -0.9, '2026-11-21T16:20:00Z', '2026-11-21T16:20:01Z')");
    }
  }

  /** A kpi_windows row with consistent rates; emitted_at 10 s after the window start. */
  static String row(
      String tenant,
      String start,
      String dimension,
      String value,
      boolean fin,
      double answeredPlusAbandoned,
      double answered,
      double abandoned,
      double shortAbandoned,
      double serviceLevel,
      double asa,
      double closed) {
    Instant s = Instant.parse(start);
    double den = answered + abandoned - shortAbandoned;
    return String.format(
        java.util.Locale.ROOT,
        "('%s', '%s', '%s', '15m', '%s', '%s', %s, 'v1', '%s', %s, %s, %s, %s, %s, %s, %s, %s, %s,"
            + " %s, 0, %s, 0.5, %s, %s, 2, 4.5, 6, -0.25, 1)",
        tenant,
        s,
        s.plusSeconds(900),
        dimension,
        value,
        fin,
        s.plusSeconds(10),
        answeredPlusAbandoned,
        answered,
        abandoned,
        shortAbandoned,
        den == 0 ? "NULL" : answered / den,
        den == 0 ? "NULL" : (abandoned - shortAbandoned) / den,
        den == 0 ? "NULL" : serviceLevel,
        answered == 0 ? "NULL" : asa,
        closed,
        closed / 2,
        closed / 2,
        closed == 0 ? "NULL" : 0.5,
        closed == 0 ? "NULL" : 0.5);
  }
}
