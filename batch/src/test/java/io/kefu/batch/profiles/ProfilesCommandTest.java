package io.kefu.batch.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.Main;
import io.kefu.batch.TestSpark;
import io.kefu.schemas.CustomerProfile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesCommandTest {

  static final SparkSession SPARK = TestSpark.session();

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  static long count(String jdbc, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void simulatedShopToParquetAndPostgresAndAgain() throws Exception {
    Path sim = SimulatedShop.simulator();
    String[] args = {
      "profiles",
      "--lake",
      SimulatedShop.lake().toString(),
      "--orders",
      sim.resolve("orders.jsonl").toString(),
      "--browsing",
      sim.resolve("browsing.jsonl").toString(),
      "--as-of",
      SimulatedShop.lastDay().toString(),
      "--out",
      tmp.resolve("out").toString(),
      "--jdbc",
      ""
    };
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String jdbc = pg.getJdbcUrl("postgres", "postgres");
      args[args.length - 1] = jdbc;
      // A table as an older version created it, without the columns added since
      try (Connection c = DriverManager.getConnection(jdbc);
          Statement s = c.createStatement()) {
        ProfileStore.createTable(jdbc);
        s.execute(
            "ALTER TABLE customer_profiles DROP COLUMN rfm_r_score, DROP COLUMN rfm_f_score,"
                + " DROP COLUMN rfm_m_score, DROP COLUMN unresolved_contacts,"
                + " DROP COLUMN order_trend");
      }
      Run first = run(args);
      assertEquals(0, first.exit(), first.err());
      Dataset<Row> profiles = SPARK.read().parquet(tmp.resolve("out/profiles").toString());
      long rows = profiles.count();
      assertTrue(rows > 1000, "customers with contacts, orders or views: " + rows);

      // Every field of CustomerProfile.avsc, in order
      List<String> avro =
          CustomerProfile.getClassSchema().getFields().stream().map(Schema.Field::name).toList();
      assertEquals(avro, Arrays.asList(profiles.schema().fieldNames()));

      // All simulated conversations started within the 90 days; each counts once.
      long conversations =
          SPARK
              .read()
              .parquet(SimulatedShop.lake().resolve("events").toString())
              .where("event_type = 'CONVERSATION_STARTED'")
              .count();
      assertEquals(
          conversations,
          profiles.agg(org.apache.spark.sql.functions.sum("contacts_90d")).first().getLong(0));
      assertEquals(
          profiles.select("customer_pseudonym", "tenant").distinct().count(), rows, "one row each");

      assertEquals(rows, count(jdbc, "SELECT count(*) FROM customer_profiles"));
      assertEquals(conversations, count(jdbc, "SELECT sum(contacts_90d) FROM customer_profiles"));
      assertTrue(first.out().contains("RFM segment"), first.out());
      // The columns added to the older table hold what the Parquet holds
      for (String column :
          List.of(
              "rfm_r_score", "rfm_f_score", "rfm_m_score", "unresolved_contacts", "order_trend")) {
        Row parquet =
            profiles
                .selectExpr("count(" + column + ")", "coalesce(sum(" + column + "), 0)")
                .first();
        assertEquals(
            parquet.getLong(0),
            count(jdbc, "SELECT count(" + column + ") FROM customer_profiles"),
            column);
        assertEquals(
            parquet.getLong(1),
            count(jdbc, "SELECT coalesce(sum(" + column + "), 0) FROM customer_profiles"),
            column);
      }
      assertEquals(
          profiles.where("rfm_frequency > 0").count(),
          profiles.where("rfm_r_score BETWEEN 1 AND 5").count(),
          "every buyer has scores");

      // A re-run of the same snapshot replaces its rows
      Run again = run(args);
      assertEquals(0, again.exit(), again.err());
      assertEquals(rows, count(jdbc, "SELECT count(*) FROM customer_profiles"));
      assertEquals(1, count(jdbc, "SELECT count(DISTINCT loaded_at) FROM customer_profiles"));
      // Routing's look-up is an index scan
      try (Connection c = DriverManager.getConnection(jdbc);
          Statement s = c.createStatement()) {
        s.execute("SET enable_seqscan = off");
        ResultSet plan =
            s.executeQuery(
                "EXPLAIN SELECT * FROM customer_profiles WHERE tenant = 'acme' AND"
                    + " customer_pseudonym = 'cust-0000001' ORDER BY snapshot_date DESC LIMIT 1");
        StringBuilder sb = new StringBuilder();
        while (plan.next()) {
          sb.append(plan.getString(1)).append('\n');
        }
        assertTrue(sb.toString().contains("Index Scan"), sb.toString());
      }
    }
  }

  @Test
  void missingColumnNamesFileAndColumn() throws Exception {
    Path orders = tmp.resolve("orders.jsonl");
    Files.writeString(
        orders,
        "{\"order_id\":\"o1\",\"customer_id\":\"c1\",\"tenant\":\"acme\",\"order_time\":1,"
            + "\"product_id\":\"p1\",\"quantity\":1,\"unit_price\":1.5}\n");
    Run r =
        run(
            "profiles",
            "--lake",
            SimulatedShop.lake().toString(),
            "--orders",
            orders.toString(),
            "--as-of",
            SimulatedShop.lastDay().toString(),
            "--out",
            tmp.resolve("o").toString());
    assertEquals(Main.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains(orders.toString()), r.err());
    assertTrue(r.err().contains("missing column category"), r.err());
  }

  @Test
  void wrongTypeNamesFileAndColumn() throws Exception {
    Path browsing = tmp.resolve("browsing.jsonl");
    Files.writeString(
        browsing,
        "{\"customer_id\":\"c1\",\"tenant\":\"acme\",\"event_time\":\"yesterday\","
            + "\"product_id\":\"p1\",\"category\":\"home\",\"action\":\"VIEW\"}\n");
    Run r =
        run(
            "profiles",
            "--lake",
            SimulatedShop.lake().toString(),
            "--browsing",
            browsing.toString(),
            "--as-of",
            SimulatedShop.lastDay().toString(),
            "--out",
            tmp.resolve("o").toString());
    assertEquals(Main.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains(browsing.toString()), r.err());
    assertTrue(r.err().contains("column event_time has type string"), r.err());
  }

  @Test
  void missingLakeOrFile() {
    Run noLake =
        run(
            "profiles",
            "--lake",
            tmp.resolve("nowhere").toString(),
            "--as-of",
            "2026-03-02",
            "--out",
            tmp.resolve("o").toString());
    assertEquals(Main.BAD_INPUT, noLake.exit());
    assertTrue(noLake.err().contains("nowhere"), noLake.err());
    Run noOrders =
        run(
            "profiles",
            "--lake",
            SimulatedShop.lake().toString(),
            "--orders",
            tmp.resolve("orders.parquet").toString(),
            "--as-of",
            "2026-03-02",
            "--out",
            tmp.resolve("o").toString());
    assertEquals(Main.BAD_INPUT, noOrders.exit());
    assertTrue(noOrders.err().contains("orders file"), noOrders.err());
  }

  @Test
  void emptyInputsGiveAnEmptySnapshot() throws Exception {
    Path orders = Files.createFile(tmp.resolve("orders.jsonl"));
    Path browsing = Files.createFile(tmp.resolve("browsing.jsonl"));
    // A snapshot a year before the lake: no partition in its 90 days
    Run r =
        run(
            "profiles",
            "--lake",
            SimulatedShop.lake().toString(),
            "--orders",
            orders.toString(),
            "--browsing",
            browsing.toString(),
            "--as-of",
            "2025-03-02",
            "--out",
            tmp.resolve("o").toString());
    assertEquals(0, r.exit(), r.err());
    Dataset<Row> profiles = SPARK.read().parquet(tmp.resolve("o/profiles").toString());
    assertEquals(0, profiles.count());
    assertEquals(29, profiles.schema().fields().length);
  }
}
