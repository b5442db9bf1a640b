package io.kefu.batch.profiles;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;

import io.kefu.batch.BadInputException;
import io.kefu.batch.Lake;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.Footer;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the simulator's (or any shop's) orders and browsing files — JSON lines ({@code .jsonl},
 * {@code .json}, optionally gzipped) or Parquet (a file or a directory) — and checks their columns
 * before any work starts: a missing file or column, or a column of the wrong type, is a {@link
 * BadInputException} naming the file and the column. An empty file gives an empty Dataset.
 */
public final class Inputs {
  private Inputs() {}

  /** What a column may hold. */
  enum Kind {
    STRING,
    INTEGER,
    NUMBER,
    /** A TIMESTAMP, or epoch milliseconds (the simulator's JSON lines). */
    TIME
  }

  /** The columns of {@code OrderLine} the profiles use, as they come out of {@link #orders}. */
  public static final StructType ORDERS =
      new StructType()
          .add("order_id", DataTypes.StringType)
          .add("customer_id", DataTypes.StringType)
          .add("tenant", DataTypes.StringType)
          .add("order_time", DataTypes.TimestampType)
          .add("product_id", DataTypes.StringType)
          .add("category", DataTypes.StringType)
          .add("quantity", DataTypes.IntegerType)
          .add("unit_price", DataTypes.createDecimalType(12, 2));

