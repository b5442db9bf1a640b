package io.kefu.batch.profiles;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.mode;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.regr_slope;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The transformations of {@code kefu batch profiles}, each a Dataset → Dataset function without I/O
 * ({@link ProfilesCommand} reads and writes). A snapshot {@link AsOf} is the end of a day in a
 * zone: nothing at or after it is counted, so a snapshot re-run later gives the same rows.
 *
 * <p>Contact figures cover the conversations that <em>started</em> in the 90 days before the
 * snapshot; orders and browsing cover everything before it. The scoring (RFM quintiles, segments,
 * value tier, churn risk) is documented in README.md, section Profiles, and on each method.
 */
public final class ProfileJob {
  private ProfileJob() {}

  /** Customer messages with anger at or above this are complaints (KPIS.md: anger count). */
  public static final double ANGER_THRESHOLD = 0.8;

  /** Order lines and browsing weigh this much toward a customer's top categories. */
  static final int ORDER_LINE_POINTS = 3;

  static final int CART_POINTS = 2;
  static final int VIEW_POINTS = 1;
  static final int TOP_CATEGORIES = 3;

  private static final long DAY_MS = 86_400_000L;

  /** The snapshot: the end of {@code date} in {@code zone}. */
  public record AsOf(LocalDate date, ZoneId zone) {
    public Instant end() {
      return date.plusDays(1).atStartOfDay(zone).toInstant();
    }

    Column endLit() {
      return lit(Timestamp.from(end()));
    }

    Column daysBefore(int days) {
      return lit(Timestamp.from(end().minus(Duration.ofDays(days))));
    }
  }

  private static Column type(String t) {
    return col("event_type").equalTo(t);
  }

  private static Column customerMessage() {
    return type("MESSAGE").and(col("role").equalTo("CUSTOMER"));
  }

  /**
   * One row per conversation of the lake events ({@link Inputs#LAKE} columns) before the snapshot
   * whose start event is among them (the others have no customer): tenant, customer_id, channel and
   * started_at (from its start event), closed and resolved, surveys (csat_sum, csat_n, csat_last of
   * the latest survey), customer-message sentiment (sentiment_sum, sentiment_n), complaints
   * (customer messages with anger ≥ 0.8) and language (that of its last customer message).
   */
  public static Dataset<Row> conversations(Dataset<Row> events, AsOf asOf) {
    return conversations(events, asOf, languages(events));
  }

  /** The languages of customer messages in {@code events}, sorted (an action: one column read). */
  public static List<String> languages(Dataset<Row> events) {
    List<String> out = new ArrayList<>();
    for (Row r :
        events
            .where(customerMessage().and(col("language").isNotNull()))
            .select("language")
            .distinct()
            .collectAsList()) {
      out.add(r.getString(0));
    }
    Collections.sort(out);
    return out;
  }

