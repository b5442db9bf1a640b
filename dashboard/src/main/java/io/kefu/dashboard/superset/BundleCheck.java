package io.kefu.dashboard.superset;

import io.kefu.dashboard.superset.BundleSources.Chart;
import io.kefu.dashboard.superset.BundleSources.Column;
import io.kefu.dashboard.superset.BundleSources.Dataset;
import io.kefu.dashboard.superset.BundleSources.Filter;
import io.kefu.dashboard.superset.BundleSources.Metric;
import io.kefu.dashboard.superset.BundleSources.Order;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs the Superset bundle's queries on a PostgreSQL database: every dataset's SQL, each of its
 * columns and metrics over it, and every chart's query as Superset builds it from the chart's
 * params ({@link #chartQuery}). A query that fails is reported, not thrown, so one broken dataset
 * does not hide the others; the caller decides whether empty results count as failures.
 */
public final class BundleCheck {

  /** Per query; a dashboard query that takes longer would time out in Superset too. */
  static final int QUERY_TIMEOUT_SECONDS = 120;

  /** The alias Superset gives a virtual dataset's SQL in the queries it builds. */
  static final String ALIAS = "virtual_table";

  /** What a result is about. */
  public enum Kind {
    DATASET,
    CHART
  }

  /** A query that did not execute: which part ({@code sql}, {@code metric x}, …), why, and it. */
  public record Failure(String part, String error, String sql) {}

  /**
   * One dataset or chart: its rows ({@code count(*)} of a dataset's SQL; a chart's result rows),
   * the metrics that came out {@code NULL} (over the whole dataset; in every row of a chart) and
   * the queries that failed. {@code dataset} is the dataset's name, for a chart the one it queries
   * ({@code null} if unknown).
   */
  public record Result(
      Kind kind,
      String name,
      String dataset,
      long rows,
      List<String> nullMetrics,
      List<Failure> failures) {
    public Result {
      nullMetrics = List.copyOf(nullMetrics);
      failures = List.copyOf(failures);
    }

    /** Every query executed. */
    public boolean executed() {
      return failures.isEmpty();
    }

    /** Executed, with at least one row and a value for every metric: the chart shows data. */
    public boolean returnsData() {
      return executed() && rows > 0 && nullMetrics.isEmpty();
    }
  }

  /** Datasets and charts, in the order of their source files. */
  public record Report(List<Result> datasets, List<Result> charts) {
    public Report {
      datasets = List.copyOf(datasets);
      charts = List.copyOf(charts);
    }

    /** The datasets, then the charts. */
    public List<Result> results() {
      return Stream.concat(datasets.stream(), charts.stream()).toList();
    }

    public boolean allExecute() {
      return results().stream().allMatch(Result::executed);
    }

    public boolean allReturnData() {
      return results().stream().allMatch(Result::returnsData);
    }
  }

  private final BundleSources sources;

  public BundleCheck(BundleSources sources) {
    this.sources = sources;
  }

  /** The check of the sources this build carries ({@link BundleSources#load()}). */
  public static BundleCheck ofThisBuild() throws IOException {
    return new BundleCheck(BundleSources.load());
  }

  /** Connects to {@code jdbc} and runs {@link #run(Connection)}. */
  public Report run(String jdbc) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbc)) {
      return run(c);
    }
  }

  /**
   * Runs every query on {@code c}; nothing is written. Throws only when no statement can be
   * created; a query that fails becomes a {@link Failure} (and, outside auto-commit, is rolled back
   * so that the next query runs).
   */
  public Report run(Connection c) throws SQLException {
    List<Result> datasets = new ArrayList<>();
    Map<String, Dataset> byUuid = new LinkedHashMap<>();
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      for (Dataset d : sources.datasets()) {
        byUuid.put(d.uuid(), d);
        datasets.add(dataset(c, s, d));
      }
      List<Result> charts = new ArrayList<>();
      for (Chart chart : sources.charts()) {
        charts.add(chart(c, s, chart, byUuid.get(chart.datasetUuid())));
      }
      return new Report(datasets, charts);
    }
  }

  private static Result dataset(Connection c, Statement s, Dataset d) throws SQLException {
    List<Failure> failures = new ArrayList<>();
    List<String> nullMetrics = new ArrayList<>();
    String from = from(d);
    String count = "SELECT count(*) FROM " + from;
    long rows = 0;
    Set<String> returned = new LinkedHashSet<>();
    try {
      try (ResultSet rs = s.executeQuery(count)) {
        rs.next();
        rows = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM " + from + " LIMIT 1")) {
        ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          returned.add(md.getColumnLabel(i));
        }
      }
    } catch (SQLException e) {
      failures.add(new Failure("sql", e.getMessage(), count));
      rollback(c);
      return new Result(Kind.DATASET, d.name(), d.name(), 0, nullMetrics, failures);
    }
    Set<String> undeclared = new LinkedHashSet<>(returned);
    for (Column col : d.columns()) {
      if (col.computed()) {
        // count(expression) evaluates it on every row, without fetching them
        String sql = "SELECT count(" + col.expression() + ") FROM " + from;
        try (ResultSet rs = s.executeQuery(sql)) {
          rs.next();
        } catch (SQLException e) {
          failures.add(new Failure("column " + col.name(), e.getMessage(), sql));
          rollback(c);
        }
      } else if (!undeclared.remove(col.name())) {
        failures.add(
            new Failure(
                "column " + col.name(), "not a column of the dataset's SQL " + returned, null));
      }
    }
    if (!undeclared.isEmpty()) {
      failures.add(
          new Failure("columns", "returned by the SQL but not declared: " + undeclared, null));
    }
    for (Metric m : d.metrics()) {
      String sql = "SELECT " + m.expression() + " FROM " + from;
      try (ResultSet rs = s.executeQuery(sql)) {
        if (!rs.next() || rs.getObject(1) == null) {
          nullMetrics.add(m.name());
        }
      } catch (SQLException e) {
        failures.add(new Failure("metric " + m.name(), e.getMessage(), sql));
        rollback(c);
      }
    }
    return new Result(Kind.DATASET, d.name(), d.name(), rows, nullMetrics, failures);
  }

  private static Result chart(Connection c, Statement s, Chart chart, Dataset d)
      throws SQLException {
    if (d == null) {
      return new Result(
          Kind.CHART,
          chart.name(),
          null,
          0,
          List.of(),
          List.of(new Failure("dataset", "no dataset has uuid " + chart.datasetUuid(), null)));
    }
    String sql;
    try {
      sql = chartQuery(chart, d);
    } catch (IllegalArgumentException e) {
      return new Result(
          Kind.CHART,
          chart.name(),
          d.name(),
          0,
          List.of(),
          List.of(new Failure("params", e.getMessage(), null)));
    }
    long rows = 0;
    // a metric is null in every row when its columns are: an ungrouped chart still has one row
    Set<String> nullMetrics = new LinkedHashSet<>(chart.metrics());
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows++;
        for (int i = 0; i < chart.metrics().size(); i++) {
          if (rs.getObject(chart.columns().size() + 1 + i) != null) {
            nullMetrics.remove(chart.metrics().get(i));
          }
        }
      }
    } catch (SQLException e) {
      rollback(c);
      return new Result(
          Kind.CHART,
          chart.name(),
          d.name(),
          0,
          List.of(),
          List.of(new Failure("query", e.getMessage(), sql)));
    }
    return new Result(
        Kind.CHART, chart.name(), d.name(), rows, List.copyOf(nullMetrics), List.of());
  }

  /**
   * The chart's query as Superset runs it, less time grains: the selected columns and the metrics'
   * SQL over the virtual dataset as a subquery, the chart's simple filters ({@code ==}; a time
   * range of "No filter" adds none), grouped by the columns unless the chart is raw, sorted by its
   * sort metric or columns, limited by its row limit. Throws on a metric the dataset lacks or a
   * filter Superset would turn into something else than {@code =}.
   */
  public static String chartQuery(Chart chart, Dataset d) {
    Map<String, String> metrics = new LinkedHashMap<>();
    d.metrics().forEach(m -> metrics.put(m.name(), m.expression()));
    List<String> selected = new ArrayList<>();
    chart.columns().forEach(col -> selected.add(quoted(col)));
    for (String m : chart.metrics()) {
      selected.add(metric(metrics, m, chart, d) + " AS " + quoted(m));
    }
    List<String> where = new ArrayList<>();
    for (Filter f : chart.filters()) {
      if (f.operator().equals("TEMPORAL_RANGE")) {
        if (!"No filter".equals(f.comparator())) {
          throw new IllegalArgumentException(
              chart.name()
                  + ": time range \""
                  + f.comparator()
                  + "\" on "
                  + f.subject()
                  + " (only \"No filter\" is checked)");
        }
        continue;
      }
      if (!f.operator().equals("==")) {
        throw new IllegalArgumentException(
            chart.name()
                + ": filter operator "
                + f.operator()
                + " on "
                + f.subject()
                + " (only == is checked)");
      }
      where.add(quoted(f.subject()) + " = " + literal(f.comparator()));
    }
    StringBuilder sql =
        new StringBuilder("SELECT ").append(String.join(", ", selected)).append(" FROM ");
    sql.append(from(d));
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    if (!chart.raw() && !chart.columns().isEmpty()) {
      sql.append(" GROUP BY ")
          .append(String.join(", ", chart.columns().stream().map(BundleCheck::quoted).toList()));
    }
    if (!chart.orderBy().isEmpty()) {
      List<String> keys = new ArrayList<>();
      for (Order o : chart.orderBy()) {
        String key = chart.raw() ? quoted(o.name()) : metric(metrics, o.name(), chart, d);
        keys.add(key + (o.ascending() ? " ASC" : " DESC"));
      }
      sql.append(" ORDER BY ").append(String.join(", ", keys));
    }
    if (chart.rowLimit() != null) {
      sql.append(" LIMIT ").append(chart.rowLimit());
    }
    return sql.toString();
  }

  /** The virtual dataset as the subquery Superset makes of it. */
  public static String from(Dataset d) {
    return "(" + d.sql().strip() + ") AS " + ALIAS;
  }

  private static String metric(Map<String, String> metrics, String name, Chart chart, Dataset d) {
    String expression = metrics.get(name);
    if (expression == null) {
      throw new IllegalArgumentException(
          chart.name() + ": " + name + " is not a metric of " + d.name() + " " + metrics.keySet());
    }
    return expression;
  }

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String value) {
    return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
  }

  private static void rollback(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.rollback();
    }
  }
}
