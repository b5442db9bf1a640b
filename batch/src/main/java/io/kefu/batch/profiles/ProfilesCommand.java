package io.kefu.batch.profiles;

import static org.apache.spark.sql.functions.col;

import io.kefu.batch.BadInputException;
import io.kefu.batch.Sessions;
import java.io.PrintWriter;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kefu batch profiles}: one profile row per customer pseudonym for a snapshot date. */
@Command(
    name = "profiles",
    mixinStandardHelpOptions = true,
    description = {
      "Builds one profile per customer pseudonym as of the end of a day: contacts, channels,"
          + " CSAT, sentiment and its trend, complaints, repeat contacts, resolution rate (the"
          + " conversations that started in the 90 days before), orders RFM with segment and value"
          + " tier, top categories, churn risk with its reasons, preferred language.",
      "Writes OUT/profiles/ (Parquet, the columns of CustomerProfile) and, with --jdbc, upserts"
          + " PostgreSQL table customer_profiles (created when missing).",
      "Exit code 2: a missing lake or file, a missing column or a column of the wrong type."
    })
public final class ProfilesCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--lake",
      required = true,
      paramLabel = "DIR",
      description =
          "Event lake written by kefu kpis/stream --lake (DIR/events/date=.../tenant=...).")
  String lake;

  @Option(
      names = "--orders",
      paramLabel = "FILE",
      description =
          "Order lines (OrderLine): JSON lines or Parquet, e.g. kefu simulate's orders.jsonl.")
  String orders;

  @Option(
      names = "--browsing",
      paramLabel = "FILE",
      description = "Browsing events (BrowsingEvent): JSON lines or Parquet.")
  String browsing;

  @Option(
      names = "--as-of",
      required = true,
      paramLabel = "YYYY-MM-DD",
      description = "Snapshot date: everything up to the end of this day in --zone.")
  LocalDate asOf;

  @Option(
      names = "--zone",
      defaultValue = "Asia/Shanghai",
      paramLabel = "ZONE",
      description = "Zone of the day boundaries (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(
      names = "--jdbc",
      paramLabel = "URL",
      description = "PostgreSQL JDBC URL (with user and password) for table customer_profiles.")
  String jdbc;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master; default: spark.master when submitted with spark-submit, else local[*].")
  String master;

  @Option(
      names = "--bench-runs",
      hidden = true,
      defaultValue = "1",
      paramLabel = "N",
      description =
          "Runs the job N times in one Spark application and prints each later run's time"
              + " (bench/batch.sh: the steady-state figure of a driver that stays up).")
  int benchRuns;

  /** The inputs of one run, counted for the summary after the profiles are written. */
  private record Run(Dataset<Row> events, Dataset<Row> lines, Dataset<Row> views) {}

  @Override
  public Integer call() {
    long started = System.nanoTime();
    PrintWriter stdout = spec.commandLine().getOut();
    ProfileJob.AsOf snapshot = new ProfileJob.AsOf(asOf, zone(zone));
    Instant loadedAt = Instant.now();
    String dir = new Path(out, "profiles").toString();
    try (Sessions.Handle session = Sessions.open("kefu batch profiles " + asOf, master)) {
      SparkSession spark = session.spark();
      Run run = writeProfiles(spark, snapshot, dir);
      double seconds = (System.nanoTime() - started) / 1e9;
      List<Double> later = new ArrayList<>();
      for (int i = 1; i < benchRuns; i++) {
        long t = System.nanoTime();
        writeProfiles(spark, snapshot, dir);
        later.add((System.nanoTime() - t) / 1e9);
      }
      // Everything after this reads the written profiles back. Parquet row counts come from the
      // footers; JSON inputs are read once more.
      Dataset<Row> profiles = Inputs.parquet(spark, dir);
      long rows = Inputs.count(spark, profiles);
      long eventCount = Inputs.count(spark, run.events());
      long lineCount = Inputs.count(spark, run.lines());
      long viewCount = Inputs.count(spark, run.views());
      stdout.printf(
          "kefu batch profiles: %,d profiles as of %s (%s) from %,d lake events, %,d order lines"
              + " and %,d browsing events in %.1f s%n",
          rows, asOf, snapshot.zone(), eventCount, lineCount, viewCount, seconds);
      for (int i = 0; i < later.size(); i++) {
        stdout.printf(
            "kefu batch profiles: run %d of %d in the same Spark application in %.1f s%n",
            i + 2, benchRuns, later.get(i));
      }
      stdout.printf("Wrote %s (Parquet)%n", dir);
      if (jdbc != null) {
        long stored = ProfileStore.write(profiles, jdbc, asOf, Timestamp.from(loadedAt));
        stdout.printf("Upserted customer_profiles: %,d rows for %s%n", stored, asOf);
      }
      printSegments(stdout, profiles);
      stdout.flush();
    }
    return 0;
  }

  /** Reads the inputs, builds the profiles and writes them to {@code dir}. */
  private Run writeProfiles(SparkSession spark, ProfileJob.AsOf snapshot, String dir) {
    // Conversations that started in the 90 days before the snapshot; a day either side of the
    // window because the lake's partitions may be days of another zone.
    Dataset<Row> events = Inputs.lake(spark, lake, asOf.minusDays(91), asOf.plusDays(1));
    Dataset<Row> lines = Inputs.orders(spark, orders);
    Dataset<Row> views = Inputs.browsing(spark, browsing);
    // The RFM quintiles and the scoring both read the per-customer figures: kept as the Java
    // objects the fold made (a Dataset cache would encode them into columns and back).
    JavaRDD<CustomerAggregate> kept =
        ProfileJob.aggregates(events, lines, views, snapshot)
            .javaRDD()
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> customers =
          ProfileJob.rows(spark.createDataset(kept.rdd(), Encoders.bean(CustomerAggregate.class)));
      ProfileJob.score(customers, ProfileJob.quintiles(kept), snapshot)
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(dir);
    } finally {
      kept.unpersist();
    }
    return new Run(events, lines, views);
  }

  private static void printSegments(PrintWriter out, Dataset<Row> profiles) {
    out.println("RFM segment            customers");
    for (Row r :
        profiles.groupBy("rfm_segment").count().orderBy(col("count").desc()).collectAsList()) {
      out.printf("%-22s %,9d%n", r.isNullAt(0) ? "(no orders)" : r.getString(0), r.getLong(1));
    }
  }

  static ZoneId zone(String zone) {
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new BadInputException("--zone " + zone + ": " + e.getMessage(), e);
    }
  }
}