  /**
   * {@link #conversations(Dataset, AsOf)} with the customer-message languages given. The
   * aggregation over every event keeps numbers only: a string in an aggregation buffer (max of a
   * string, max_by of one) turns Spark's hash aggregation into a sort of all events. Strings come
   * from the start events alone, and the last message's language from one latest time per language.
   */
  public static Dataset<Row> conversations(Dataset<Row> events, AsOf asOf, List<String> languages) {
    Dataset<Row> before = events.where(col("event_time").lt(asOf.endLit()));
    Dataset<Row> starts =
        before
            .where(type("CONVERSATION_STARTED"))
            .groupBy("conversation_id")
            .agg(
                min("event_time").as("started_at"),
                max("tenant").as("tenant"),
                max("customer_id").as("customer_id"),
                max("channel").as("channel"));
    Column survey = col("csat").isNotNull();
    Column msg = customerMessage();
    List<Column> aggs =
        new ArrayList<>(
            List.of(
                max(type("CLOSED")).as("closed"),
                max(type("RESOLVED")).as("resolved"),
                sum(when(survey, col("csat"))).as("csat_sum"),
                count(when(survey, lit(1))).as("csat_n"),
                max_by(col("csat"), when(survey, col("event_time"))).as("csat_last"),
                max(when(survey, col("event_time"))).as("csat_time"),
                sum(when(msg, col("sentiment"))).as("sentiment_sum"),
                count(when(msg, col("sentiment"))).as("sentiment_n"),
                count_if(msg.and(col("anger").geq(ANGER_THRESHOLD))).as("complaints")));
    for (int i = 0; i < languages.size(); i++) {
      aggs.add(
          max(when(msg.and(col("language").equalTo(languages.get(i))), col("event_time")))
              .as("_lang" + i));
    }
    Dataset<Row> facts =
        before
            .groupBy("conversation_id")
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    // The language with the latest customer message; on a tie the first in order.
    Column language = lit(null).cast("string");
    Column latest = lit(null).cast("timestamp");
    for (int i = 0; i < languages.size(); i++) {
      Column t = col("_lang" + i);
      Column later = t.isNotNull().and(latest.isNull().or(t.gt(latest)));
      language = when(later, lit(languages.get(i))).otherwise(language);
      latest = when(later, t).otherwise(latest);
    }
    Dataset<Row> joined = starts.join(facts, "conversation_id").withColumn("language", language);
    for (int i = 0; i < languages.size(); i++) {
      joined = joined.drop("_lang" + i);
    }
    return joined;
  }

  /**
   * Per customer (tenant, customer_id) over the conversations that started in the 90 days before
   * the snapshot: contacts_30d, contacts_90d, channels_used (sorted), preferred_channel (most used,
   * ties to the first name), last_contact, csat_mean and csat_last (latest survey), sentiment_mean
   * (over customer messages), sentiment_trend (least-squares slope of each conversation's mean
   * customer sentiment against its start, per 30 days; null below two conversations with
   * sentiment), complaints, repeat_contacts_7d (conversations that started within 7 days of the
   * customer's previous one), resolution_rate (resolved / closed) and unresolved (closed without a
   * RESOLVED), preferred_language (the most frequent conversation language, ties to the first
   * code).
   */
  public static Dataset<Row> contacts(Dataset<Row> conversations, AsOf asOf) {
    WindowSpec byCustomer =
        Window.partitionBy("tenant", "customer_id").orderBy("started_at", "conversation_id");
    Column previous = lag(col("started_at"), 1).over(byCustomer);
    Dataset<Row> inWindow =
        conversations
            .where(col("customer_id").isNotNull())
            .where(col("started_at").geq(asOf.daysBefore(90)))
            .where(col("started_at").lt(asOf.endLit()))
            .withColumn(
                "repeat",
                previous
                    .isNotNull()
                    .and(
                        unix_millis(col("started_at"))
                            .minus(unix_millis(previous))
                            .leq(7 * DAY_MS)))
            .withColumn(
                "days",
                unix_millis(col("started_at"))
                    .minus(asOf.end().toEpochMilli())
                    .divide(1.0 * DAY_MS))
            .withColumn(
                "conv_sentiment",
                when(col("sentiment_n").gt(0), col("sentiment_sum").divide(col("sentiment_n"))));
    Column closed = col("closed");
    Column closedN = count_if(closed);
    Column resolvedN = count_if(closed.and(col("resolved")));
    Column csatN = sum("csat_n");
    Column sentimentN = sum("sentiment_n");
    return inWindow
        .groupBy("tenant", "customer_id")
        .agg(
            count_if(col("started_at").geq(asOf.daysBefore(30))).cast("int").as("contacts_30d"),
            count(lit(1)).cast("int").as("contacts_90d"),
            array_sort(collect_set("channel")).as("channels_used"),
            mode(col("channel"), true).as("preferred_channel"),
            max("started_at").as("last_contact"),
            when(csatN.gt(0), sum("csat_sum").divide(csatN)).as("csat_mean"),
            max_by(col("csat_last"), col("csat_time")).cast("int").as("csat_last"),
            when(sentimentN.gt(0), sum("sentiment_sum").divide(sentimentN)).as("sentiment_mean"),
            regr_slope(col("conv_sentiment"), col("days")).multiply(30).as("sentiment_trend"),
            sum("complaints").cast("int").as("complaints"),
            count_if(col("repeat")).cast("int").as("repeat_contacts_7d"),
            when(closedN.gt(0), resolvedN.divide(closedN)).as("resolution_rate"),
            closedN.minus(resolvedN).cast("int").as("unresolved"),
            mode(col("language"), true).as("preferred_language"));
  }