  /**
   * The columns of {@code BrowsingEvent} the profiles use, as they come out of {@link #browsing}.
   */
  public static final StructType BROWSING =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("tenant", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("product_id", DataTypes.StringType)
          .add("category", DataTypes.StringType)
          .add("action", DataTypes.StringType);

  private static final Map<String, Kind> ORDER_KINDS =
      Map.of(
          "order_id", Kind.STRING,
          "customer_id", Kind.STRING,
          "tenant", Kind.STRING,
          "order_time", Kind.TIME,
          "product_id", Kind.STRING,
          "category", Kind.STRING,
          "quantity", Kind.INTEGER,
          "unit_price", Kind.NUMBER);

  private static final Map<String, Kind> BROWSING_KINDS =
      Map.of(
          "customer_id", Kind.STRING,
          "tenant", Kind.STRING,
          "event_time", Kind.TIME,
          "product_id", Kind.STRING,
          "category", Kind.STRING,
          "action", Kind.STRING);

  /** Order lines with the {@link #ORDERS} columns; null {@code file}: none (an empty Dataset). */
  public static Dataset<Row> orders(SparkSession spark, String file) {
    return read(spark, file, "orders", ORDERS, ORDER_KINDS);
  }

  /** Browsing events with the {@link #BROWSING} columns; null {@code file}: none. */
  public static Dataset<Row> browsing(SparkSession spark, String file) {
    return read(spark, file, "browsing", BROWSING, BROWSING_KINDS);
  }

  static Dataset<Row> read(
      SparkSession spark, String file, String what, StructType target, Map<String, Kind> kinds) {
    if (file == null) {
      return empty(spark, target);
    }
    Path path = new Path(file);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    boolean parquet;
    Path first;
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.exists(path)) {
        throw new BadInputException(what + " file " + file + " does not exist");
      }
      if (!hasData(fs, path)) {
        return empty(spark, target);
      }
      first = fs.isDirectory(path) ? firstDataFile(fs, path) : path;
      parquet = first.getName().toLowerCase(Locale.ROOT).endsWith(".parquet");
    } catch (IOException e) {
      throw new BadInputException("cannot read " + what + " file " + file + ": " + e, e);
    }
    Dataset<Row> raw;
    if (parquet) {
      // checked as the file has it; then read with decimals widened (see readParquet)
      StructType asWritten = parquetSchema(spark, first, hadoop);
      check(file, what, asWritten, target, kinds);
      raw = spark.read().schema(widenDecimals(asWritten)).parquet(file);
    } else {
      // The columns and types are checked on a sample read with inference; the whole file is
      // then read with the expected schema (no inference pass over a large file).
      Dataset<Row> sample = spark.read().json(spark.read().textFile(file).limit(1000));
      check(file, what, sample.schema(), target, kinds);
      StructType jsonSchema = new StructType();
      for (StructField f : target.fields()) {
        Kind k = kinds.get(f.name());
        DataType t = k == Kind.TIME ? jsonType(sample.schema(), f.name()) : f.dataType();
        jsonSchema = jsonSchema.add(f.name(), t);
      }
      raw = spark.read().schema(jsonSchema).option("mode", "FAILFAST").json(file);
    }
    check(file, what, raw.schema(), target, kinds);
    List<Column> cols = new ArrayList<>();
    for (StructField f : target.fields()) {
      Column c = col(f.name());
      DataType actual = raw.schema().apply(f.name()).dataType();
      if (kinds.get(f.name()) == Kind.TIME && actual instanceof NumericType) {
        c = timestamp_millis(c.cast(DataTypes.LongType));
      }
      cols.add(c.cast(f.dataType()).as(f.name()));
    }
    return raw.select(cols.toArray(Column[]::new));
  }

  /**
   * A Parquet file or directory. Decimal columns are read as decimal(38, scale): Avro writers (the
   * simulator's) store decimals as BINARY, and Spark's vectorized reader fails on a dictionary of
   * BINARY decimals of precision 18 or less (it decodes them as longs); a wider requested type
   * reads them as binary.
   */
  public static Dataset<Row> readParquet(SparkSession spark, String file) {
    Dataset<Row> raw = spark.read().parquet(file);
    StructType widened = widenDecimals(raw.schema());
    return widened.equals(raw.schema()) ? raw : spark.read().schema(widened).parquet(file);
  }

  /** {@code schema} with every decimal column as decimal(38, its scale). */
  private static StructType widenDecimals(StructType schema) {
    StructType widened = new StructType();
    for (StructField f : schema.fields()) {
      if (f.dataType() instanceof DecimalType d) {
        widened = widened.add(f.name(), DataTypes.createDecimalType(38, d.scale()), f.nullable());
      } else {
        widened = widened.add(f);
      }
    }
    return widened;
  }

  /**
   * The schema Spark infers for a read of Parquet {@code file} (a read of several files takes that
   * of one), from its footer read here on the driver: Spark's own inference is a job of its own.
   */
  static StructType parquetSchema(SparkSession spark, Path file, Configuration hadoop) {
    try {
      ParquetMetadata footer;
      try (ParquetFileReader reader =
          ParquetFileReader.open(HadoopInputFile.fromPath(file, hadoop))) {
        footer = reader.getFooter();
      }
      return ParquetFileFormat.readSchemaFromFooter(
          new Footer(file, footer), new ParquetToSparkSchemaConverter(spark.sessionState().conf()));
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(
          "cannot read the Parquet footer of " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A Parquet file or directory (Spark's output, for one) read with the schema of its first data
   * file's footer: the same Dataset as {@code spark.read().parquet(file)}, without its schema job.
   */
  public static Dataset<Row> parquet(SparkSession spark, String file) {
    Path path = new Path(file);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path first;
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      first = fs.isDirectory(path) ? firstDataFile(fs, path) : path;
    } catch (IOException e) {
      throw new BadInputException("cannot list " + file + ": " + e.getMessage(), e);
    }
    return first == null
        ? spark.read().parquet(file)
        : spark.read().schema(parquetSchema(spark, first, hadoop)).parquet(file);
  }

  /**
   * The rows of {@code read}, a read of files with no filter (projections are fine): for Parquet
   * files the sum of their footers' row counts, read on the driver, else a count (a Spark job).
   */
  public static long count(SparkSession spark, Dataset<Row> read) {
    String[] files = read.inputFiles();
    boolean parquet =
        files.length > 0
            && Arrays.stream(files).allMatch(f -> f.toLowerCase(Locale.ROOT).endsWith(".parquet"));
    if (!parquet) {
      return read.count();
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    long rows = 0;
    for (String f : files) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(HadoopInputFile.fromPath(new Path(f), hadoop))) {
        rows += reader.getRecordCount();
      } catch (IOException e) {
        throw new BadInputException("cannot read the Parquet footer of " + f + ": " + e, e);
      }
    }
    return rows;
  }

  /** A timestamp column's type in JSON: epoch milliseconds (a number) or ISO text. */
  private static DataType jsonType(StructType sample, String column) {
    DataType t = sample.apply(column).dataType();
    return t instanceof NumericType ? DataTypes.LongType : DataTypes.TimestampType;
  }

  /** Every column of {@code target} present in {@code actual} with an acceptable type. */
  static void check(
      String file, String what, StructType actual, StructType target, Map<String, Kind> kinds) {
    for (StructField f : target.fields()) {
      if (!Arrays.asList(actual.fieldNames()).contains(f.name())) {
        throw new BadInputException(
            what
                + " file "
                + file
                + ": missing column "
                + f.name()
                + " (columns: "
                + String.join(", ", actual.fieldNames())
                + ")");
      }
      DataType t = actual.apply(f.name()).dataType();
      Kind k = kinds.get(f.name());
      if (!accepts(k, t)) {
        throw new BadInputException(
            what
                + " file "
                + file
                + ": column "
                + f.name()
                + " has type "
                + t.simpleString()
                + ", expected "
                + expected(k));
      }
    }
  }

  static boolean accepts(Kind kind, DataType t) {
    return switch (kind) {
      case STRING -> t == DataTypes.StringType;
      case INTEGER ->
          t == DataTypes.IntegerType
              || t == DataTypes.LongType
              || t == DataTypes.ShortType
              || t == DataTypes.ByteType;
      case NUMBER -> t instanceof NumericType;
      case TIME ->
          t == DataTypes.TimestampType
              || t == DataTypes.TimestampNTZType
              || t == DataTypes.LongType
              || t == DataTypes.IntegerType;
    };
  }

  private static String expected(Kind kind) {
    return switch (kind) {
      case STRING -> "string";
      case INTEGER -> "an integer";
      case NUMBER -> "a number";
      case TIME -> "a timestamp or epoch milliseconds";
    };
  }

  public static Dataset<Row> empty(SparkSession spark, StructType schema) {
    return spark.createDataFrame(List.of(), schema);
  }

  static boolean hasData(FileSystem fs, Path path) throws IOException {
    if (fs.isDirectory(path)) {
      return firstDataFile(fs, path) != null;
    }
    return fs.getFileStatus(path).getLen() > 0;
  }

  private static Path firstDataFile(FileSystem fs, Path dir) throws IOException {
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
    while (files.hasNext()) {
      LocatedFileStatus s = files.next();
      String name = s.getPath().getName();
      if (!name.startsWith(".") && !name.startsWith("_") && s.getLen() > 0) {
        return s.getPath();
      }
    }
    return null;
  }

  /** The lake columns the profiles use: required ones first, then optional ones. */
  public static final StructType LAKE =
      new StructType()
          .add("conversation_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("tenant", DataTypes.StringType)
          .add("customer_id", DataTypes.StringType)
          .add("channel", DataTypes.StringType)
          .add("role", DataTypes.StringType)
          .add("language", DataTypes.StringType)
          .add("sentiment", DataTypes.DoubleType)
          .add("anger", DataTypes.DoubleType)
          .add("csat", DataTypes.IntegerType);

  private static final int LAKE_REQUIRED = 5;

  /**
   * The lake's events of the partitions {@code from} .. {@code to} (both included; missing or empty
   * partitions are skipped, none at all gives an empty Dataset) with the {@link #LAKE} columns. A
   * required column the lake lacks is a {@link BadInputException}; an optional one (an older lake)
   * reads as null.
   */
  public static Dataset<Row> lake(SparkSession spark, String dir, LocalDate from, LocalDate to) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Lake lake = Lake.open(dir, hadoop);
    List<String> partitions = new ArrayList<>();
    Path first = null;
    try {
      FileSystem fs = lake.events().getFileSystem(hadoop);
      for (LocalDate d : lake.dates().subSet(from, true, to, true)) {
        Path p = new Path(lake.events(), "date=" + d);
        Path file = firstDataFile(fs, p);
        if (file != null) {
          partitions.add(p.toString());
        }
        if (first == null && file != null && file.getName().endsWith(".parquet")) {
          first = file;
        }
      }
    } catch (IOException e) {
      throw new BadInputException("cannot list the event lake at " + dir + ": " + e, e);
    }
    if (partitions.isEmpty()) {
      return empty(spark, LAKE);
    }
    Dataset<Row> raw =
        first == null
            ? Lake.read(spark, partitions)
            : Lake.read(spark, partitions, parquetSchema(spark, first, hadoop));
    List<String> present = Arrays.asList(raw.schema().fieldNames());
    List<Column> cols = new ArrayList<>();
    StructField[] fields = LAKE.fields();
    for (int i = 0; i < fields.length; i++) {
      StructField f = fields[i];
      if (!present.contains(f.name())) {
        if (i < LAKE_REQUIRED) {
          throw new BadInputException(
              "event lake "
                  + lake.events()
                  + ": missing column "
                  + f.name()
                  + " (columns: "
                  + String.join(", ", raw.schema().fieldNames())
                  + ")");
        }
        cols.add(lit(null).cast(f.dataType()).as(f.name()));
        continue;
      }
      DataType t = raw.schema().apply(f.name()).dataType();
      boolean ok =
          f.dataType() == DataTypes.TimestampType
              ? accepts(Kind.TIME, t)
              : f.dataType() == DataTypes.StringType
                  ? t == DataTypes.StringType
                  : t instanceof NumericType;
      if (!ok) {
        throw new BadInputException(
            "event lake "
                + lake.events()
                + ": column "
                + f.name()
                + " has type "
                + t.simpleString()
                + ", expected "
                + f.dataType().simpleString());
      }
      Column c = col(f.name());
      if (f.dataType() == DataTypes.TimestampType && t instanceof NumericType) {
        c = timestamp_millis(c.cast(DataTypes.LongType));
      }
      cols.add(c.cast(f.dataType()).as(f.name()));
    }
    return raw.select(cols.toArray(Column[]::new));
  }
}
