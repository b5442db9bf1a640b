package io.kefu.batch.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.TestSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class RecommendJobTest {

  static final SparkSession SPARK = TestSpark.session();

  static Row i(String user, String item, double weight, long second, String category) {
    return RowFactory.create(user, item, weight, new Timestamp(second * 1000), category);
  }

  static Dataset<Row> interactions(List<Row> rows) {
    return SPARK.createDataFrame(rows, Interactions.SCHEMA);
  }

  /** user → items in rank order. */
  static Map<String, List<String>> lists(Dataset<Row> lists) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Row r : lists.orderBy("user", "rank").collectAsList()) {
      out.computeIfAbsent(r.getAs("user"), u -> new ArrayList<>()).add(r.getAs("item"));
    }
    return out;
  }

  @Test
  void timeSplitHoldsOutTheLatestShare() {
    List<Row> rows = new ArrayList<>();
    for (int s = 1; s <= 8; s++) {
      rows.add(i("u" + (s % 3), "p" + s, 1, s, null));
    }
    RecommendJob.Split split = RecommendJob.byTime(interactions(rows), 0.25);
    assertEquals(6, split.train().count());
    Set<String> test = new HashSet<>();
    split.test().collectAsList().forEach(r -> test.add(r.getAs("item")));
    assertEquals(Set.of("p7", "p8"), test);
  }

  @Test
  void randomPerUserHoldsOutAShareOfEachUser() {
    List<Row> rows = new ArrayList<>();
    rows.add(i("one", "p1", 3, 1, null)); // a single interaction stays in training
    for (int s = 1; s <= 2; s++) {
      rows.add(i("two", "p" + s, 3, s, null)); // max(1, round(0.5)) = 1 held out
    }
    for (int s = 1; s <= 8; s++) {
      rows.add(i("eight", "p" + s, 3, s, null)); // round(2.0) = 2
    }
    Dataset<Row> all = interactions(rows);
    RecommendJob.Split split = RecommendJob.randomPerUser(all, 0.25, 7);
    Map<String, Long> held = new TreeMap<>();
    split
        .test()
        .groupBy("user")
        .count()
        .collectAsList()
        .forEach(r -> held.put(r.getString(0), r.getLong(1)));
    assertEquals(Map.of("two", 1L, "eight", 2L), held);
    assertEquals(11 - 3, split.train().count());
    // the same seed gives the same split
    assertEquals(
        split.test().orderBy("user", "item").collectAsList(),
        RecommendJob.randomPerUser(all, 0.25, 7).test().orderBy("user", "item").collectAsList());
  }

  @Test
  void popularityInSegmentWithoutBoughtItems() {
    Dataset<Row> train =
        interactions(
            List.of(
                i("a", "book-1", 3, 1, "books"),
                i("a", "book-2", 1, 2, "books"),
                i("b", "book-2", 3, 3, "books"),
                i("b", "book-3", 1, 4, "books"),
                i("c", "phone-1", 3, 5, "phones"),
                i("c", "phone-1", 3, 6, "phones"),
                i("c", "phone-2", 1, 7, "phones"),
                i("d", "phone-1", 3, 8, "phones")));
    // books: book-2 4, book-1 3, book-3 1; phones: phone-1 9, phone-2 1; overall phone-1 first
    StructType users =
        new StructType().add("user", DataTypes.StringType).add("segment", DataTypes.StringType);
    Dataset<Row> who =
        SPARK.createDataFrame(
            List.of(
                RowFactory.create("a", "books"),
                RowFactory.create("new", null),
                RowFactory.create("odd", "toys")),
            users);
    Map<String, List<String>> got =
        lists(
            RecommendJob.popularFor(
                who, RecommendJob.popularity(train, 10), RecommendJob.bought(train, 3), 2));
    assertEquals(
        Map.of(
            "a", List.of("book-2", "book-3"), // book-1 is bought
            "new", List.of("phone-1", "book-2"),
            "odd", List.of("phone-1", "book-2")),
        got);
  }

  /**
   * Two tastes: six users take items a1..a4, nine take b1..b4 (more popular). A user of the first
   * taste who bought a1, a2 and a3 should get a4 from ALS, where popularity offers b1.
   */
  static Dataset<Row> twoTastes() {
    List<Row> rows = new ArrayList<>();
    long t = 0;
    for (int u = 0; u < 6; u++) {
      for (int k = 1; k <= 4; k++) {
        rows.add(i("fan-a" + u, "a" + k, 3, t++, "a"));
      }
    }
    for (int u = 0; u < 9; u++) {
      for (int k = 1; k <= 4; k++) {
        rows.add(i("fan-b" + u, "b" + k, 3, t++, "b"));
      }
    }
    for (int k = 1; k <= 3; k++) {
      rows.add(i("target", "a" + k, 3, t++, "a"));
    }
    rows.add(i("newcomer", "b2", 3, t++, "b"));
    return interactions(rows);
  }

  @Test
  void alsFindsTheMissingItemOfItsTaste() {
    Dataset<Row> train = twoTastes();
    RecommendJob.Settings s = new RecommendJob.Settings(1, 4, 10, 0.01, 10, 3, 2, 1);
    RecommendJob.Model model = RecommendJob.train(train, s);
    assertEquals(8, model.catalogueSize());
    Dataset<Row> users =
        SPARK.createDataFrame(
            List.of(RowFactory.create("target"), RowFactory.create("newcomer")),
            new StructType().add("user", DataTypes.StringType));
    Dataset<Row> recs = RecommendJob.recommend(model, train, users, s);
    Map<String, String> source = new TreeMap<>();
    recs.collectAsList().forEach(r -> source.put(r.getAs("user"), r.getAs("source")));
    assertEquals(Map.of("target", "ALS", "newcomer", "POPULARITY_FALLBACK"), source);
    assertEquals(Map.of("target", List.of("a4"), "newcomer", List.of("b1")), lists(recs));
    // the baseline offers the target the most popular of its segment a: a1..a3 are bought
    assertEquals(
        Map.of("target", List.of("a4"), "newcomer", List.of("b1")),
        lists(RecommendJob.popularityBaseline(train, users, s)));
  }

  @Test
  void relevantIsWhatWasBoughtNewInTheTest() {
    Dataset<Row> train =
        interactions(List.of(i("u", "old", 3, 1, null), i("u", "seen", 1, 2, null)));
    Dataset<Row> test =
        interactions(
            List.of(
                i("u", "old", 3, 3, null), // bought before: never recommended, not counted
                i("u", "seen", 3, 4, null),
                i("u", "viewed-only", 1, 5, null),
                i("v", "x", 1, 6, null))); // no purchase: v is not evaluated
    List<Row> rel = RecommendJob.relevant(train, test, 3).collectAsList();
    assertEquals(1, rel.size());
    assertEquals("u", rel.get(0).getAs("user"));
    assertEquals(List.of("seen"), rel.get(0).getList(1));
  }

  @Test
  void evaluateAveragesOverUsersWithSomethingToFind() {
    StructType relSchema =
        new StructType()
            .add("user", DataTypes.StringType)
            .add("relevant", DataTypes.createArrayType(DataTypes.StringType));
    Dataset<Row> relevant =
        SPARK.createDataFrame(
            List.of(
                RowFactory.create("u1", List.of("b", "e", "x").toArray()),
                RowFactory.create("u2", List.of("z").toArray())),
            relSchema);
    List<Row> rows = new ArrayList<>();
    String[] u1 = {"a", "b", "c", "d", "e"};
    for (int r = 0; r < u1.length; r++) {
      rows.add(RowFactory.create("u1", r + 1, u1[r], 1.0 - r / 10.0));
    }
    rows.add(RowFactory.create("u3", 1, "q", 1.0)); // not evaluated
    Dataset<Row> lists = SPARK.createDataFrame(rows, RecommendJob.LIST);
    RecommendJob.Metrics m = RecommendJob.evaluate(lists, relevant, 5, 10);
    // u1 as in RankingMetricsTest; u2 has no list and scores 0
    assertEquals(2, m.users());
    assertEquals(0.4 / 2, m.precision(), 1e-12);
    assertEquals(2 / 3.0 / 2, m.recall(), 1e-12);
    assertEquals(0.477624 / 2, m.ndcg(), 1e-6);
    assertEquals(0.3 / 2, m.map(), 1e-12);
    assertEquals(0.5, m.coverage(), 1e-12, "a..e of 10 items");
    assertTrue(m.precision() > 0);
  }
}
