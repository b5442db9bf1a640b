package io.kefu.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle against Superset 6.0's v1 import schemas, mirrored here field by field from {@code
 * superset/databases/schemas.py} (ImportV1DatabaseSchema, ImportV1DatabaseExtraSchema), {@code
 * superset/datasets/schemas.py} (ImportV1DatasetSchema, ImportV1ColumnSchema,
 * ImportV1MetricSchema), {@code superset/charts/schemas.py} (ImportV1ChartSchema), {@code
 * superset/dashboards/schemas.py} (ImportV1DashboardSchema) and {@code
 * superset/commands/importers/v1/utils.py} (MetadataSchema). The schemas are marshmallow with the
 * default {@code unknown = RAISE}: a key the importer does not know fails the whole import.
 */
class SupersetBundleTest {

  static final Instant T = Instant.parse("2026-11-23T08:00:00Z");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  record Schema(Set<String> required, Set<String> allowed) {}

  static Schema schema(List<String> required, List<String> optional) {
    Set<String> all = new HashSet<>(required);
    all.addAll(optional);
    return new Schema(Set.copyOf(required), all);
  }

  static final Schema METADATA = schema(List.of("version"), List.of("type", "timestamp"));
  static final Schema DATABASE =
      schema(
          List.of("database_name", "sqlalchemy_uri", "uuid", "version"),
          List.of(
              "password",
              "cache_timeout",
              "expose_in_sqllab",
              "allow_run_async",
              "allow_ctas",
              "allow_cvas",
              "allow_dml",
              "allow_csv_upload",
              "extra",
              "is_managed_externally",
              "external_url",
              "ssh_tunnel"));
  static final Schema DATABASE_EXTRA =
      schema(
          List.of(),
          List.of(
              "metadata_params",
              "engine_params",
              "metadata_cache_timeout",
              "schemas_allowed_for_csv_upload",
              "cost_estimate_enabled",
              "allows_virtual_table_explore",
              "cancel_query_on_windows_unload",
              "disable_data_preview",
              "disable_drill_to_detail",
              "allow_multi_catalog",
              "version"));
  static final Schema DATASET =
      schema(
          List.of("table_name", "uuid", "version", "database_uuid"),
          List.of(
              "main_dttm_col",
              "description",
              "default_endpoint",
              "offset",
              "cache_timeout",
              "schema",
              "catalog",
              "sql",
              "params",
              "template_params",
              "filter_select_enabled",
              "fetch_values_predicate",
              "extra",
              "columns",
              "metrics",
              "data",
              "is_managed_externally",
              "external_url",
              "normalize_columns",
              "always_filter_main_dttm",
              "folders"));
  static final Schema COLUMN =
      schema(
          List.of("column_name"),
          List.of(
              "extra",
              "verbose_name",
              "is_dttm",
              "is_active",
              "type",
              "advanced_data_type",
              "groupby",
              "filterable",
              "expression",
              "description",
              "python_date_format"));
  static final Schema METRIC =
      schema(
          List.of("metric_name", "expression"),
          List.of(
              "verbose_name",
              "metric_type",
              "description",
              "d3format",
              "currency",
              "extra",
              "warning_text"));
  static final Schema CHART =
      schema(
          List.of("slice_name", "viz_type", "uuid", "version", "dataset_uuid"),
          List.of(
              "description",
              "certified_by",
              "certification_details",
              "params",
              "query_context",
              "cache_timeout",
              "is_managed_externally",
              "external_url"));
  static final Schema DASHBOARD =
      schema(
          List.of("dashboard_title", "uuid", "version", "position"),
          List.of(
              "description",
              "css",
              "slug",
              "metadata",
              "is_managed_externally",
              "external_url",
              "certified_by",
              "certification_details",
              "published"));

  @TempDir static Path tmp;
  static Map<String, JsonNode> bundle;
  static String root;
  static byte[] zipBytes;