  /**
   * Per customer (tenant, customer_id) from the order lines ({@link Inputs#ORDERS}) before the
   * snapshot: rfm_recency_days (days from the last order's date to the snapshot date, in the
   * snapshot's zone), rfm_frequency (orders), rfm_monetary (Σ quantity × unit price), orders_90d
   * and orders_prev_90d (orders in the last 90 days and the 90 before).
   */
  public static Dataset<Row> orders(Dataset<Row> lines, AsOf asOf) {
    Column t = col("order_time");
    Dataset<Row> perOrder =
        lines
            .where(t.lt(asOf.endLit()))
            .groupBy("tenant", "customer_id", "order_id")
            .agg(
                min(t).as("order_time"),
                sum(col("quantity").cast("decimal(10,0)").multiply(col("unit_price")))
                    .as("amount"));
    Column ot = col("order_time");
    return perOrder
        .groupBy("tenant", "customer_id")
        .agg(
            datediff(
                    lit(Date.valueOf(asOf.date())),
                    to_date(from_utc_timestamp(max(ot), asOf.zone().getId())))
                .as("rfm_recency_days"),
            count(lit(1)).cast("int").as("rfm_frequency"),
            sum("amount").cast(DataTypes.createDecimalType(14, 2)).as("rfm_monetary"),
            count_if(ot.geq(asOf.daysBefore(90))).cast("int").as("orders_90d"),
            count_if(ot.geq(asOf.daysBefore(180)).and(ot.lt(asOf.daysBefore(90))))
                .cast("int")
                .as("orders_prev_90d"));
  }

  /**
   * Adds r_score, f_score, m_score (1..5) and rfm_segment, value_tier to {@link #orders} rows. Each
   * score is 1 + the number of the population's quintile boundaries (approximate 20/40/60/80 %
   * percentiles over customers with orders) strictly below the value; recency counts the other way
   * (5 = most recent). Segment by R and FM = ⌈(F + M) / 2⌉ — see {@link #segment}. Value tier: M 5
   * high, 3–4 medium, 1–2 low.
   */
  public static Dataset<Row> rfm(Dataset<Row> orders) {
    Column quintiles = array(lit(0.2), lit(0.4), lit(0.6), lit(0.8));
    Dataset<Row> bounds =
        orders.agg(
            percentile_approx(col("rfm_recency_days"), quintiles, lit(10000)).as("q_r"),
            percentile_approx(col("rfm_frequency"), quintiles, lit(10000)).as("q_f"),
            percentile_approx(col("rfm_monetary").cast("double"), quintiles, lit(10000)).as("q_m"));
    Column r = lit(5).minus(below(col("rfm_recency_days"), col("q_r")));
    Column f = lit(1).plus(below(col("rfm_frequency"), col("q_f")));
    Column m = lit(1).plus(below(col("rfm_monetary").cast("double"), col("q_m")));
    return orders
        .crossJoin(broadcast(bounds))
        .withColumn("r_score", r)
        .withColumn("f_score", f)
        .withColumn("m_score", m)
        .drop("q_r", "q_f", "q_m")
        .withColumn("rfm_segment", segment(col("r_score"), col("f_score"), col("m_score")))
        .withColumn(
            "value_tier",
            when(col("m_score").geq(5), "high")
                .when(col("m_score").geq(3), "medium")
                .otherwise("low"));
  }

