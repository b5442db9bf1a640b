package io.kefu.batch;

import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession for the whole test JVM (starting Spark costs seconds): two shuffle
 * partitions, no UI, loopback only. Commands under test join it instead of starting their own.
 */
public final class TestSpark {
  private TestSpark() {}

  private static SparkSession spark;

  public static synchronized SparkSession session() {
    if (spark == null) {
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("kefu-batch-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MILLIS")
              .getOrCreate();
    }
    return spark;
  }
}
