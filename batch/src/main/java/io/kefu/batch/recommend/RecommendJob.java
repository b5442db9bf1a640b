package io.kefu.batch.recommend;

import static io.kefu.batch.recommend.Interactions.seq;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mode;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The transformations of {@code kefu batch recommend} on {@link Interactions#SCHEMA} Datasets:
 * train/test splits, implicit-feedback ALS, popularity in a segment, top-k lists without what the
 * user already bought, and ranking metrics. {@link RecommendCommand} reads and writes.
 *
 * <p>A user's <em>segment</em> is the most frequent category of their interactions (ties to the
 * first name), or {@link #ALL} when the interactions carry no category. Users with fewer than
 * {@link Settings#minInteractions} distinct items — too little for a collaborative model — and
 * users the model has not seen get the most popular items of their segment instead (source
 * POPULARITY_FALLBACK); a user without a segment gets the overall most popular ones.
 */
public final class RecommendJob {
  private RecommendJob() {}

  /** The segment of users without a category, and the overall popularity list. */
  public static final String ALL = "(all)";

  /** Model and list settings. */
  public record Settings(
      int k,
      int rank,
      int maxIter,
      double regParam,
      double alpha,
      double purchaseWeight,
      int minInteractions,
      long seed) {

    public static Settings defaults() {
      return new Settings(10, 32, 12, 0.05, 4.0, 3.0, 2, 42L);
    }

    public Settings withK(int newK) {
      return new Settings(
          newK, rank, maxIter, regParam, alpha, purchaseWeight, minInteractions, seed);
    }

    public String modelVersion() {
      return String.format(
          "als-implicit rank=%d iter=%d reg=%s alpha=%s", rank, maxIter, regParam, alpha);
    }
  }

  /** A train/test split of interactions. */
  public record Split(Dataset<Row> train, Dataset<Row> test) {}

  /**
   * Time split: the interactions after the (1 − {@code fraction}) quantile of the timestamps are
   * the test set, those at or before it the training set.
   */
  public static Split byTime(Dataset<Row> interactions, double fraction) {
    double[] cut =
        interactions
            .select(unix_millis(col("timestamp")).cast("double").as("t"))
            .stat()
            .approxQuantile("t", new double[] {1 - fraction}, 0.0001);
    if (cut.length == 0 || Double.isNaN(cut[0])) {
      return new Split(interactions, interactions.limit(0));
    }
    Column t = unix_millis(col("timestamp"));
    return new Split(
        interactions.where(t.leq(lit((long) cut[0]))),
        interactions.where(t.gt(lit((long) cut[0]))));
  }

  /**
   * Random per-user split: of each user's n interactions (n ≥ 2), max(1, round(fraction · n)) but
   * at most n − 1 are held out, chosen by a seeded hash of the interaction; users with one
   * interaction stay in training.
   */
  public static Split randomPerUser(Dataset<Row> interactions, double fraction, long seed) {
    Column order = xxhash64(lit(seed), col("user"), col("item"), col("timestamp"), col("weight"));
    Dataset<Row> ranked =
        interactions
            .withColumn("_h", order)
            .withColumn(
                "_rn",
                row_number().over(Window.partitionBy("user").orderBy(col("_h"), col("item"))))
            .withColumn("_n", count(lit(1)).over(Window.partitionBy("user")));
    Column held =
        when(col("_n").lt(2), 0)
            .otherwise(
                least(
                    col("_n").minus(1),
                    greatest(lit(1), round(col("_n").multiply(fraction)).cast("long"))));
    Dataset<Row> marked = ranked.withColumn("_test", col("_rn").leq(held)).drop("_h", "_rn", "_n");
    return new Split(
        marked.where(not(col("_test"))).drop("_test"), marked.where(col("_test")).drop("_test"));
  }

  /** Distinct (user, item) the user bought: interactions with weight ≥ the purchase weight. */
  public static Dataset<Row> bought(Dataset<Row> interactions, double purchaseWeight) {
    return interactions.where(col("weight").geq(purchaseWeight)).select("user", "item").distinct();
  }

  /** (user, segment): the user's most frequent category, {@link #ALL} without one. */
  public static Dataset<Row> segments(Dataset<Row> interactions) {
    return interactions
        .groupBy("user")
        .agg(coalesce(mode(col("category"), true), lit(ALL)).as("segment"));
  }

  /** (user, interactions): distinct items per user. */
  public static Dataset<Row> activity(Dataset<Row> interactions) {
    return interactions.groupBy("user").agg(count_distinct(col("item")).as("items"));
  }

  /**
   * (segment, item, score, pos): per segment its {@code depth} most popular items by the summed
   * weight of its users' interactions (ties by item), pos 1 = most popular; plus the overall list
   * as segment {@link #ALL}.
   */
  public static Dataset<Row> popularity(Dataset<Row> interactions, int depth) {
    Dataset<Row> withSegment =
        interactions.join(segments(interactions), "user").select("segment", "item", "weight");
    Dataset<Row> bySegment =
        withSegment
            .where(col("segment").notEqual(ALL))
            .groupBy("segment", "item")
            .agg(sum("weight").as("score"));
    Dataset<Row> overall =
        interactions.groupBy("item").agg(sum("weight").as("score")).withColumn("segment", lit(ALL));
    return bySegment
        .unionByName(overall)
        .withColumn(
            "pos",
            row_number()
                .over(Window.partitionBy("segment").orderBy(col("score").desc(), col("item"))))
        .where(col("pos").leq(depth));
  }

  /**
   * Top-k popular items for each of {@code users} (user, segment; null or unknown segment: the
   * overall list), without what each bought: (user, rank, item, score).
   */
  public static Dataset<Row> popularFor(
      Dataset<Row> users, Dataset<Row> popularity, Dataset<Row> bought, int k) {
    Dataset<Row> known = popularity.select("segment").distinct();
    Dataset<Row> u =
        users
            .select(col("user"), col("segment"))
            .join(known.withColumn("_known", lit(true)), seq("segment"), "left")
            .select(
                col("user"), when(col("_known"), col("segment")).otherwise(lit(ALL)).as("segment"));
    return top(
        u.join(popularity, "segment").select(col("user"), col("item"), col("score")), bought, k);
  }

  /** The best k (user, item, score) per user, without bought items: (user, rank, item, score). */
  static Dataset<Row> top(Dataset<Row> candidates, Dataset<Row> bought, int k) {
    return candidates
        .join(bought, seq("user", "item"), "left_anti")
        .withColumn(
            "rank",
            row_number().over(Window.partitionBy("user").orderBy(col("score").desc(), col("item"))))
        .where(col("rank").leq(k))
        .select(col("user"), col("rank").cast("int").as("rank"), col("item"), col("score"));
  }

  /** A trained model and the id mappings it needs. */
  public record Model(ALSModel als, StringIndexerModel users, StringIndexerModel items) {
    public long catalogueSize() {
      return items.labelsArray()[0].length;
    }
  }

  /** Implicit-feedback ALS on the summed weight of each (user, item). */
  public static Model train(Dataset<Row> interactions, Settings s) {
    Dataset<Row> ratings = interactions.groupBy("user", "item").agg(sum("weight").as("rating"));
    StringIndexerModel users =
        new StringIndexer()
            .setInputCol("user")
            .setOutputCol("u")
            .setHandleInvalid("skip")
            .setStringOrderType("alphabetAsc")
            .fit(ratings);
    StringIndexerModel items =
        new StringIndexer()
            .setInputCol("item")
            .setOutputCol("i")
            .setHandleInvalid("skip")
            .setStringOrderType("alphabetAsc")
            .fit(ratings);
    Dataset<Row> indexed =
        items
            .transform(users.transform(ratings))
            .select(
                col("u").cast("int").as("u"),
                col("i").cast("int").as("i"),
                col("rating").cast("float").as("rating"));
    // One block per core: ALS's default of 10 user and 10 item blocks multiplies tasks (and
    // their overhead) on a small local run without using more cores.
    int blocks = Math.max(1, interactions.sparkSession().sparkContext().defaultParallelism());
    ALSModel als =
        new ALS()
            .setNumUserBlocks(blocks)
            .setNumItemBlocks(blocks)
            .setImplicitPrefs(true)
            .setRank(s.rank())
            .setMaxIter(s.maxIter())
            .setRegParam(s.regParam())
            .setAlpha(s.alpha())
            .setUserCol("u")
            .setItemCol("i")
            .setRatingCol("rating")
            .setSeed(s.seed())
            .setColdStartStrategy("drop")
            .fit(indexed);
    return new Model(als, users, items);
  }

  /**
   * ALS top-k for {@code users} (a {@code user} column) the model knows, without bought items:
   * (user, rank, item, score). Asks the model for k + the most any user bought, so that k remain.
   */
  public static Dataset<Row> alsFor(Model model, Dataset<Row> users, Dataset<Row> bought, int k) {
    SparkSession spark = users.sparkSession();
    Row most = bought.groupBy("user").count().agg(max("count")).first();
    int extra = most.isNullAt(0) ? 0 : (int) Math.min(500, most.getLong(0));
    int n = (int) Math.min(model.catalogueSize(), k + extra);
    if (n == 0) {
      return spark.createDataFrame(List.of(), LIST);
    }
    Dataset<Row> indexed =
        model
            .users()
            .transform(users.select("user").distinct())
            .select(col("u").cast("int").as("u"), col("user"));
    Dataset<Row> recs = model.als().recommendForUserSubset(indexed, n);
    String[] labels = model.items().labelsArray()[0];
    List<Row> labelRows = new ArrayList<>(labels.length);
    for (int i = 0; i < labels.length; i++) {
      labelRows.add(RowFactory.create(i, labels[i]));
    }
    Dataset<Row> itemIds =
        spark.createDataFrame(
            labelRows,
            new StructType().add("i", DataTypes.IntegerType).add("item", DataTypes.StringType));
    Dataset<Row> candidates =
        recs.select(col("u"), posexplode(col("recommendations")).as(new String[] {"p", "r"}))
            .select(col("u"), col("r.i").as("i"), col("r.rating").cast("double").as("score"))
            .join(broadcast(itemIds), "i")
            .join(indexed, "u")
            .select("user", "item", "score");
    return top(candidates, bought, k);
  }

  /** Columns of a list: (user, rank, item, score). */
  public static final StructType LIST =
      new StructType()
          .add("user", DataTypes.StringType)
          .add("rank", DataTypes.IntegerType)
          .add("item", DataTypes.StringType)
          .add("score", DataTypes.DoubleType);

  /**
   * Top-k for {@code users} (a {@code user} column) from {@code train}: ALS for users with at least
   * {@code minInteractions} distinct items in {@code train}, popularity in their segment for the
   * others. (user, rank, item, score, source) with source ALS or POPULARITY_FALLBACK.
   */
  public static Dataset<Row> recommend(
      Model model, Dataset<Row> train, Dataset<Row> users, Settings s) {
    Dataset<Row> bought = bought(train, s.purchaseWeight());
    Dataset<Row> targets =
        users
            .select("user")
            .distinct()
            .join(activity(train), seq("user"), "left")
            .join(segments(train), seq("user"), "left");
    Column warm = coalesce(col("items"), lit(0L)).geq(s.minInteractions());
    Dataset<Row> forAls = targets.where(warm).select("user");
    Dataset<Row> als = alsFor(model, forAls, bought, s.k()).withColumn("source", lit("ALS"));
    // Warm users have interactions in train, so the model has factors for all of them.
    Dataset<Row> cold = targets.where(not(warm));
    Dataset<Row> fallback =
        popularFor(cold, popularity(train, s.k() + 50), bought, s.k())
            .withColumn("source", lit("POPULARITY_FALLBACK"));
    return als.unionByName(fallback);
  }

  /** The popularity baseline: every user gets the top-k of their segment. */
  public static Dataset<Row> popularityBaseline(
      Dataset<Row> train, Dataset<Row> users, Settings s) {
    Dataset<Row> targets =
        users.select("user").distinct().join(segments(train), seq("user"), "left");
    return popularFor(
        targets, popularity(train, s.k() + 50), bought(train, s.purchaseWeight()), s.k());
  }

  /**
   * (user, relevant): the items each user bought in {@code test} and had not bought in {@code
   * train} (those are never recommended); users without any are left out.
   */
  public static Dataset<Row> relevant(
      Dataset<Row> train, Dataset<Row> test, double purchaseWeight) {
    return bought(test, purchaseWeight)
        .join(bought(train, purchaseWeight), seq("user", "item"), "left_anti")
        .groupBy("user")
        .agg(array_sort(collect_set("item")).as("relevant"));
  }

  /** Mean metrics of a system over the evaluated users. */
  public record Metrics(
      double precision, double recall, double ndcg, double map, double coverage, long users) {}

  /**
   * Averages {@link RankingMetrics} over the users of {@code relevant} (a user without a list
   * scores 0); coverage = distinct items in their lists / {@code catalogueSize}.
   */
  public static Metrics evaluate(
      Dataset<Row> allLists, Dataset<Row> relevant, int k, long catalogueSize) {
    Dataset<Row> lists = allLists.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return evaluatePersisted(lists, relevant, k, catalogueSize);
    } finally {
      lists.unpersist();
    }
  }

  private static Metrics evaluatePersisted(
      Dataset<Row> lists, Dataset<Row> relevant, int k, long catalogueSize) {
    Dataset<Row> ranked =
        lists
            .groupBy("user")
            .agg(
                array_sort(collect_list(struct(col("rank"), col("item"))))
                    .getField("item")
                    .as("recs"));
    Dataset<Row> joined = relevant.join(ranked, seq("user"), "left");
    StructType perUser =
        new StructType()
            .add("p", DataTypes.DoubleType)
            .add("r", DataTypes.DoubleType)
            .add("n", DataTypes.DoubleType)
            .add("a", DataTypes.DoubleType);
    Dataset<Row> scores =
        joined.map(
            (MapFunction<Row, Row>)
                row -> {
                  List<String> recs =
                      row.isNullAt(row.fieldIndex("recs"))
                          ? List.of()
                          : row.getList(row.fieldIndex("recs"));
                  Set<String> rel = new HashSet<>(row.<String>getList(row.fieldIndex("relevant")));
                  return RowFactory.create(
                      RankingMetrics.precisionAtK(recs, rel, k),
                      RankingMetrics.recallAtK(recs, rel, k),
                      RankingMetrics.ndcgAtK(recs, rel, k),
                      RankingMetrics.averagePrecisionAtK(recs, rel, k));
                },
            Encoders.row(perUser));
    Row mean = scores.agg(avg("p"), avg("r"), avg("n"), avg("a"), count(lit(1))).first();
    long distinct = lists.join(relevant.select("user"), "user").select("item").distinct().count();
    return new Metrics(
        mean.isNullAt(0) ? Double.NaN : mean.getDouble(0),
        mean.isNullAt(1) ? Double.NaN : mean.getDouble(1),
        mean.isNullAt(2) ? Double.NaN : mean.getDouble(2),
        mean.isNullAt(3) ? Double.NaN : mean.getDouble(3),
        catalogueSize == 0 ? Double.NaN : distinct / (double) catalogueSize,
        mean.getLong(4));
  }
}
