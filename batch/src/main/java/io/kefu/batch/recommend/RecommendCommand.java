package io.kefu.batch.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kefu.batch.BadInputException;
import io.kefu.batch.Sessions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kefu batch recommend}: implicit ALS top-N per customer, optionally evaluated. */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    description = {
      "Trains implicit-feedback ALS on an interactions file (CSV user,item,weight,timestamp or"
          + " Parquet with those columns; optional category) and writes the top K items per user,"
          + " without what the user bought, to OUT/recommendations/ (Parquet, the columns of"
          + " Recommendation). Users with fewer than --min-interactions items get the most popular"
          + " items of their segment (their most frequent category).",
      "--evaluate first holds out a test set (--split, --test-fraction), trains on the rest and"
          + " compares ALS with the popularity baseline: precision@K, recall@K, NDCG@K, MAP@K and"
          + " catalogue coverage, printed and written as JSON (OUT/metrics.json and --metrics-out).",
      "With --jdbc also writes PostgreSQL table recommendations (created when missing): the lists"
          + " of this run's users replace theirs, other users' rows stay.",
      "Exit code 2: a missing file or column, a value of the wrong type, a bad option."
    })
public final class RecommendCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--interactions",
      required = true,
      paramLabel = "FILE",
      description =
          "CSV with the header user,item,weight,timestamp, or Parquet; see kefu batch interactions.")
  String interactions;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(
      names = "--k",
      defaultValue = "10",
      paramLabel = "K",
      description = "Items per user (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--evaluate",
      description = "Evaluate against the popularity baseline on a held-out split.")
  boolean evaluate;

  @Option(
      names = "--split",
      defaultValue = "time",
      paramLabel = "time|random-per-user",
      description =
          "time: the latest interactions are the test set; random-per-user: a share of each user's (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(
      names = "--test-fraction",
      defaultValue = "0.25",
      paramLabel = "F",
      description = "Share held out for the test set (default: ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(
      names = "--metrics-out",
      paramLabel = "FILE",
      description = "Also write the metrics JSON here.")
  String metricsOut;

  @Option(
      names = "--purchase-weight",
      defaultValue = "3.0",
      paramLabel = "W",
      description =
          "Interactions with at least this weight are purchases: never recommended again, and what the evaluation counts as a hit (default: ${DEFAULT-VALUE}, as kefu batch interactions writes).")
  double purchaseWeight;

  @Option(
      names = "--view-weight",
      defaultValue = "1.0",
      paramLabel = "W",
      description =
          "Weight of a view in the file (default: ${DEFAULT-VALUE}); with --purchase-weight it only checks that purchases weigh more.")
  double viewWeight;

  @Option(
      names = "--rank",
      defaultValue = "32",
      paramLabel = "N",
      description = "ALS rank (default: ${DEFAULT-VALUE}).")
  int rank;

  @Option(
      names = "--iterations",
      defaultValue = "12",
      paramLabel = "N",
      description = "ALS iterations (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(
      names = "--reg",
      defaultValue = "0.05",
      paramLabel = "X",
      description = "ALS regularisation (default: ${DEFAULT-VALUE}).")
  double reg;

  @Option(
      names = "--alpha",
      defaultValue = "4.0",
      paramLabel = "X",
      description = "ALS implicit confidence 1 + alpha * weight (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(
      names = "--min-interactions",
      defaultValue = "2",
      paramLabel = "N",
      description =
          "Fewer distinct items than this: popularity-in-segment instead of ALS (default: ${DEFAULT-VALUE}).")
  int minInteractions;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "Seed of ALS and the random split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--jdbc",
      paramLabel = "URL",
      description = "PostgreSQL JDBC URL (with user and password) for table recommendations.")
  String jdbc;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master; default: spark.master when submitted with spark-submit, else local[*].")
  String master;

  @Override
  public Integer call() throws IOException {
    long started = System.nanoTime();
    PrintWriter stdout = spec.commandLine().getOut();
    checkOptions();
    RecommendJob.Settings s =
        new RecommendJob.Settings(
            k, rank, iterations, reg, alpha, purchaseWeight, minInteractions, seed);
    // milliseconds: what the Parquet output (timestamp-millis) and the table both hold exactly
    Instant generatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (Sessions.Handle session = Sessions.open("kefu batch recommend", master)) {
      SparkSession spark = session.spark();
      Dataset<Row> all =
          Interactions.read(spark, interactions).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long rows = all.count();
        stdout.printf("kefu batch recommend: %,d interactions from %s%n", rows, interactions);
        stdout.flush();
        ObjectNode json = null;
        if (evaluate) {
          json = evaluate(stdout, all, s);
        }
        long t0 = System.nanoTime();
        Dataset<Row> users = all.select("user").distinct();
        Dataset<Row> lists;
        if (rows == 0) {
          lists =
              spark
                  .createDataFrame(java.util.List.of(), RecommendJob.LIST)
                  .withColumn("source", lit("ALS"));
        } else {
          RecommendJob.Model model = RecommendJob.train(all, s);
          lists = RecommendJob.recommend(model, all, users, s);
        }
        String dir = new Path(out, "recommendations").toString();
        lists
            .select(
                col("user").as("customer_pseudonym"),
                col("rank"),
                col("item").as("item_id"),
                col("score"),
                col("source"),
                lit(s.modelVersion()).as("model_version"),
                lit(Timestamp.from(generatedAt)).as("generated_at"))
            .write()
            .mode(SaveMode.Overwrite)
            .parquet(dir);
        Row counts =
            spark
                .read()
                .parquet(dir)
                .selectExpr(
                    "count(distinct customer_pseudonym)",
                    "count(*)",
                    "count_if(source = 'POPULARITY_FALLBACK')")
                .first();
        stdout.printf(
            "Trained on all %,d interactions and wrote %,d recommendations for %,d users (%,d from"
                + " the popularity fallback) to %s in %.1f s%n",
            rows,
            counts.getLong(1),
            counts.getLong(0),
            counts.getLong(2),
            dir,
            (System.nanoTime() - t0) / 1e9);
        if (jdbc != null) {
          // from the Parquet just written: the table holds exactly those rows
          long stored =
              RecommendationStore.write(
                  spark.read().parquet(dir),
                  users.select(col("user").as("customer_pseudonym")),
                  jdbc);
          stdout.printf(
              "Wrote %,d rows to table recommendations (the lists of this run's %,d users"
                  + " replaced)%n",
              stored, users.count());
        }
        if (json != null) {
          json.put("train_all_seconds", round((System.nanoTime() - t0) / 1e9));
          String text =
              new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json)
                  + "\n";
          write(spark, new Path(out, "metrics.json"), text);
          if (metricsOut != null) {
            write(spark, new Path(metricsOut), text);
          }
        }
        stdout.printf("Done in %.1f s%n", (System.nanoTime() - started) / 1e9);
        stdout.flush();
      } finally {
        all.unpersist();
      }
    }
    return 0;
  }

  private ObjectNode evaluate(PrintWriter stdout, Dataset<Row> all, RecommendJob.Settings s) {
    long t0 = System.nanoTime();
    RecommendJob.Split parts =
        split.equals("time")
            ? RecommendJob.byTime(all, testFraction)
            : RecommendJob.randomPerUser(all, testFraction, seed);
    Dataset<Row> train = parts.train().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> test = parts.test();
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("k", k);
    json.put("split", split);
    json.put("test_fraction", testFraction);
    json.put("model_version", s.modelVersion());
    try {
      long trainRows = train.count();
      Dataset<Row> relevant =
          RecommendJob.relevant(train, test, purchaseWeight)
              .persist(StorageLevel.MEMORY_AND_DISK());
      long users = relevant.count();
      json.put("train_interactions", trainRows);
      json.put("evaluated_users", users);
      if (trainRows == 0 || users == 0) {
        stdout.printf(
            "Evaluation: nothing to evaluate (%,d training interactions, %,d test users with a"
                + " purchase)%n",
            trainRows, users);
        json.putNull("als");
        json.putNull("popularity");
        relevant.unpersist();
        return json;
      }
      long t1 = System.nanoTime();
      RecommendJob.Model model = RecommendJob.train(train, s);
      double trainSeconds = (System.nanoTime() - t1) / 1e9;
      long catalogue = model.catalogueSize();
      Dataset<Row> evalUsers = relevant.select("user");
      RecommendJob.Metrics als =
          RecommendJob.evaluate(
              RecommendJob.recommend(model, train, evalUsers, s), relevant, k, catalogue);
      RecommendJob.Metrics pop =
          RecommendJob.evaluate(
              RecommendJob.popularityBaseline(train, evalUsers, s), relevant, k, catalogue);
      relevant.unpersist();
      json.put("catalogue", catalogue);
      json.set("als", metrics(als));
      json.set("popularity", metrics(pop));
      json.put("als_train_seconds", round(trainSeconds));
      json.put("evaluate_seconds", round((System.nanoTime() - t0) / 1e9));
      stdout.printf(
          "Evaluation (%s split, test fraction %s): %,d training interactions, %,d users with a"
              + " purchase to find, catalogue %,d items%n",
          split, testFraction, trainRows, users, catalogue);
      stdout.print(table(k, als, pop));
      stdout.flush();
      return json;
    } finally {
      train.unpersist();
    }
  }

  static String table(int k, RecommendJob.Metrics als, RecommendJob.Metrics pop) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-11s %12s %10s %8s %8s %9s %8s%n",
            "model",
            "precision@" + k,
            "recall@" + k,
            "ndcg@" + k,
            "map@" + k,
            "coverage",
            "users"));
    for (var e : new Object[][] {{"als", als}, {"popularity", pop}}) {
      RecommendJob.Metrics m = (RecommendJob.Metrics) e[1];
      sb.append(
          String.format(
              Locale.ROOT,
              "%-11s %12.4f %10.4f %8.4f %8.4f %9.4f %,8d%n",
              e[0],
              m.precision(),
              m.recall(),
              m.ndcg(),
              m.map(),
              m.coverage(),
              m.users()));
    }
    return sb.toString();
  }

  static ObjectNode metrics(RecommendJob.Metrics m) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    put(n, "precision_at_k", m.precision());
    put(n, "recall_at_k", m.recall());
    put(n, "ndcg_at_k", m.ndcg());
    put(n, "map_at_k", m.map());
    put(n, "coverage", m.coverage());
    n.put("users", m.users());
    return n;
  }

  /** NaN (nothing to measure) as JSON null. */
  private static void put(ObjectNode n, String key, double x) {
    if (Double.isNaN(x)) {
      n.putNull(key);
    } else {
      n.put(key, round(x));
    }
  }

  private static double round(double x) {
    return Double.isNaN(x) ? x : Math.round(x * 1e6) / 1e6;
  }

  private void checkOptions() {
    if (k < 1) {
      throw new BadInputException("--k must be at least 1, got " + k);
    }
    if (!split.equals("time") && !split.equals("random-per-user")) {
      throw new BadInputException("--split must be time or random-per-user, got " + split);
    }
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new BadInputException("--test-fraction must be in (0, 1), got " + testFraction);
    }
    if (!(purchaseWeight > viewWeight)) {
      throw new BadInputException(
          "--purchase-weight " + purchaseWeight + " must exceed --view-weight " + viewWeight);
    }
    if (rank < 1 || iterations < 1 || reg < 0 || alpha < 0) {
      throw new BadInputException("ALS settings must be positive");
    }
  }

  private static void write(SparkSession spark, Path path, String text) throws IOException {
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    FileSystem target = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    try (OutputStream o = target.create(path, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
