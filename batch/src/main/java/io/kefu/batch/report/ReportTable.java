package io.kefu.batch.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/**
 * One small result table of the report (collected on the driver), written the same way to CSV, to
 * the HTML page and to PostgreSQL ({@code daily_report_<name>}, a {@code report_date} column in
 * front). Values are String, Long, Double or Boolean; null is an empty CSV cell and SQL NULL.
 */
public record ReportTable(String name, List<Col> columns, List<Object[]> rows) {

  /** A column: its name, SQL type and whether it is part of the key (with the date). */
  public record Col(String name, String sqlType, boolean key) {}

  public static Col key(String name) {
    return new Col(name, "text", true);
  }

  public static Col keyNumber(String name) {
    return new Col(name, "bigint", true);
  }

  public static Col text(String name) {
    return new Col(name, "text", false);
  }

  public static Col number(String name) {
    return new Col(name, "double precision", false);
  }

  public static Col count(String name) {
    return new Col(name, "bigint", false);
  }

  public static Col flag(String name) {
    return new Col(name, "boolean", false);
  }

  /** The named columns of {@code rows}, numbers widened to Long or Double as the column says. */
  public static ReportTable of(String name, List<Col> columns, List<Row> rows) {
    List<Object[]> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Object[] cells = new Object[columns.size()];
      for (int i = 0; i < cells.length; i++) {
        Col c = columns.get(i);
        int at = r.fieldIndex(c.name());
        Object v = r.isNullAt(at) ? null : r.get(at);
        if (v instanceof Number n) {
          v = c.sqlType().equals("bigint") ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        cells[i] = v;
      }
      out.add(cells);
    }
    return new ReportTable(name, columns, out);
  }

  public int index(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column " + column + " in " + name);
  }

  /** RFC 4180 CSV with a header line. */
  public String csv() {
    StringBuilder sb = new StringBuilder();
    sb.append(columns.stream().map(Col::name).collect(Collectors.joining(","))).append('\n');
    for (Object[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(csvCell(row[i]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static String csvCell(Object v) {
    if (v == null) {
      return "";
    }
    String s = v instanceof Double d ? plain(d) : v.toString();
    if (s.indexOf(',') >= 0
        || s.indexOf('"') >= 0
        || s.indexOf('\n') >= 0
        || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** {@code daily_report_<name>}. */
  public String sqlName() {
    return "daily_report_" + name;
  }

  /**
   * Creates the table if missing (adding columns an older version lacked) and replaces the rows of
   * {@code date} in one transaction: the upsert of a whole day keyed by date (rows a re-run no
   * longer has disappear too).
   */
  public void replaceDay(Connection c, LocalDate date) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(createSql());
      // a table made by an older version gains the columns added since (never loses any)
      for (Col col : columns) {
        s.execute(
            "ALTER TABLE "
                + sqlName()
                + " ADD COLUMN IF NOT EXISTS "
                + col.name()
                + " "
                + col.sqlType());
      }
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement del =
          c.prepareStatement("DELETE FROM " + sqlName() + " WHERE report_date = ?")) {
        del.setObject(1, date);
        del.executeUpdate();
      }
      String marks = "?" + ", ?".repeat(columns.size());
      try (PreparedStatement ins =
          c.prepareStatement(
              "INSERT INTO "
                  + sqlName()
                  + " (report_date, "
                  + columns.stream().map(Col::name).collect(Collectors.joining(", "))
                  + ") VALUES ("
                  + marks
                  + ")")) {
        int n = 0;
        for (Object[] row : rows) {
          ins.setObject(1, date);
          for (int i = 0; i < row.length; i++) {
            set(ins, 2 + i, columns.get(i), row[i]);
          }
          ins.addBatch();
          if (++n % 1000 == 0) {
            ins.executeBatch();
          }
        }
        ins.executeBatch();
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  String createSql() {
    StringBuilder sb =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ")
            .append(sqlName())
            .append(" (report_date date NOT NULL");
    List<String> keys = new ArrayList<>(List.of("report_date"));
    for (Col c : columns) {
      sb.append(", ").append(c.name()).append(' ').append(c.sqlType());
      if (c.key()) {
        sb.append(" NOT NULL");
        keys.add(c.name());
      }
    }
    sb.append(", PRIMARY KEY (").append(String.join(", ", keys)).append("))");
    return sb.toString();
  }

  private static void set(PreparedStatement ps, int i, Col c, Object v) throws SQLException {
    if (v == null) {
      ps.setNull(
          i,
          switch (c.sqlType()) {
            case "bigint" -> Types.BIGINT;
            case "double precision" -> Types.DOUBLE;
            case "boolean" -> Types.BOOLEAN;
            default -> Types.VARCHAR;
          });
    } else if (c.sqlType().equals("text")) {
      ps.setString(i, v.toString());
    } else {
      ps.setObject(i, v);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s (%d rows)", name, rows.size());
  }
}