  /** How many of the four boundaries in {@code q} lie strictly below {@code x}. */
  private static Column below(Column x, Column q) {
    Column n = lit(0);
    for (int i = 0; i < 4; i++) {
      n = n.plus(when(q.getItem(i).lt(x), 1).otherwise(0));
    }
    return n;
  }

  /**
   * The RFM segment of scores R, F, M (1..5), with FM = ⌈(F + M) / 2⌉, first match wins: R ≥ 4 and
   * FM ≥ 4 Champions; R ≥ 4 and F = 1 New customers; R ≥ 4 Potential loyalists; R = 3 and FM ≥ 4
   * Loyal; R = 3 and FM = 3 Need attention; R = 3 About to sleep; R = 1 and FM = 5 Can't lose them;
   * R ≤ 2 and FM ≥ 3 At risk; otherwise Hibernating.
   */
  public static Column segment(Column r, Column f, Column m) {
    Column fm = f.plus(m).plus(1).divide(2).cast("int");
    return when(r.geq(4).and(fm.geq(4)), "Champions")
        .when(r.geq(4).and(f.equalTo(1)), "New customers")
        .when(r.geq(4), "Potential loyalists")
        .when(r.equalTo(3).and(fm.geq(4)), "Loyal")
        .when(r.equalTo(3).and(fm.equalTo(3)), "Need attention")
        .when(r.equalTo(3), "About to sleep")
        .when(r.equalTo(1).and(fm.equalTo(5)), "Can't lose them")
        .when(fm.geq(3), "At risk")
        .otherwise("Hibernating");
  }

  /**
   * Per customer (tenant, customer_id), top_categories: the three categories with most points
   * before the snapshot — 3 per order line, 2 per add-to-cart, 1 per view — ties by name.
   */
  public static Dataset<Row> categories(Dataset<Row> lines, Dataset<Row> browsing, AsOf asOf) {
    Dataset<Row> fromOrders =
        lines
            .where(col("order_time").lt(asOf.endLit()))
            .select(
                col("tenant"), col("customer_id"), col("category"), lit(ORDER_LINE_POINTS).as("p"));
    Dataset<Row> fromBrowsing =
        browsing
            .where(col("event_time").lt(asOf.endLit()))
            .select(
                col("tenant"),
                col("customer_id"),
                col("category"),
                when(col("action").equalTo("ADD_TO_CART"), CART_POINTS)
                    .otherwise(VIEW_POINTS)
                    .as("p"));
    return fromOrders
        .unionByName(fromBrowsing)
        .where(col("category").isNotNull())
        .groupBy("tenant", "customer_id", "category")
        .agg(sum("p").as("points"))
        .groupBy("tenant", "customer_id")
        .agg(
            slice(sort_array(collect_list(struct(negate(col("points")), col("category")))), 1, 3)
                .getField("category")
                .as("top_categories"));
  }

