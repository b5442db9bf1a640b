package io.kefu.batch.profiles;

import static io.kefu.batch.profiles.ProfileRows.AS_OF;
import static io.kefu.batch.profiles.ProfileRows.browsing;
import static io.kefu.batch.profiles.ProfileRows.lake;
import static io.kefu.batch.profiles.ProfileRows.line;
import static io.kefu.batch.profiles.ProfileRows.orders;
import static io.kefu.batch.profiles.ProfileRows.t;
import static io.kefu.batch.profiles.ProfileRows.view;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.TestSpark;
import io.kefu.batch.profiles.ProfileRows.Conversation;
import java.math.BigDecimal;
import java.sql.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ProfileJobTest {

  /**
   * Yesterday's web chat: two customer messages (one angry), an English agent reply, resolved and
   * closed, two surveys (4, then 2) and a third after the snapshot that must not count.
   */
  static Conversation angryButResolved() {
    return new Conversation("c-angry", "cust-a", "WEB", t(-1, 10))
        .say(t(-1, 10, 1), "CUSTOMER", "zh", 0.5, 0.1)
        .say(t(-1, 10, 2), "CUSTOMER", "zh", -0.9, 0.85)
        .say(t(-1, 10, 3), "AGENT", "en", 0.9, 0.0)
        .event("RESOLVED", t(-1, 10, 4))
        .event("CLOSED", t(-1, 10, 5))
        .survey(t(-1, 11), 4)
        .survey(t(-1, 12), 2)
        .survey(t(1, 9), 5);
  }

  static Map<String, Row> byKey(Dataset<Row> ds, String column) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : ds.collectAsList()) {
      out.put(r.getAs(column), r);
    }
    return out;
  }

  @Test
  void conversationFoldsItsEventsUpToTheSnapshot() {
    Row c = ProfileJob.conversations(lake(angryButResolved()), AS_OF).first();
    assertEquals("cust-a", c.getAs("customer_id"));
    assertEquals("WEB", c.getAs("channel"));
    assertEquals(t(-1, 10), c.getAs("started_at"));
    assertEquals(true, c.getAs("closed"));
    assertEquals(true, c.getAs("resolved"));
    assertEquals(6L, ((Number) c.getAs("csat_sum")).longValue());
    assertEquals(2L, (long) c.<Long>getAs("csat_n"));
    assertEquals(2, (int) c.<Integer>getAs("csat_last"), "the latest survey before the snapshot");
    assertEquals(-0.4, c.<Double>getAs("sentiment_sum"), 1e-9);
    assertEquals(2L, (long) c.<Long>getAs("sentiment_n"), "agent messages do not count");
    assertEquals(1L, (long) c.<Long>getAs("complaints"));
    assertEquals("zh", c.getAs("language"));
  }

  /**
   * cust-b: phone 40 days ago (closed, unresolved, sentiment −0.5), web 5 days ago (resolved, 0.0)
   * and 3 days ago (open, +0.5), and one 100 days ago outside the window.
   */
  static Conversation[] threeContactsInNinetyDays() {
    return new Conversation[] {
      new Conversation("b-old", "cust-b", "APP", t(-100, 12)).event("CLOSED", t(-100, 13)),
      new Conversation("b-40", "cust-b", "PHONE", t(-40, 12))
          .say(t(-40, 12, 1), "CUSTOMER", "en", -0.5, 0.2)
          .event("CLOSED", t(-40, 12, 30)),
      new Conversation("b-5", "cust-b", "WEB", t(-5, 12))
          .say(t(-5, 12, 1), "CUSTOMER", "en", 0.0, 0.0)
          .event("RESOLVED", t(-5, 12, 20))
          .event("CLOSED", t(-5, 12, 30)),
      new Conversation("b-3", "cust-b", "WEB", t(-3, 12))
          .say(t(-3, 12, 1), "CUSTOMER", "zh", 0.2, 0.0)
          .say(t(-3, 12, 2), "CUSTOMER", "en", 0.8, 0.0)
    };
  }

  @Test
  void contactsOverTheNinetyDayWindow() {
    Row b =
        ProfileJob.contacts(
                ProfileJob.conversations(lake(threeContactsInNinetyDays()), AS_OF), AS_OF)
            .first();
    assertEquals("cust-b", b.getAs("customer_id"));
    assertEquals(2, (int) b.<Integer>getAs("contacts_30d"));
    assertEquals(3, (int) b.<Integer>getAs("contacts_90d"), "the one 100 days ago is outside");
    assertEquals(List.of("PHONE", "WEB"), b.getList(b.fieldIndex("channels_used")));
    assertEquals("WEB", b.getAs("preferred_channel"));
    assertEquals(t(-3, 12), b.getAs("last_contact"));
    assertEquals(1, (int) b.<Integer>getAs("repeat_contacts_7d"), "3 days ago followed 5 days ago");
    assertEquals(0.5, b.<Double>getAs("resolution_rate"), 1e-12, "1 of 2 closed");
    assertEquals(1, (int) b.<Integer>getAs("unresolved"));
    assertEquals(0.125, b.<Double>getAs("sentiment_mean"), 1e-12, "(-0.5 + 0 + 0.2 + 0.8) / 4");
    // Conversation means -0.5, 0.0, 0.5 at x = -40.5, -5.5, -3.5 days (noon before the end of
    // the snapshot day): mean x = -16.5, Sxy = 12 + 0 + 6.5, Sxx = 576 + 121 + 169.
    assertEquals(30 * 18.5 / 866, b.<Double>getAs("sentiment_trend"), 1e-9);
    assertEquals(0, (int) b.<Integer>getAs("complaints"));
    assertNull(b.getAs("csat_mean"));
    assertEquals(
        "en",
        b.getAs("preferred_language"),
        "each conversation's most frequent language; ties to the first code");
  }

  @Test
  void ordersGiveRecencyFrequencyMonetaryAndTheTwoPeriods() {
    Dataset<Row> lines =
        orders(
            line("o1", "cust-a", t(-10, 10), "home", 2, "10.00"),
            line("o1", "cust-a", t(-10, 10), "books", 1, "5.50"),
            line("o2", "cust-a", t(-120, 10), "phones", 1, "100.00"),
            line("o3", "cust-a", t(1, 10), "phones", 1, "999.00"));
    Row a = ProfileJob.orders(lines, AS_OF).first();
    assertEquals(10, (int) a.<Integer>getAs("rfm_recency_days"));
    assertEquals(2, (int) a.<Integer>getAs("rfm_frequency"), "o3 is after the snapshot");
    assertEquals(new BigDecimal("125.50"), a.getAs("rfm_monetary"));
    assertEquals(1, (int) a.<Integer>getAs("orders_90d"));
    assertEquals(1, (int) a.<Integer>getAs("orders_prev_90d"));
  }

  @Test
  void recencyCountsDaysInTheSnapshotZone() {
    // 23:30 in Shanghai the day before the snapshot is 15:30 UTC: one day, not two or zero.
    Row a =
        ProfileJob.orders(orders(line("o", "cust-a", t(-1, 23, 30), "home", 1, "1")), AS_OF)
            .first();
    assertEquals(1, (int) a.<Integer>getAs("rfm_recency_days"));
  }

  static final StructType RFM =
      new StructType()
          .add("tenant", DataTypes.StringType)
          .add("customer_id", DataTypes.StringType)
          .add("rfm_recency_days", DataTypes.IntegerType)
          .add("rfm_frequency", DataTypes.IntegerType)
          .add("rfm_monetary", DataTypes.createDecimalType(14, 2));

  @Test
  void quintileScoresSegmentsAndTiers() {
    // Five customers: c1 is best on all three, c5 worst; quintile bounds are 1,2,3,4 / 1,2,3,4 /
    // 100..400.
    List<Row> rows =
        List.of(
            RowFactory.create("acme", "c1", 1, 5, new BigDecimal("500.00")),
            RowFactory.create("acme", "c2", 2, 4, new BigDecimal("400.00")),
            RowFactory.create("acme", "c3", 3, 3, new BigDecimal("300.00")),
            RowFactory.create("acme", "c4", 4, 2, new BigDecimal("200.00")),
            RowFactory.create("acme", "c5", 5, 1, new BigDecimal("100.00")));
    Map<String, Row> scored =
        byKey(ProfileJob.rfm(TestSpark.session().createDataFrame(rows, RFM)), "customer_id");
    String[][] expected = {
      {"c1", "5", "5", "5", "Champions", "high"},
      {"c2", "4", "4", "4", "Champions", "medium"},
      {"c3", "3", "3", "3", "Need attention", "medium"},
      {"c4", "2", "2", "2", "Hibernating", "low"},
      {"c5", "1", "1", "1", "Hibernating", "low"}
    };
    for (String[] e : expected) {
      Row r = scored.get(e[0]);
      String got =
          r.getAs("r_score")
              + " "
              + r.getAs("f_score")
              + " "
              + r.getAs("m_score")
              + " "
              + r.getAs("rfm_segment")
              + " "
              + r.getAs("value_tier");
      assertEquals(e[1] + " " + e[2] + " " + e[3] + " " + e[4] + " " + e[5], got, e[0]);
    }
  }

  @Test
  void segmentTableFirstMatchWins() {
    StructType s =
        new StructType()
            .add("r", DataTypes.IntegerType)
            .add("f", DataTypes.IntegerType)
            .add("m", DataTypes.IntegerType);
    Object[][] cases = {
      {5, 4, 4, "Champions"},
      {5, 1, 1, "New customers"},
      {4, 2, 3, "Potential loyalists"},
      {3, 5, 4, "Loyal"},
      {3, 3, 2, "Need attention"},
      {3, 2, 2, "About to sleep"},
      {1, 5, 5, "Can't lose them"},
      {2, 5, 5, "At risk"},
      {1, 3, 3, "At risk"},
      {2, 1, 2, "Hibernating"}
    };
    for (Object[] c : cases) {
      Row r =
          TestSpark.session()
              .createDataFrame(List.of(RowFactory.create(c[0], c[1], c[2])), s)
              .select(ProfileJob.segment(col("r"), col("f"), col("m")))
              .first();
      assertEquals(c[3], r.getString(0), "R" + c[0] + " F" + c[1] + " M" + c[2]);
    }
  }

  @Test
  void topCategoriesWeighOrdersOverCartsOverViews() {
    Dataset<Row> lines =
        orders(
            line("o1", "cust-a", t(-10, 10), "home", 1, "1"),
            line("o2", "cust-a", t(-9, 10), "home", 1, "1"));
    Dataset<Row> views =
        browsing(
            view("cust-a", t(-2, 1), "phones", "VIEW"),
            view("cust-a", t(-2, 2), "phones", "VIEW"),
            view("cust-a", t(-2, 3), "phones", "VIEW"),
            view("cust-a", t(-2, 4), "phones", "VIEW"),
            view("cust-a", t(-2, 5), "food", "VIEW"),
            view("cust-a", t(-2, 6), "food", "VIEW"),
            view("cust-a", t(-2, 7), "books", "ADD_TO_CART"),
            view("cust-a", t(2, 7), "toys", "ADD_TO_CART"));
    Row a = ProfileJob.categories(lines, views, AS_OF).first();
    // home 6, phones 4, books 2 and food 2 (tie: by name), toys after the snapshot
    assertEquals(List.of("home", "phones", "books"), a.getList(a.fieldIndex("top_categories")));
  }

  @Test
  void wholeProfileWithChurnReasons() {
    Conversation unhappy =
        new Conversation("d-1", "cust-d", "PHONE", t(-20, 9))
            .say(t(-20, 9, 1), "CUSTOMER", "zh", -0.8, 0.9)
            .event("CLOSED", t(-20, 9, 20))
            .survey(t(-20, 10), 2);
    Dataset<Row> events = lake(unhappy);
    Dataset<Row> lines =
        orders(
            line("d-o1", "cust-d", t(-95, 10), "phones", 1, "2000.00"),
            line("d-o2", "cust-d", t(-100, 10), "phones", 1, "100.00"),
            line("e-o1", "cust-e", t(-1, 10), "food", 3, "20.00"));
    Dataset<Row> views = browsing(view("cust-f", t(-1, 10), "books", "VIEW"));
    Map<String, Row> p = byKey(ProfileJob.build(events, lines, views, AS_OF), "customer_pseudonym");
    assertEquals(3, p.size());

    Row d = p.get("cust-d");
    assertEquals(Date.valueOf(AS_OF.date()), d.getAs("snapshot_date"));
    assertEquals("acme", d.getAs("tenant"));
    assertEquals(1, (int) d.<Integer>getAs("contacts_30d"));
    assertEquals(1, (int) d.<Integer>getAs("complaints"));
    assertEquals(2.0, d.<Double>getAs("csat_mean"), 1e-12);
    assertEquals(0.0, d.<Double>getAs("resolution_rate"), 1e-12);
    assertEquals(95, (int) d.<Integer>getAs("rfm_recency_days"));
    assertEquals(2, (int) d.<Integer>getAs("rfm_frequency"));
    assertEquals(new BigDecimal("2100.00"), d.getAs("rfm_monetary"));
    assertEquals(1.0, d.<Double>getAs("churn_risk"), 1e-12);
    assertEquals(
        List.of(
            "no order for 95 days",
            "CSAT mean 2.0 in 90 days",
            "orders fell from 2 to 0 (previous vs last 90 days)",
            "1 complaints (anger) in 90 days",
            "1 unresolved contacts in 90 days"),
        d.getList(d.fieldIndex("churn_reasons")));
    assertEquals(List.of("phones"), d.getList(d.fieldIndex("top_categories")));
    assertEquals("zh", d.getAs("preferred_language"));

    Row e = p.get("cust-e");
    assertEquals(0, (int) e.<Integer>getAs("contacts_90d"));
    assertEquals(List.of(), e.getList(e.fieldIndex("channels_used")));
    assertEquals(new BigDecimal("60.00"), e.getAs("rfm_monetary"));
    assertEquals(0.0, e.<Double>getAs("churn_risk"), 1e-12);
    assertTrue(e.getList(e.fieldIndex("churn_reasons")).isEmpty());
    // Of two buyers cust-e is the more recent (R 5) but buys less (F 1, M 1): FM 1.
    assertEquals("New customers", e.getAs("rfm_segment"));
    assertEquals("low", e.getAs("value_tier"));

    Row f = p.get("cust-f");
    assertEquals(0, (int) f.<Integer>getAs("rfm_frequency"));
    assertEquals(BigDecimal.ZERO.setScale(2), f.getAs("rfm_monetary"));
    assertNull(f.getAs("rfm_segment"));
    assertNull(f.getAs("rfm_recency_days"));
    assertEquals(List.of("books"), f.getList(f.fieldIndex("top_categories")));
  }

  /**
   * Five buyers b1..b5: b_i's last order was i days ago, b_i placed i orders of 10.00 each, so the
   * quintile boundaries are 1, 2, 3, 4 days / orders / 10.00 × (1..4) and b_i scores R = 6 − i, F =
   * i, M = i. Their orders in the last 90 days and the 90 before: b1 1 vs 0, b2 2 vs 0, b3 1 vs 2
   * (days 100, 101), b4 2 vs 0 (days 200 and 300 are older), b5 1 vs 3 (days 120, 130, 140).
   * Contacts: b1 closed one unresolved, one resolved and left one open; b2's unresolved one was 100
   * days ago. v only browsed.
   */
  @Test
  void profileCarriesScoresUnresolvedContactsAndOrderTrend() {
    int[][] orderDays = {
      {1}, {2, 3}, {3, 100, 101}, {4, 5, 200, 300}, {5, 120, 130, 140, 400},
    };
    List<Row> lines = new java.util.ArrayList<>();
    for (int i = 0; i < orderDays.length; i++) {
      for (int day : orderDays[i]) {
        lines.add(line("b" + (i + 1) + "-" + day, "b" + (i + 1), t(-day, 10), "home", 1, "10.00"));
      }
    }
    Dataset<Row> events =
        lake(
            new Conversation("b1-x", "b1", "WEB", t(-20, 9)).event("CLOSED", t(-20, 10)),
            new Conversation("b1-y", "b1", "WEB", t(-10, 9))
                .event("RESOLVED", t(-10, 9, 30))
                .event("CLOSED", t(-10, 10)),
            new Conversation("b1-z", "b1", "APP", t(-1, 9)),
            new Conversation("b2-x", "b2", "WEB", t(-100, 9)).event("CLOSED", t(-100, 10)));
    Map<String, Row> p =
        byKey(
            ProfileJob.build(
                events,
                orders(lines.toArray(Row[]::new)),
                browsing(view("v", t(-1, 10), "books", "VIEW")),
                AS_OF),
            "customer_pseudonym");
    // customer: R F M, unresolved contacts, order trend
    Map<String, String> expected =
        Map.of(
            "b1", "5 1 1 1 1",
            "b2", "4 2 2 0 2",
            "b3", "3 3 3 0 -1",
            "b4", "2 4 4 0 2",
            "b5", "1 5 5 0 -2",
            "v", "null null null 0 null");
    assertEquals(expected.keySet(), p.keySet());
    for (var e : expected.entrySet()) {
      Row r = p.get(e.getKey());
      String got =
          r.getAs("rfm_r_score")
              + " "
              + r.getAs("rfm_f_score")
              + " "
              + r.getAs("rfm_m_score")
              + " "
              + r.getAs("unresolved_contacts")
              + " "
              + r.getAs("order_trend");
      assertEquals(e.getValue(), got, e.getKey());
    }
    assertEquals(
        List.of("orders fell from 3 to 1 (previous vs last 90 days)"),
        p.get("b5").getList(p.get("b5").fieldIndex("churn_reasons")));
  }

  @Test
  void emptyInputsGiveNoProfiles() {
    Dataset<Row> none =
        ProfileJob.build(
            Inputs.empty(TestSpark.session(), Inputs.LAKE),
            Inputs.empty(TestSpark.session(), Inputs.ORDERS),
            Inputs.empty(TestSpark.session(), Inputs.BROWSING),
            AS_OF);
    assertEquals(0, none.count());
    assertEquals(29, none.schema().fields().length, "the columns of CustomerProfile");
  }
}
