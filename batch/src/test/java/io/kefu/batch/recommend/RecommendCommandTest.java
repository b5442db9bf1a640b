package io.kefu.batch.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kefu.batch.Main;
import io.kefu.batch.TestSpark;
import io.kefu.batch.profiles.SimulatedShop;
import io.kefu.schemas.Recommendation;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendCommandTest {

  static final SparkSession SPARK = TestSpark.session();

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  /**
   * The simulator's customers buy from two or three preferred clusters of products (its truth files
   * say which): ALS must find them far better than the most popular items of the customer's
   * favourite category do.
   */
  @Test
  void alsBeatsPopularityOnSimulatedPreferences() throws Exception {
    Path csv = tmp.resolve("interactions.csv");
    Run convert =
        run(
            "interactions",
            "--simulator",
            SimulatedShop.simulator().toString(),
            "--out",
            csv.toString());
    assertEquals(0, convert.exit(), convert.err());
    assertEquals("user,item,weight,timestamp,category", Files.readAllLines(csv).get(0));

    Path metrics = tmp.resolve("metrics.json");
    Run r =
        run(
            "recommend",
            "--interactions",
            csv.toString(),
            "--out",
            tmp.resolve("out").toString(),
            "--evaluate",
            "--k",
            "10",
            "--metrics-out",
            metrics.toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode m = new ObjectMapper().readTree(metrics.toFile());
    for (String model : List.of("als", "popularity")) {
      for (String key :
          List.of("precision_at_k", "recall_at_k", "ndcg_at_k", "map_at_k", "coverage")) {
        assertTrue(m.get(model).get(key).isNumber(), model + "." + key + " in " + m);
      }
    }
    double als = m.get("als").get("ndcg_at_k").asDouble();
    double pop = m.get("popularity").get("ndcg_at_k").asDouble();
    assertTrue(als > 1.3 * pop, "ALS NDCG@10 " + als + " vs popularity " + pop + "\n" + r.out());
    assertTrue(
        m.get("als").get("precision_at_k").asDouble()
            > 1.3 * m.get("popularity").get("precision_at_k").asDouble(),
        r.out());
    assertTrue(
        m.get("als").get("coverage").asDouble() > m.get("popularity").get("coverage").asDouble(),
        r.out());
    assertTrue(r.out().contains("precision@10"), r.out());

    Dataset<Row> recs = SPARK.read().parquet(tmp.resolve("out/recommendations").toString());
    List<String> avro =
        Recommendation.getClassSchema().getFields().stream().map(Schema.Field::name).toList();
    assertEquals(avro, Arrays.asList(recs.schema().fieldNames()));
    assertEquals(0, recs.where("rank > 10 OR rank < 1").count());
    // nothing a customer bought is recommended to them
    Dataset<Row> bought =
        SPARK
            .read()
            .option("header", "true")
            .csv(csv.toString())
            .where("CAST(weight AS DOUBLE) >= 3");
    assertEquals(
        0,
        recs.join(
                bought,
                recs.col("customer_pseudonym")
                    .equalTo(bought.col("user"))
                    .and(recs.col("item_id").equalTo(bought.col("item"))))
            .count());
  }

  /** Every row of a recommendations table or Parquet output, as text, in key order. */
  static List<String> rows(Dataset<Row> recs) {
    List<String> out = new ArrayList<>();
    for (Row r : recs.orderBy("customer_pseudonym", "rank").collectAsList()) {
      out.add(
          String.join(
              "|",
              r.getString(0),
              String.valueOf(r.getInt(1)),
              r.getString(2),
              String.valueOf(r.getDouble(3)),
              r.getString(4),
              r.getString(5),
              String.valueOf(r.getTimestamp(6).getTime())));
    }
    return out;
  }

  static List<String> rows(String jdbc) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT customer_pseudonym, rank, item_id, score, source, model_version,"
                    + " generated_at FROM recommendations ORDER BY customer_pseudonym, rank")) {
      while (rs.next()) {
        out.add(
            String.join(
                "|",
                rs.getString(1),
                String.valueOf(rs.getInt(2)),
                rs.getString(3),
                String.valueOf(rs.getDouble(4)),
                rs.getString(5),
                rs.getString(6),
                String.valueOf(rs.getTimestamp(7).getTime())));
      }
    }
    return out;
  }

  /**
   * {@code --jdbc}: the table holds exactly the Parquet output; a re-run with shorter lists
   * replaces them (no duplicate, no leftover rank) and leaves customers of other runs alone.
   */
  @Test
  void jdbcTableHoldsTheParquetListsAndARerunReplacesThem() throws Exception {
    Path csv = tmp.resolve("interactions.csv");
    Run convert =
        run(
            "interactions",
            "--simulator",
            SimulatedShop.simulator().toString(),
            "--out",
            csv.toString());
    assertEquals(0, convert.exit(), convert.err());
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String jdbc = pg.getJdbcUrl("postgres", "postgres");
      Run first =
          run(
              "recommend",
              "--interactions",
              csv.toString(),
              "--out",
              tmp.resolve("first").toString(),
              "--k",
              "5",
              "--jdbc",
              jdbc);
      assertEquals(0, first.exit(), first.err());
      List<String> parquet =
          rows(SPARK.read().parquet(tmp.resolve("first/recommendations").toString()));
      assertTrue(parquet.size() > 1000, "rows: " + parquet.size());
      assertEquals(parquet, rows(jdbc));
      assertTrue(first.out().contains("table recommendations"), first.out());

      // Another shop's customer, written by another run
      try (Connection c = DriverManager.getConnection(jdbc);
          Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO recommendations VALUES ('other-shop-1', 1, 'x-1', 0.5, 'ALS', 'v0',"
                + " '2026-01-01T00:00:00Z')");
      }
      Run again =
          run(
              "recommend",
              "--interactions",
              csv.toString(),
              "--out",
              tmp.resolve("again").toString(),
              "--k",
              "3",
              "--jdbc",
              jdbc);
      assertEquals(0, again.exit(), again.err());
      List<String> rerun =
          rows(SPARK.read().parquet(tmp.resolve("again/recommendations").toString()));
      List<String> table = rows(jdbc);
      assertEquals(1, table.stream().filter(r -> r.startsWith("other-shop-1|")).count());
      assertEquals(rerun, table.stream().filter(r -> !r.startsWith("other-shop-1|")).toList());
      assertTrue(rerun.size() < parquet.size(), rerun.size() + " rows after " + parquet.size());
    }
  }

  @Test
  void missingColumnNamesFileAndColumn() throws Exception {
    Path csv = tmp.resolve("bad.csv");
    Files.writeString(csv, "user,item,timestamp\nu1,p1,1\n");
    Run r =
        run("recommend", "--interactions", csv.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(Main.BAD_INPUT, r.exit(), r.err());
    assertTrue(
        r.err().contains(csv.toString()) && r.err().contains("missing column weight"), r.err());
  }

  @Test
  void badValuesNameFileColumnAndValue() throws Exception {
    Path csv = tmp.resolve("bad.csv");
    Files.writeString(csv, "user,item,weight,timestamp\nu1,p1,1,1000\nu2,p2,heavy,1000\n");
    Run r =
        run("recommend", "--interactions", csv.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(Main.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains("column weight holds 'heavy'"), r.err());

    Files.writeString(csv, "user,item,weight,timestamp\nu1,p1,1,last tuesday\n");
    r = run("recommend", "--interactions", csv.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(Main.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains("column timestamp holds 'last tuesday'"), r.err());

    r = run("recommend", "--interactions", tmp.resolve("none.csv").toString(), "--out", "x");
    assertEquals(Main.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains("does not exist"), r.err());

    r = run("recommend", "--interactions", csv.toString(), "--out", "x", "--split", "sideways");
    assertEquals(Main.BAD_INPUT, r.exit(), r.err());
  }

  @Test
  void emptyInteractionsGiveEmptyOutputs() throws Exception {
    Path csv = Files.createFile(tmp.resolve("empty.csv"));
    Path metrics = tmp.resolve("m.json");
    Run r =
        run(
            "recommend",
            "--interactions",
            csv.toString(),
            "--out",
            tmp.resolve("o").toString(),
            "--evaluate",
            "--metrics-out",
            metrics.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(0, SPARK.read().parquet(tmp.resolve("o/recommendations").toString()).count());
    JsonNode m = new ObjectMapper().readTree(metrics.toFile());
    assertTrue(m.get("als").isNull() && m.get("popularity").isNull(), m.toString());

    Path header = tmp.resolve("header.csv");
    Files.writeString(header, "user,item,weight,timestamp\n");
    r =
        run(
            "recommend",
            "--interactions",
            header.toString(),
            "--out",
            tmp.resolve("o2").toString());
    assertEquals(0, r.exit(), r.err());
  }

  @Test
  void olistFilesConvertToPurchasesOfUniqueCustomers() throws Exception {
    Path olist = Files.createDirectories(tmp.resolve("olist"));
    Files.writeString(
        olist.resolve("olist_orders_dataset.csv"),
        "order_id,customer_id,order_status,order_purchase_timestamp\n"
            + "o1,c1,delivered,2017-10-02 10:56:33\n"
            + "o2,c2,delivered,2018-01-05 09:00:00\n"
            + "o3,c3,canceled,2018-02-01 09:00:00\n");
    Files.writeString(
        olist.resolve("olist_customers_dataset.csv"),
        "customer_id,customer_unique_id\nc1,person-1\nc2,person-1\nc3,person-2\n");
    Files.writeString(
        olist.resolve("olist_order_items_dataset.csv"),
        "order_id,order_item_id,product_id\no1,1,p1\no1,2,p2\no2,1,p1\no3,1,p3\n");
    Files.writeString(
        olist.resolve("olist_products_dataset.csv"),
        "product_id,product_category_name\np1,beleza_saude\np2,livros\np3,livros\n");
    Files.writeString(
        olist.resolve("product_category_name_translation.csv"),
        "product_category_name,product_category_name_english\nbeleza_saude,health_beauty\n");
    Path out = tmp.resolve("olist.parquet");
    Run r = run("interactions", "--olist", olist.toString(), "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    List<Row> rows =
        Interactions.read(SPARK, out.toString()).orderBy("timestamp", "item").collectAsList();
    assertEquals(3, rows.size(), "o3 is canceled");
    assertEquals("person-1", rows.get(0).getAs("user"));
    assertEquals("p1", rows.get(0).getAs("item"));
    assertEquals(3.0, rows.get(0).<Double>getAs("weight"));
    assertEquals("health_beauty", rows.get(0).getAs("category"));
    assertEquals("livros", rows.get(1).getAs("category"), "untranslated: Olist's own name");
    assertEquals("person-1", rows.get(2).getAs("user"));

    Files.delete(olist.resolve("olist_products_dataset.csv"));
    r = run("interactions", "--olist", olist.toString(), "--out", out.toString());
    assertEquals(Main.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains("olist_products_dataset.csv"), r.err());
  }
}
