package io.kefu.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The live dashboard's queries over the KPI tables. Rates are recomputed from the windows' counts
 * (and means weighted by their counts) exactly as the Superset datasets do, so a row summing
 * several tenants, or the totals of a day, equal what one window over the same events would give.
 */
final class KpiStore {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String DEN = "(answered + abandoned - short_abandoned)";

  /** The metrics the page shows: name, SQL over the grouped kpi_windows rows, whether a count. */
  private record Metric(String name, String sql, boolean count) {}

  private static final List<Metric> METRICS =
      List.of(
          count("offered"),
          count("answered"),
          count("abandoned"),
          count("short_abandoned"),
          rate("connect_rate", "sum(answered) / nullif(sum" + DEN + ", 0)"),
          rate("abandon_rate", "sum(abandoned - short_abandoned) / nullif(sum" + DEN + ", 0)"),
          rate("service_level", weighted("service_level", DEN)),
          rate("asa_seconds", weighted("asa_seconds", "answered")),
          count("closed"),
          count("handed_off"),
          count("reached_expert"),
          count("resolved"),
          rate("bot_containment_rate", weighted("bot_containment_rate", "closed")),
          rate("transfer_rate", "sum(handed_off) / nullif(sum(closed), 0)"),
          rate("resolution_rate", "sum(resolved) / nullif(sum(closed), 0)"),
          count("surveys"),
          rate("csat_mean", weighted("csat_mean", "surveys")),
          count("customer_messages"),
          rate("sentiment_mean", weighted("sentiment_mean", "customer_messages")),
          count("anger_count"));

  private static Metric count(String column) {
    return new Metric(column, "sum(" + column + ")", true);
  }

  private static Metric rate(String name, String sql) {
    return new Metric(name, sql, false);
  }

  /** Mean of a per-window mean, weighted by the count it is a mean of (exact). */
  private static String weighted(String mean, String weight) {
    return "sum("
        + mean
        + " * "
        + weight
        + ") / nullif(sum(CASE WHEN "
        + mean
        + " IS NOT NULL THEN "
        + weight
        + " END), 0)";
  }

  private static final String SELECT_METRICS =
      String.join(
          ", ",
          METRICS.stream().map(m -> m.sql() + " AS " + m.name()).toList().toArray(String[]::new));

  private final String jdbcUrl;

