package io.kefu.batch.report;

import io.kefu.core.kpi.KpiAccumulator;
import io.kefu.core.kpi.KpiSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * The batch KPIs against the streaming job's final daily rows ({@code kpi_windows}, window size
 * {@code 1d}): every metric of every dimension value either side has, as a list of differences.
 * Counts and means must be equal (1e-9 relative, for the order of floating-point sums); quantiles
 * within {@link KpiAccumulator#QUANTILE_ACCURACY} relative. A dimension value one side lacks
 * compares as an empty window (counts 0, rates null).
 */
public final class Reconciliation {
  private Reconciliation() {}

  /** Quantile metrics: compared within the sketch's relative accuracy. */
  public static final Set<String> QUANTILES =
      Set.of("wait_p50_seconds", "wait_p90_seconds", "ttr_p50_seconds", "ttr_p90_seconds");

  /** One metric of one dimension value that differs; null: no value on that side. */
  public record Difference(
      String tenant,
      String dimension,
      String dimensionValue,
      String metric,
      Double batch,
      Double streaming) {}

  /** Rows by "tenant|dimension|value", metrics by name (agent rows: agent metrics only). */
  public record Side(Map<String, Map<String, Double>> rows, Set<String> metrics) {}

  /** The batch side from {@link DailyReport#KPIS} rows. */
  public static Side batch(List<Row> kpis) {
    Map<String, Map<String, Double>> rows = new TreeMap<>();
    for (Row r : kpis) {
      Map<String, Double> m = new LinkedHashMap<>();
      for (String metric : DailyReport.METRICS) {
        int i = r.fieldIndex(metric);
        m.put(metric, r.isNullAt(i) ? null : r.getDouble(i));
      }
      rows.put(key(r.getString(0), r.getString(1), r.getString(2)), m);
    }
    return new Side(rows, new java.util.LinkedHashSet<>(DailyReport.METRICS));
  }

  /**
   * What the streaming side of a day holds besides the rows: provisional rows, the settings
   * versions of the final rows, and the events of the day the job received beyond its allowed
   * lateness ({@code late_records}; -1 without that table) — the usual cause of differences, as the
   * lake keeps those events and the report counts them.
   */
  public record Streaming(
      Side side, long provisionalRows, Set<String> settingsVersions, long lateEvents) {}

  /**
   * The streaming job's final daily rows of [{@code dayStart}, {@code dayEnd}) (epoch ms), every
   * metric column {@code kpi_windows} has (older schemas lack the QA columns: those are not
   * compared). Provisional rows ({@code is_final = false}) are counted, not compared.
   */
  public static Streaming streaming(Connection c, long dayStart, long dayEnd) throws SQLException {
    Map<String, Map<String, Double>> rows = new TreeMap<>();
    Set<String> metrics = new java.util.LinkedHashSet<>();
    Set<String> versions = new TreeSet<>();
    long provisional = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT * FROM kpi_windows WHERE window_size = '1d' AND window_start = ?")) {
      ps.setTimestamp(1, new Timestamp(dayStart));
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          columns.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
        }
        for (String m : DailyReport.METRICS) {
          if (columns.containsKey(m)) {
            metrics.add(m);
          }
        }
        while (rs.next()) {
          if (!rs.getBoolean("is_final")) {
            provisional++;
            continue;
          }
          versions.add(rs.getString("settings_version"));
          String dimension = rs.getString("dimension");
          Map<String, Double> m = new LinkedHashMap<>();
          for (String metric : metrics) {
            double v = rs.getDouble(columns.get(metric));
            m.put(metric, rs.wasNull() ? null : v);
          }
          rows.put(key(rs.getString("tenant"), dimension, rs.getString("dimension_value")), m);
        }
      }
    }
    return new Streaming(
        new Side(rows, metrics), provisional, versions, lateEvents(c, dayStart, dayEnd));
  }

  private static long lateEvents(Connection c, long dayStart, long dayEnd) {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM late_records WHERE kind = 'EVENT' AND event_time >= ?"
                + " AND event_time < ?")) {
      ps.setTimestamp(1, new Timestamp(dayStart));
      ps.setTimestamp(2, new Timestamp(dayEnd));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      return -1; // an older schema, or another writer's database
    }
  }

  /** Every difference between the two sides, in key and metric order. */
  public static List<Difference> compare(Side batch, Side streaming) {
    Set<String> keys = new TreeSet<>(batch.rows().keySet());
    keys.addAll(streaming.rows().keySet());
    Set<String> metrics = new HashSet<>(batch.metrics());
    metrics.retainAll(streaming.metrics());
    Map<String, Double> emptyAll = empty(false);
    Map<String, Double> emptyAgent = empty(true);
    List<Difference> out = new ArrayList<>();
    for (String k : keys) {
      String[] parts = k.split("\\|", 3);
      boolean agent = parts[1].equals("agent");
      Map<String, Double> empty = agent ? emptyAgent : emptyAll;
      Map<String, Double> b = batch.rows().getOrDefault(k, empty);
      Map<String, Double> s = streaming.rows().getOrDefault(k, empty);
      for (String metric : DailyReport.METRICS) {
        if (!metrics.contains(metric)
            || (agent && !KpiAccumulator.AGENT_METRICS.contains(metric))) {
          continue;
        }
        Double x = b.get(metric);
        Double y = s.get(metric);
        if (!same(metric, x, y)) {
          out.add(new Difference(parts[0], parts[1], parts[2], metric, x, y));
        }
      }
    }
    return out;
  }

  static boolean same(String metric, Double batch, Double streaming) {
    if (batch == null || streaming == null) {
      return batch == null && streaming == null;
    }
    double tolerance = QUANTILES.contains(metric) ? KpiAccumulator.QUANTILE_ACCURACY : 1e-9;
    return Math.abs(batch - streaming) <= tolerance * Math.max(1, Math.abs(streaming));
  }

  private static Map<String, Double> empty(boolean agent) {
    double[] v = new KpiAccumulator().values(KpiSettings.defaults(), agent);
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < v.length; i++) {
      m.put(DailyReport.METRICS.get(i), Double.isNaN(v[i]) ? null : v[i]);
    }
    return m;
  }

  static String key(String tenant, String dimension, String value) {
    return tenant + "|" + dimension + "|" + value;
  }
}
