package io.kefu.batch.recommend;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import io.kefu.batch.BadInputException;
import io.kefu.batch.profiles.Inputs;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * The generic interactions file of {@code kefu batch recommend}: CSV with the header {@code
 * user,item,weight,timestamp} (timestamp as epoch milliseconds or ISO-8601 text) or Parquet with
 * those columns, and an optional {@code category} column (the item's category, used for the
 * popularity-in-segment fallback). Converters build it from the simulator's orders and browsing and
 * from the Olist public data set.
 */
public final class Interactions {
  private Interactions() {}

  /** The columns every interactions Dataset has after {@link #read}. */
  public static final StructType SCHEMA =
      new StructType()
          .add("user", DataTypes.StringType)
          .add("item", DataTypes.StringType)
          .add("weight", DataTypes.DoubleType)
          .add("timestamp", DataTypes.TimestampType)
          .add("category", DataTypes.StringType);

  /**
   * Weights of the converters: a purchase counts more than an add-to-cart, which counts more than a
   * view.
   */
  public record Weights(double purchase, double cart, double view) {}

  /**
   * Reads and checks an interactions file: a missing file or column, a value that is not a number
   * or a time, or an empty user or item is a {@link BadInputException} naming the file, the column
   * and the first bad value. An empty file gives an empty Dataset.
   */
  public static Dataset<Row> read(SparkSession spark, String file) {
    Path path = new Path(file);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    boolean parquet;
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.exists(path)) {
        throw new BadInputException("interactions file " + file + " does not exist");
      }
      parquet = isParquet(fs, path);
      if (!parquet && !fs.isDirectory(path) && fs.getFileStatus(path).getLen() == 0) {
        return Inputs.empty(spark, SCHEMA);
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read interactions file " + file + ": " + e, e);
    }
    Dataset<Row> raw =
        parquet
            ? Inputs.readParquet(spark, file)
            : spark.read().option("header", "true").option("mode", "FAILFAST").csv(file);
    List<String> present = Arrays.asList(raw.schema().fieldNames());
    for (String c : List.of("user", "item", "weight", "timestamp")) {
      if (!present.contains(c)) {
        throw new BadInputException(
            "interactions file "
                + file
                + ": missing column "
                + c
                + " (columns: "
                + String.join(", ", raw.schema().fieldNames())
                + "); expected the header user,item,weight,timestamp");
      }
    }
    if (parquet) {
      checkType(file, raw.schema(), "user", false);
      checkType(file, raw.schema(), "item", false);
      checkType(file, raw.schema(), "weight", true);
      DataType ts = raw.schema().apply("timestamp").dataType();
      if (!(ts == DataTypes.TimestampType
          || ts == DataTypes.TimestampNTZType
          || ts == DataTypes.LongType)) {
        throw new BadInputException(
            "interactions file "
                + file
                + ": column timestamp has type "
                + ts.simpleString()
                + ", expected a timestamp or epoch milliseconds");
      }
    }
    // try_cast and try_to_timestamp: under ANSI mode a plain cast of a bad value fails the job
    // with Spark's message; a null here becomes our own message naming the file and the value.
    Column weight = col("weight").try_cast(DataTypes.DoubleType);
    Column rawTs = col("timestamp");
    DataType tsType = raw.schema().apply("timestamp").dataType();
    Column ts =
        tsType == DataTypes.StringType
            ? when(rawTs.rlike("^-?[0-9]+$"), timestamp_millis(rawTs.try_cast(DataTypes.LongType)))
                .otherwise(try_to_timestamp(rawTs))
            : tsType instanceof NumericType
                ? timestamp_millis(rawTs.cast(DataTypes.LongType))
                : rawTs.cast(DataTypes.TimestampType);
    Column category =
        present.contains("category") ? col("category").cast("string") : lit(null).cast("string");
    Dataset<Row> typed =
        raw.select(
            col("user").cast("string").as("user"),
            col("item").cast("string").as("item"),
            weight.as("weight"),
            ts.as("timestamp"),
            category.as("category"),
            col("weight").cast("string").as("raw_weight"),
            col("timestamp").cast("string").as("raw_timestamp"));
    Row bad =
        typed
            .agg(
                count_if(col("user").isNull().or(col("user").equalTo(""))).as("no_user"),
                count_if(col("item").isNull().or(col("item").equalTo(""))).as("no_item"),
                min(when(col("weight").isNull(), coalesce(col("raw_weight"), lit("(empty)"))))
                    .as("bad_weight"),
                min(when(col("timestamp").isNull(), coalesce(col("raw_timestamp"), lit("(empty)"))))
                    .as("bad_timestamp"))
            .first();
    if (bad.getLong(0) > 0) {
      throw new BadInputException(
          "interactions file " + file + ": column user is empty on " + bad.getLong(0) + " rows");
    }
    if (bad.getLong(1) > 0) {
      throw new BadInputException(
          "interactions file " + file + ": column item is empty on " + bad.getLong(1) + " rows");
    }
    if (!bad.isNullAt(2)) {
      throw new BadInputException(
          "interactions file "
              + file
              + ": column weight holds '"
              + bad.getString(2)
              + "', not a number");
    }
    if (!bad.isNullAt(3)) {
      throw new BadInputException(
          "interactions file "
              + file
              + ": column timestamp holds '"
              + bad.getString(3)
              + "', not epoch milliseconds or an ISO-8601 time");
    }
    return typed.drop("raw_weight", "raw_timestamp");
  }

  private static void checkType(String file, StructType schema, String column, boolean number) {
    DataType t = schema.apply(column).dataType();
    boolean ok =
        number
            ? t instanceof NumericType
            : t == DataTypes.StringType || t == DataTypes.IntegerType || t == DataTypes.LongType;
    if (!ok) {
      throw new BadInputException(
          "interactions file "
              + file
              + ": column "
              + column
              + " has type "
              + t.simpleString()
              + ", expected "
              + (number ? "a number" : "a string or an integer id"));
    }
  }

  /**
   * The simulator's order lines ({@link Inputs#ORDERS}) and browsing ({@link Inputs#BROWSING}) as
   * interactions: one row per order line (weight {@code purchase}) and per browsing event ({@code
   * cart} or {@code view}), the product's category kept.
   */
  public static Dataset<Row> fromShop(Dataset<Row> orders, Dataset<Row> browsing, Weights w) {
    Dataset<Row> bought =
        orders.select(
            col("customer_id").as("user"),
            col("product_id").as("item"),
            lit(w.purchase()).as("weight"),
            col("order_time").as("timestamp"),
            col("category"));
    Dataset<Row> seen =
        browsing.select(
            col("customer_id").as("user"),
            col("product_id").as("item"),
            when(col("action").equalTo("ADD_TO_CART"), w.cart()).otherwise(w.view()).as("weight"),
            col("event_time").as("timestamp"),
            col("category"));
    return bought.unionByName(seen);
  }

  /** The Olist files this converter reads (a directory of the public Olist CSV files). */
  static final List<String> OLIST_FILES =
      List.of(
          "olist_orders_dataset.csv",
          "olist_customers_dataset.csv",
          "olist_order_items_dataset.csv",
          "olist_products_dataset.csv",
          "product_category_name_translation.csv");

  /**
   * The Olist e-commerce data set (CSV files in {@code dir}, read in place) as purchases: user =
   * {@code customer_unique_id} (Olist's {@code customer_id} is one per order), item = product,
   * weight {@code purchase} per order item, timestamp = {@code order_purchase_timestamp}, category
   * in English where Olist translates it. Canceled and unavailable orders are left out.
   */
  public static Dataset<Row> fromOlist(SparkSession spark, String dir, double purchase) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    for (String f : OLIST_FILES) {
      Path p = new Path(dir, f);
      try {
        if (!p.getFileSystem(hadoop).isFile(p)) {
          throw new BadInputException("Olist directory " + dir + ": missing " + f);
        }
      } catch (IOException e) {
        throw new BadInputException("cannot read " + p + ": " + e, e);
      }
    }
    Dataset<Row> orders =
        olist(
            spark,
            dir,
            "olist_orders_dataset.csv",
            "order_id",
            "customer_id",
            "order_status",
            "order_purchase_timestamp");
    Dataset<Row> customers =
        olist(spark, dir, "olist_customers_dataset.csv", "customer_id", "customer_unique_id");
    Dataset<Row> items =
        olist(spark, dir, "olist_order_items_dataset.csv", "order_id", "product_id");
    Dataset<Row> products =
        olist(spark, dir, "olist_products_dataset.csv", "product_id", "product_category_name");
    Dataset<Row> names =
        olist(
            spark,
            dir,
            "product_category_name_translation.csv",
            "product_category_name",
            "product_category_name_english");
    return orders
        .where(not(col("order_status").isin("canceled", "unavailable")))
        .join(customers, "customer_id")
        .join(items, "order_id")
        .join(products, seq("product_id"), "left")
        .join(names, seq("product_category_name"), "left")
        .select(
            col("customer_unique_id").as("user"),
            col("product_id").as("item"),
            lit(purchase).as("weight"),
            try_to_timestamp(col("order_purchase_timestamp")).as("timestamp"),
            coalesce(col("product_category_name_english"), col("product_category_name"))
                .as("category"))
        .where(col("timestamp").isNotNull());
  }

  private static Dataset<Row> olist(
      SparkSession spark, String dir, String file, String... columns) {
    String path = new Path(dir, file).toString();
    Dataset<Row> raw = spark.read().option("header", "true").csv(path);
    List<String> present = Arrays.asList(raw.schema().fieldNames());
    for (String c : columns) {
      if (!present.contains(c)) {
        throw new BadInputException(
            "Olist file "
                + path
                + ": missing column "
                + c
                + " (columns: "
                + String.join(", ", raw.schema().fieldNames())
                + ")");
      }
    }
    return raw.select(
        Arrays.stream(columns).map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  /**
   * Writes interactions: one CSV file with the header {@code user,item,weight,timestamp,category}
   * (timestamp in epoch milliseconds) when {@code out} ends with {@code .csv}, else a Parquet
   * directory.
   */
  public static void write(Dataset<Row> interactions, String out) throws IOException {
    if (!out.toLowerCase(Locale.ROOT).endsWith(".csv")) {
      interactions.write().mode(SaveMode.Overwrite).parquet(out);
      return;
    }
    Path target = new Path(out);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".parts");
    interactions
        .select(
            col("user"),
            col("item"),
            col("weight"),
            unix_millis(col("timestamp")).as("timestamp"),
            col("category"))
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .option("header", "true")
        .csv(tmp.toString());
    FileSystem fs =
        tmp.getFileSystem(interactions.sparkSession().sparkContext().hadoopConfiguration());
    Path part = null;
    for (FileStatus s : fs.listStatus(tmp)) {
      if (s.getPath().getName().startsWith("part-")) {
        part = s.getPath();
      }
    }
    fs.delete(target, true);
    if (part == null) {
      fs.create(target, true).close();
    } else if (!fs.rename(part, target)) {
      throw new IOException("cannot move " + part + " to " + target);
    }
    fs.delete(tmp, true);
  }

  static scala.collection.immutable.Seq<String> seq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
  }

  private static boolean isParquet(FileSystem fs, Path path) throws IOException {
    if (fs.isDirectory(path)) {
      for (FileStatus s : fs.listStatus(path)) {
        if (s.getPath().getName().endsWith(".parquet")) {
          return true;
        }
      }
      return false;
    }
    return path.getName().toLowerCase(Locale.ROOT).endsWith(".parquet");
  }
}
