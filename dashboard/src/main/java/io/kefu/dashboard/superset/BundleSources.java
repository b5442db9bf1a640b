package io.kefu.dashboard.superset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kefu.dashboard.SupersetBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Superset bundle's datasets and charts as {@link BundleCheck} runs them, read from the YAML
 * sources of {@code dashboards/superset/}. Parsing fails fast on a file without a field the check
 * needs, naming the file and the field.
 */
public record BundleSources(List<Dataset> datasets, List<Chart> charts) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public BundleSources {
    datasets = List.copyOf(datasets);
    charts = List.copyOf(charts);
  }

  /** A virtual dataset: its SQL, its declared columns and its metrics (SQL aggregates). */
  public record Dataset(
      String name, String uuid, String sql, List<Column> columns, List<Metric> metrics) {
    public Dataset {
      columns = List.copyOf(columns);
      metrics = List.copyOf(metrics);
    }
  }

  /** A dataset column: a column of the SQL's result, or ({@code expression} set) SQL over it. */
  public record Column(String name, String expression) {
    public boolean computed() {
      return expression != null;
    }
  }

  /** A metric: an aggregate expression over the dataset's rows. */
  public record Metric(String name, String expression) {}

  /** A chart's simple filter, {@code subject operator comparator} ({@code ==} or time range). */
  public record Filter(String subject, String operator, String comparator) {}

  /** A sort key: a metric (aggregate charts) or a column (raw charts). */
  public record Order(String name, boolean ascending) {}

  /**
   * What a chart queries: its columns (x axis, group-by or raw columns), its metrics, its filters,
   * the sort and the row limit ({@code null}: none); {@code raw} charts list rows, ungrouped.
   */
  public record Chart(
      String name,
      String datasetUuid,
      List<String> columns,
      List<String> metrics,
      List<Filter> filters,
      List<Order> orderBy,
      boolean raw,
      Integer rowLimit) {
    public Chart {
      columns = List.copyOf(columns);
      metrics = List.copyOf(metrics);
      filters = List.copyOf(filters);
      orderBy = List.copyOf(orderBy);
    }
  }

  /** The sources this build carries (what {@code kefu dashboard superset-bundle} zips). */
  public static BundleSources load() throws IOException {
    return parse(SupersetBundle.sources());
  }

  /** The sources in {@code dir}, a copy of {@code dashboards/superset/}. */
  public static BundleSources load(Path dir) throws IOException {
    return parse(SupersetBundle.sources(dir));
  }

  /**
   * The datasets ({@code datasets/<database>/*.yaml}, named by their {@code table_name}) and charts
   * ({@code charts/*.yaml}, named by their file) among {@code files}, each in path order.
   */
  public static BundleSources parse(Map<String, String> files) throws IOException {
    List<Dataset> datasets = new ArrayList<>();
    List<Chart> charts = new ArrayList<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      String path = f.getKey();
      if (path.startsWith("datasets/")) {
        datasets.add(dataset(path, YAML.readTree(f.getValue())));
      } else if (path.startsWith("charts/")) {
        String name = path.substring("charts/".length()).replaceFirst("\\.yaml$", "");
        charts.add(chart(path, name, YAML.readTree(f.getValue())));
      }
    }
    return new BundleSources(datasets, charts);
  }

  private static Dataset dataset(String path, JsonNode y) {
    List<Column> columns = new ArrayList<>();
    for (JsonNode c : list(path, y, "columns")) {
      columns.add(new Column(text(path, c, "column_name"), optional(c, "expression")));
    }
    List<Metric> metrics = new ArrayList<>();
    for (JsonNode m : list(path, y, "metrics")) {
      metrics.add(new Metric(text(path, m, "metric_name"), text(path, m, "expression")));
    }
    return new Dataset(
        text(path, y, "table_name"),
        text(path, y, "uuid"),
        text(path, y, "sql").strip(),
        columns,
        metrics);
  }

  private static Chart chart(String path, String name, JsonNode y) {
    JsonNode p = y.path("params");
    if (!p.isObject()) {
      throw new IllegalArgumentException(path + ": no params");
    }
    List<String> columns = new ArrayList<>();
    if (p.hasNonNull("x_axis")) {
      columns.add(p.get("x_axis").asText());
    }
    p.path("groupby").forEach(g -> columns.add(g.asText()));
    p.path("all_columns").forEach(g -> columns.add(g.asText()));
    List<String> metrics = new ArrayList<>();
    p.path("metrics").forEach(m -> metrics.add(m.asText()));
    if (p.hasNonNull("metric")) {
      metrics.add(p.get("metric").asText());
    }
    List<Filter> filters = new ArrayList<>();
    for (JsonNode f : p.path("adhoc_filters")) {
      filters.add(
          new Filter(
              text(path, f, "subject"), text(path, f, "operator"), optional(f, "comparator")));
    }
    boolean raw = p.path("query_mode").asText("aggregate").equals("raw");
    List<Order> orderBy = new ArrayList<>();
    if (raw) {
      // Superset stores each as a JSON array in a string: '["report_date", false]'.
      for (JsonNode o : p.path("order_by_cols")) {
        JsonNode pair;
        try {
          pair = YAML.readTree(o.asText());
        } catch (IOException e) {
          throw new IllegalArgumentException(path + ": order_by_cols entry " + o + " is not JSON");
        }
        if (!pair.isArray() || pair.size() != 2) {
          throw new IllegalArgumentException(
              path + ": order_by_cols entry " + o + " is not [column, ascending]");
        }
        orderBy.add(new Order(pair.get(0).asText(), pair.get(1).asBoolean()));
      }
    } else if (p.hasNonNull("timeseries_limit_metric")) {
      orderBy.add(
          new Order(
              p.get("timeseries_limit_metric").asText(), !p.path("order_desc").asBoolean(true)));
    }
    Integer rowLimit = p.hasNonNull("row_limit") ? p.get("row_limit").asInt() : null;
    return new Chart(
        name, text(path, y, "dataset_uuid"), columns, metrics, filters, orderBy, raw, rowLimit);
  }

  private static Iterable<JsonNode> list(String path, JsonNode y, String field) {
    JsonNode v = y.get(field);
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException(path + ": " + field + " is not a list");
    }
    return v;
  }

  private static String text(String path, JsonNode y, String field) {
    JsonNode v = y.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) {
      throw new IllegalArgumentException(path + ": no " + field);
    }
    return v.asText();
  }

  private static String optional(JsonNode y, String field) {
    JsonNode v = y.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