  @BeforeAll
  static void build() throws IOException {
    Path zip = tmp.resolve("bundle.zip");
    SupersetBundle.write(
        "jdbc:postgresql://db.example:5433/kefu?user=analyst&password=s3cret-pw", zip, T);
    zipBytes = Files.readAllBytes(zip);
    bundle = new LinkedHashMap<>();
    Set<String> roots = new TreeSet<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String name = e.getName();
        roots.add(name.substring(0, name.indexOf('/')));
        String rel = name.substring(name.indexOf('/') + 1);
        bundle.put(rel, YAML.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    assertEquals(1, roots.size(), "one top-level folder: " + roots);
    root = roots.iterator().next();
  }

  @Test
  void oneTopLevelFolderWithMetadataFirst() {
    assertEquals("kefu_dashboards_20261123T080000", root);
    assertEquals("metadata.yaml", bundle.keySet().iterator().next());
    JsonNode m = bundle.get("metadata.yaml");
    check("metadata.yaml", m, METADATA);
    assertEquals("1.0.0", m.get("version").asText());
    assertEquals("Dashboard", m.get("type").asText());
    assertEquals("2026-11-23T08:00:00Z", m.get("timestamp").asText());
    for (String file : bundle.keySet()) {
      assertTrue(
          file.equals("metadata.yaml")
              || file.matches("databases/[a-z_]+\\.yaml")
              || file.matches("datasets/[a-z_]+/[a-z_]+\\.yaml")
              || file.matches("charts/[a-z_]+\\.yaml")
              || file.matches("dashboards/[a-z_]+\\.yaml"),
          "file in a folder the importer reads: " + file);
    }
  }

  @Test
  void everyFileHasTheRequiredFieldsAndNoOthers() {
    int checked = 0;
    for (Map.Entry<String, JsonNode> f : bundle.entrySet()) {
      String file = f.getKey();
      JsonNode y = f.getValue();
      String folder = file.substring(0, file.indexOf('/') + 1);
      switch (folder) {
        case "databases/" -> {
          check(file, y, DATABASE);
          check(file + " extra", y.get("extra"), DATABASE_EXTRA);
        }
        case "datasets/" -> {
          check(file, y, DATASET);
          for (JsonNode c : y.get("columns")) {
            check(file + " column " + c.path("column_name"), c, COLUMN);
          }
          for (JsonNode m : y.get("metrics")) {
            check(file + " metric " + m.path("metric_name"), m, METRIC);
          }
          assertTrue(y.get("sql").asText().strip().startsWith("SELECT"), file + ": virtual");
        }
        case "charts/" -> {
          check(file, y, CHART);
          assertEquals(y.get("viz_type"), y.get("params").get("viz_type"), file);
        }
        case "dashboards/" -> check(file, y, DASHBOARD);
        default -> {
          continue;
        }
      }
      assertEquals("1.0.0", y.get("version").asText(), file + ": version");
      UUID.fromString(y.get("uuid").asText());
      checked++;
    }
    assertEquals(bundle.size() - 1, checked);
    assertTrue(checked >= 1 + 9 + 20 + 4, "database, datasets, charts, dashboards: " + checked);
  }

  @Test
  void uuidsAreUniqueAndEveryReferenceResolves() {
    Map<String, String> uuids = new HashMap<>();
    Map<String, List<String>> byKind = new HashMap<>();
    for (Map.Entry<String, JsonNode> f : bundle.entrySet()) {
      if (f.getKey().equals("metadata.yaml")) {
        continue;
      }
      String kind = f.getKey().substring(0, f.getKey().indexOf('/'));
      String u = f.getValue().get("uuid").asText();
      assertEquals(null, uuids.put(u, f.getKey()), "uuid " + u + " used twice");
      byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(u);
    }
    Set<String> charted = new HashSet<>();
    for (Map.Entry<String, JsonNode> f : bundle.entrySet()) {
      JsonNode y = f.getValue();
      if (f.getKey().startsWith("datasets/")) {
        assertKind(byKind, "databases", y.get("database_uuid").asText(), f.getKey());
        assertTrue(
            f.getKey().startsWith("datasets/kefu/"),
            "datasets sit in the folder of their database");
      } else if (f.getKey().startsWith("charts/")) {
        assertKind(byKind, "datasets", y.get("dataset_uuid").asText(), f.getKey());
      } else if (f.getKey().startsWith("dashboards/")) {
        JsonNode pos = y.get("position");
        assertEquals("v2", pos.get("DASHBOARD_VERSION_KEY").asText());
        assertEquals("ROOT", pos.get("ROOT_ID").get("type").asText());
        assertEquals("GRID", pos.get("GRID_ID").get("type").asText());
        int onThisDashboard = 0;
        for (Map.Entry<String, JsonNode> node : pos.properties()) {
          if (!node.getValue().isObject()) {
            continue;
          }
          assertEquals(node.getKey(), node.getValue().get("id").asText(), f.getKey());
          for (JsonNode child : node.getValue().path("children")) {
            assertTrue(pos.has(child.asText()), f.getKey() + ": child " + child + " exists");
          }
          for (JsonNode parent : node.getValue().path("parents")) {
            assertTrue(pos.has(parent.asText()), f.getKey() + ": parent " + parent + " exists");
          }
          if (node.getValue().get("type").asText().equals("CHART")) {
            String u = node.getValue().get("meta").get("uuid").asText();
            assertKind(byKind, "charts", u, f.getKey() + " " + node.getKey());
            int width = node.getValue().get("meta").get("width").asInt();
            assertTrue(width >= 1 && width <= 12, "grid width of 12 columns: " + width);
            charted.add(u);
            onThisDashboard++;
          }
        }
        assertTrue(onThisDashboard >= 4, f.getKey() + " has charts: " + onThisDashboard);
      }
    }
    assertEquals(
        new TreeSet<>(byKind.get("charts")), new TreeSet<>(charted), "every chart is shown");
    assertEquals(4, byKind.get("dashboards").size());
    assertEquals(1, byKind.get("databases").size());
  }

  @Test
  void chartsUseOnlyTheMetricsAndColumnsOfTheirDataset() {
    Map<String, JsonNode> datasets = new HashMap<>();
    bundle.forEach(
        (file, y) -> {
          if (file.startsWith("datasets/")) {
            datasets.put(y.get("uuid").asText(), y);
          }
        });
    for (Map.Entry<String, JsonNode> f : bundle.entrySet()) {
      if (!f.getKey().startsWith("charts/")) {
        continue;
      }
      JsonNode ds = datasets.get(f.getValue().get("dataset_uuid").asText());
      Set<String> metrics = names(ds.get("metrics"), "metric_name");
      Set<String> columns = names(ds.get("columns"), "column_name");
      JsonNode p = f.getValue().get("params");
      List<String> usedMetrics = new ArrayList<>();
      p.path("metrics").forEach(m -> usedMetrics.add(m.asText()));
      if (p.has("metric")) {
        usedMetrics.add(p.get("metric").asText());
      }
      if (p.has("timeseries_limit_metric")) {
        usedMetrics.add(p.get("timeseries_limit_metric").asText());
      }
      for (String m : usedMetrics) {
        assertTrue(metrics.contains(m), f.getKey() + ": metric " + m + " in " + metrics);
      }
      List<String> usedColumns = new ArrayList<>();
      p.path("groupby").forEach(c -> usedColumns.add(c.asText()));
      p.path("all_columns").forEach(c -> usedColumns.add(c.asText()));
      if (p.has("x_axis")) {
        usedColumns.add(p.get("x_axis").asText());
      }
      p.path("adhoc_filters").forEach(a -> usedColumns.add(a.get("subject").asText()));
      for (String c : usedColumns) {
        assertTrue(columns.contains(c), f.getKey() + ": column " + c + " in " + columns);
      }
      assertFalse(
          usedMetrics.isEmpty() && p.path("all_columns").isEmpty(),
          f.getKey() + " shows something");
    }
  }

  @Test
  void passwordIsMaskedAndNeverWritten() {
    JsonNode db = bundle.get(SupersetBundle.DATABASE_FILE);
    assertNotNull(db, "the database file is " + SupersetBundle.DATABASE_FILE);
    assertEquals(
        "postgresql://analyst:XXXXXXXXXX@db.example:5433/kefu", db.get("sqlalchemy_uri").asText());
    assertFalse(db.has("password"), "the password is given at import time");
    assertFalse(
        new String(zipBytes, StandardCharsets.ISO_8859_1).contains("s3cret"),
        "the password is nowhere in the ZIP");
    for (JsonNode y : bundle.values()) {
      assertFalse(y.toString().contains("s3cret"));
    }
  }

  @Test
  void databaseUrisInEveryForm() {
    assertEquals(
        "postgresql://kefu:XXXXXXXXXX@localhost:5432/kefu",
        SupersetBundle.sqlalchemyUri("postgresql://kefu:pw@localhost:5432/kefu"));
    assertEquals(
        "postgresql+psycopg2://kefu:XXXXXXXXXX@h/kefu?sslmode=require",
        SupersetBundle.sqlalchemyUri("postgresql+psycopg2://kefu:p@ss@h/kefu?sslmode=require"));
    assertEquals(
        "postgresql://kefu@localhost/kefu",
        SupersetBundle.sqlalchemyUri("postgresql://kefu@localhost/kefu"));
    assertEquals(
        "postgresql://postgres@localhost:54321/postgres",
        SupersetBundle.sqlalchemyUri("jdbc:postgresql://localhost:54321/postgres?user=postgres"));
    assertEquals(
        "postgresql://u:XXXXXXXXXX@h/db",
        SupersetBundle.sqlalchemyUri(
            "jdbc:postgresql://h/db?user=u&password=p&reWriteBatchedInserts=true"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SupersetBundle.sqlalchemyUri("mysql://u:p@h/db"));
    assertTrue(e.getMessage().contains("mysql://u:p@h/db"), e.getMessage());
  }

  @Test
  void sourcesOnTheClasspathAreTheFilesInDashboardsSuperset() throws IOException {
    Path sources = Path.of("../dashboards/superset");
    Map<String, String> files = SupersetBundle.sources();
    for (Map.Entry<String, String> f : files.entrySet()) {
      assertEquals(
          Files.readString(sources.resolve(f.getKey())), f.getValue(), f.getKey() + " is current");
    }
    assertEquals(bundle.size() - 1, files.size());
  }

  @Test
  void bundleIsReproducible() throws IOException {
    Path again = tmp.resolve("again.zip");
    SupersetBundle.write(
        "jdbc:postgresql://db.example:5433/kefu?user=analyst&password=s3cret-pw", again, T);
    try (InputStream in = Files.newInputStream(again)) {
      assertTrue(java.util.Arrays.equals(zipBytes, in.readAllBytes()), "same input, same bytes");
    }
  }

  private static Set<String> names(JsonNode list, String field) {
    Set<String> out = new HashSet<>();
    list.forEach(n -> out.add(n.get(field).asText()));
    return out;
  }

  private static void assertKind(
      Map<String, List<String>> byKind, String kind, String uuid, String where) {
    if (!byKind.getOrDefault(kind, List.of()).contains(uuid)) {
      fail(where + ": " + uuid + " is not the uuid of any file in " + kind + "/");
    }
  }

  private static void check(String where, JsonNode y, Schema schema) {
    assertNotNull(y, where + " exists");
    assertTrue(y.isObject(), where + " is a mapping");
    for (String r : schema.required()) {
      assertTrue(y.hasNonNull(r), where + ": required field " + r);
    }
    for (Iterator<String> it = y.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      assertTrue(schema.allowed().contains(k), where + ": field " + k + " unknown to Superset");
    }
  }
}
