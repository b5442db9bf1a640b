package io.kefu.batch;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a command. Under {@code spark-submit} the master and every setting come from
 * the submission ({@code spark.*} system properties); run directly, Spark runs in process on {@code
 * local[*]} unless {@code --master} says otherwise.
 */
public final class Sessions {
  private Sessions() {}

  /** Session and whether this call started it (and so should stop it). */
  public record Handle(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }

  /**
   * Joins the running session (a test's, a notebook's) or starts one. {@code master} overrides
   * {@code spark.master}; null keeps a submitted master and falls back to {@code local[*]}.
   */
  public static Handle open(String appName, String master) {
    if (SparkSession.getActiveSession().isDefined()) {
      return new Handle(SparkSession.getActiveSession().get(), false);
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      return new Handle(SparkSession.getDefaultSession().get(), false);
    }
    SparkConf conf = new SparkConf(); // reads the spark.* system properties spark-submit sets
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    if (conf.get("spark.master").startsWith("local")) {
      // One process on one machine: no web UI to bind, fewer shuffle partitions.
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing(
          "spark.sql.shuffle.partitions",
          String.valueOf(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())));
    }
    // Timestamps in our Parquet outputs as in the lake (Avro timestamp-millis), not legacy INT96.
    conf.setIfMissing("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MILLIS");
    conf.setAppName(appName);
    return new Handle(SparkSession.builder().config(conf).getOrCreate(), true);
  }
}