  /**
   * The profiles: one row per customer with a contact in the 90-day window, an order or browsing
   * before the snapshot, in the columns of {@code CustomerProfile.avsc} (customer_id becomes
   * customer_pseudonym: the lake holds pseudonyms). Churn risk adds, capped at 1: no order for 90+
   * days 0.30 (60–89 days 0.15); fewer orders in the last 90 days than the 90 before 0.20; a
   * complaint in 90 days 0.15; CSAT mean below 3 in 90 days 0.20; a closed contact left unresolved
   * in 90 days 0.15 — each with its reason, largest first. Also the RFM scores (rfm_r_score,
   * rfm_f_score, rfm_m_score: null without orders), unresolved_contacts (0 without contacts) and
   * order_trend (orders_90d − orders_prev_90d: null without orders).
   */
  public static Dataset<Row> profiles(
      Dataset<Row> contacts, Dataset<Row> rfm, Dataset<Row> categories, AsOf asOf) {
    String[] key = {"tenant", "customer_id"};
    Dataset<Row> all =
        contacts.join(rfm, asSeq(key), "full_outer").join(categories, asSeq(key), "full_outer");
    Column recency = col("rfm_recency_days");
    Column inactive = when(recency.geq(90), 30).when(recency.geq(60), 15).otherwise(0);
    Column declining =
        when(col("orders_prev_90d").gt(coalesce(col("orders_90d"), lit(0))), 20).otherwise(0);
    Column complaints = when(col("complaints").gt(0), 15).otherwise(0);
    Column lowCsat = when(col("csat_mean").lt(3), 20).otherwise(0);
    Column unresolved = when(col("unresolved").gt(0), 15).otherwise(0);
    Column points =
        coalesce(inactive, lit(0)).plus(declining).plus(complaints).plus(lowCsat).plus(unresolved);
    Column reasons =
        array_compact(
            array(
                when(
                    inactive.gt(0),
                    concat(lit("no order for "), recency.cast("string"), lit(" days"))),
                when(
                    lowCsat.gt(0),
                    concat(
                        lit("CSAT mean "), format_number(col("csat_mean"), 1), lit(" in 90 days"))),
                when(
                    declining.gt(0),
                    concat(
                        lit("orders fell from "),
                        col("orders_prev_90d").cast("string"),
                        lit(" to "),
                        coalesce(col("orders_90d"), lit(0)).cast("string"),
                        lit(" (previous vs last 90 days)"))),
                when(
                    complaints.gt(0),
                    concat(
                        col("complaints").cast("string"), lit(" complaints (anger) in 90 days"))),
                when(
                    unresolved.gt(0),
                    concat(
                        col("unresolved").cast("string"),
                        lit(" unresolved contacts in 90 days")))));
    Column emptyStrings = array().cast("array<string>");
    return all.select(
        col("customer_id").as("customer_pseudonym"),
        col("tenant"),
        lit(Date.valueOf(asOf.date())).as("snapshot_date"),
        coalesce(col("contacts_30d"), lit(0)).as("contacts_30d"),
        coalesce(col("contacts_90d"), lit(0)).as("contacts_90d"),
        coalesce(col("channels_used"), emptyStrings).as("channels_used"),
        col("preferred_channel"),
        col("last_contact"),
        col("csat_mean"),
        col("csat_last"),
        col("sentiment_mean"),
        col("sentiment_trend"),
        coalesce(col("complaints"), lit(0)).as("complaints"),
        coalesce(col("repeat_contacts_7d"), lit(0)).as("repeat_contacts_7d"),
        col("resolution_rate"),
        recency.as("rfm_recency_days"),
        coalesce(col("rfm_frequency"), lit(0)).as("rfm_frequency"),
        coalesce(col("rfm_monetary"), lit(java.math.BigDecimal.ZERO))
            .cast(DataTypes.createDecimalType(14, 2))
            .as("rfm_monetary"),
        col("rfm_segment"),
        coalesce(col("top_categories"), emptyStrings).as("top_categories"),
        col("value_tier"),
        points.divide(100.0).as("churn_risk"),
        reasons.as("churn_reasons"),
        col("preferred_language"),
        col("r_score").cast("int").as("rfm_r_score"),
        col("f_score").cast("int").as("rfm_f_score"),
        col("m_score").cast("int").as("rfm_m_score"),
        coalesce(col("unresolved"), lit(0)).as("unresolved_contacts"),
        col("orders_90d").minus(col("orders_prev_90d")).as("order_trend"));
  }

  /** The whole job: lake events, order lines and browsing in, profiles out. */
  public static Dataset<Row> build(
      Dataset<Row> events, Dataset<Row> lines, Dataset<Row> browsing, AsOf asOf) {
    return profiles(
        contacts(conversations(events, asOf, languages(events)), asOf),
        rfm(orders(lines, asOf)),
        categories(lines, browsing, asOf),
        asOf);
  }

  private static scala.collection.immutable.Seq<String> asSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of(names)).toList();
  }
}
