package io.kefu.batch.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.BadInputException;
import io.kefu.batch.TestSpark;
import io.kefu.schemas.OrderLine;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputsTest {

  static final SparkSession SPARK = TestSpark.session();

  @TempDir Path tmp;

  static OrderLine line(String order, int no, String price) {
    return new OrderLine(
        order,
        no,
        "cust-1",
        "acme",
        Instant.ofEpochMilli(1_700_000_000_000L),
        "p-" + no,
        "home",
        2,
        new BigDecimal(price),
        "CNY");
  }

  /**
   * The simulator writes Parquet through Avro: decimal(12,2) prices as dictionary-encoded BINARY,
   * which Spark's vectorized reader cannot decode as the long it expects for that precision.
   */
  @Test
  void avroParquetOrdersWithBinaryDecimals() throws Exception {
    Path file = tmp.resolve("orders.parquet");
    try (ParquetWriter<OrderLine> w =
        AvroParquetWriter.<OrderLine>builder(new LocalOutputFile(file))
            .withSchema(OrderLine.getClassSchema())
            .withDataModel(SpecificData.getForClass(OrderLine.class))
            .build()) {
      for (int i = 0; i < 50; i++) {
        w.write(line("o" + i, 1, i % 2 == 0 ? "10.50" : "99.99"));
      }
    }
    Row sum =
        Inputs.orders(SPARK, file.toString())
            .selectExpr("sum(quantity * unit_price)", "count(*)", "min(order_time)")
            .first();
    assertEquals(new BigDecimal("5524.50"), sum.getDecimal(0).setScale(2));
    assertEquals(50L, sum.getLong(1));
    assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), sum.getTimestamp(2).toInstant());
  }

  @Test
  void jsonLinesWithEpochMillis() throws Exception {
    Path file = tmp.resolve("orders.jsonl");
    Files.writeString(
        file,
        "{\"order_id\":\"o1\",\"line_no\":1,\"customer_id\":\"c1\",\"tenant\":\"acme\","
            + "\"order_time\":1700000000000,\"product_id\":\"p1\",\"category\":\"home\","
            + "\"quantity\":3,\"unit_price\":1.25,\"currency\":\"CNY\"}\n");
    List<Row> rows = Inputs.orders(SPARK, file.toString()).collectAsList();
    assertEquals(1, rows.size());
    assertEquals(new BigDecimal("1.25"), rows.get(0).<BigDecimal>getAs("unit_price"));
    assertEquals(
        Instant.ofEpochMilli(1_700_000_000_000L),
        rows.get(0).<java.sql.Timestamp>getAs("order_time").toInstant());
  }

  @Test
  void wrongTypeInParquetNamesTheColumn() throws Exception {
    Path dir = tmp.resolve("browsing");
    SPARK
        .sql(
            "SELECT 'c1' AS customer_id, 'acme' AS tenant, 1.5 AS event_time, 'p1' AS product_id,"
                + " 'home' AS category, 'VIEW' AS action")
        .write()
        .parquet(dir.toString());
    BadInputException e =
        assertThrows(BadInputException.class, () -> Inputs.browsing(SPARK, dir.toString()));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("column event_time has type decimal(2,1)"), e.getMessage());
  }

  @Test
  void noFileMeansNoRowsAndAnEmptyFileToo() throws Exception {
    assertEquals(0, Inputs.orders(SPARK, null).count());
    Path empty = Files.createFile(tmp.resolve("browsing.jsonl"));
    assertEquals(0, Inputs.browsing(SPARK, empty.toString()).count());
    assertEquals(Inputs.BROWSING, Inputs.browsing(SPARK, empty.toString()).schema());
  }
}