  KpiStore(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl);
  }

  /**
   * One row per window of {@code size} starting in [from, to), overall or of one channel, all
   * tenants together; and the totals of the range. Open windows have {@code is_final = false}.
   */
  ObjectNode kpis(String size, Instant from, Instant to, String channel) throws SQLException {
    String where =
        " FROM kpi_windows WHERE window_size = ? AND dimension = ? AND dimension_value = ?"
            + " AND window_start >= ? AND window_start < ?";
    ObjectNode out = JSON.objectNode();
    out.put("window", size);
    out.put("from", from.toString());
    out.put("to", to.toString());
    out.put("channel", channel);
    try (Connection c = connect()) {
      ArrayNode rows = out.putArray("rows");
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT window_start, max(window_end) AS window_end, bool_and(is_final) AS is_final, "
                  + SELECT_METRICS
                  + where
                  + " GROUP BY window_start ORDER BY window_start")) {
        bind(ps, size, from, to, channel);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ObjectNode row = rows.addObject();
            row.put("window_start", instant(rs, "window_start"));
            row.put("window_end", instant(rs, "window_end"));
            row.put("is_final", rs.getBoolean("is_final"));
            metrics(rs, row);
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT count(*) AS windows, count(*) FILTER (WHERE NOT is_final) AS open_windows, "
                  + SELECT_METRICS
                  + where)) {
        bind(ps, size, from, to, channel);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          ObjectNode totals = out.putObject("totals");
          totals.put("rows", rs.getLong("windows"));
          totals.put("provisional_rows", rs.getLong("open_windows"));
          metrics(rs, totals);
        }
      }
    }
    return out;
  }

  /** Queue legs and closed conversations per window and channel, for the volume chart. */
  ObjectNode channels(String size, Instant from, Instant to) throws SQLException {
    ObjectNode out = JSON.objectNode();
    out.put("window", size);
    out.put("from", from.toString());
    out.put("to", to.toString());
    ArrayNode rows = out.putArray("rows");
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT window_start, dimension_value AS channel, sum(offered) AS offered,"
                    + " sum(closed) AS closed FROM kpi_windows WHERE window_size = ?"
                    + " AND dimension = 'channel' AND window_start >= ? AND window_start < ?"
                    + " GROUP BY window_start, dimension_value ORDER BY window_start,"
                    + " dimension_value")) {
      ps.setString(1, size);
      ps.setTimestamp(2, Timestamp.from(from));
      ps.setTimestamp(3, Timestamp.from(to));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ObjectNode row = rows.addObject();
          row.put("window_start", instant(rs, "window_start"));
          row.put("channel", rs.getString("channel"));
          putCount(row, "offered", rs, "offered");
          putCount(row, "closed", rs, "closed");
        }
      }
    }
    return out;
  }

  /**
   * Anger alerts at or after {@code since} and before {@code until} (null: no end), newest first,
   * at most {@code limit}.
   */
  ObjectNode alerts(Instant since, Instant until, int limit, String channel) throws SQLException {
    ObjectNode out = JSON.objectNode();
    out.put("since", since.toString());
    out.put("until", until == null ? null : until.toString());
    out.put("channel", channel);
    ArrayNode alerts = out.putArray("alerts");
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT alert_id, alert_type, event_time, channel, queue, conversation_id,"
                    + " customer_pseudonym, text, anger, sentiment FROM alerts"
                    + " WHERE event_time >= ? AND (?::timestamptz IS NULL OR event_time < ?)"
                    + " AND (?::text IS NULL OR channel = ?)"
                    + " ORDER BY event_time DESC, alert_id LIMIT ?")) {
      Timestamp end = until == null ? null : Timestamp.from(until);
      ps.setTimestamp(1, Timestamp.from(since));
      ps.setTimestamp(2, end);
      ps.setTimestamp(3, end);
      ps.setString(4, channel);
      ps.setString(5, channel);
      ps.setInt(6, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ObjectNode a = alerts.addObject();
          a.put("alert_id", rs.getString("alert_id"));
          a.put("alert_type", rs.getString("alert_type"));
          a.put("event_time", instant(rs, "event_time"));
          a.put("channel", rs.getString("channel"));
          a.put("queue", rs.getString("queue"));
          a.put("conversation_id", rs.getString("conversation_id"));
          a.put("customer_pseudonym", rs.getString("customer_pseudonym"));
          a.put("text", rs.getString("text"));
          putDouble(a, "anger", rs, "anger");
          putDouble(a, "sentiment", rs, "sentiment");
        }
      }
    }
    return out;
  }

  /** Whether the database answers, and how fresh the newest KPI row is. */
  ObjectNode health(Instant now) throws SQLException {
    ObjectNode out = JSON.objectNode();
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT max(emitted_at) AS newest_emission, max(window_start) AS newest_window,"
                    + " count(*) FILTER (WHERE NOT is_final) AS provisional_rows,"
                    + " count(*) AS rows FROM kpi_windows");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      out.put("status", "ok");
      out.put("database", "up");
      out.put("kpi_rows", rs.getLong("rows"));
      out.put("provisional_rows", rs.getLong("provisional_rows"));
      String newest = instant(rs, "newest_emission");
      out.put("newest_emission", newest);
      out.put("newest_window_start", instant(rs, "newest_window"));
      if (newest == null) {
        out.putNull("freshness_seconds");
      } else {
        out.put(
            "freshness_seconds",
            Math.max(0, now.toEpochMilli() - Instant.parse(newest).toEpochMilli()) / 1000.0);
      }
    }
    return out;
  }

  private static void bind(
      PreparedStatement ps, String size, Instant from, Instant to, String channel)
      throws SQLException {
    ps.setString(1, size);
    ps.setString(2, channel == null ? "overall" : "channel");
    ps.setString(3, channel == null ? "*" : channel);
    ps.setTimestamp(4, Timestamp.from(from));
    ps.setTimestamp(5, Timestamp.from(to));
  }

  private static void metrics(ResultSet rs, ObjectNode row) throws SQLException {
    for (Metric m : METRICS) {
      if (m.count()) {
        putCount(row, m.name(), rs, m.name());
      } else {
        putDouble(row, m.name(), rs, m.name());
      }
    }
  }

  private static void putCount(ObjectNode row, String name, ResultSet rs, String column)
      throws SQLException {
    double v = rs.getDouble(column);
    if (rs.wasNull()) {
      row.putNull(name);
    } else {
      row.put(name, Math.round(v));
    }
  }

  private static void putDouble(ObjectNode row, String name, ResultSet rs, String column)
      throws SQLException {
    double v = rs.getDouble(column);
    if (rs.wasNull() || Double.isNaN(v)) {
      row.putNull(name);
    } else {
      row.put(name, v);
    }
  }

  private static String instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant().toString();
  }
}
