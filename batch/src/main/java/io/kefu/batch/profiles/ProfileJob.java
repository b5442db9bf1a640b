package io.kefu.batch.profiles;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * The transformations of {@code kefu batch profiles}, each a Dataset → Dataset function without I/O
 * ({@link ProfilesCommand} reads and writes). A snapshot {@link AsOf} is the end of a day in a
 * zone: nothing at or after it is counted, so a snapshot re-run later gives the same rows.
 *
 * <p>Contact figures cover the conversations that <em>started</em> in the 90 days before the
 * snapshot; orders and browsing cover everything before it. The scoring (RFM quintiles, segments,
 * value tier, churn risk) is documented in README.md, section Profiles, and on each method.
 *
 * <p>The math is plain Java — {@link ConversationFacts} folds a conversation's events, {@link
 * ShopPartial} a customer's order lines and browsing within a partition, {@link CustomerFold} a
 * customer's conversations and shop partials, {@link Quintiles} the population's RFM boundaries —
 * and Spark only moves typed, narrow rows between them: the lake is read once, each input is
 * projected at the read to the columns its fold uses (and the events no fold uses are dropped
 * there), and everything meets in one shuffle by customer ({@link #aggregates}). The scores,
 * segments and churn rules are Spark expressions over the folded figures ({@link #score}).
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

  /** The snapshot: the end of {@code date} in {@code zone}. */
  public record AsOf(LocalDate date, ZoneId zone) {
    public Instant end() {
      return date.plusDays(1).atStartOfDay(zone).toInstant();
    }

    Column endLit() {
      return lit(Timestamp.from(end()));
    }
  }

  private static final Encoder<ConversationFacts> FACTS = Encoders.bean(ConversationFacts.class);
  private static final Encoder<CustomerInput> INPUT = Encoders.bean(CustomerInput.class);
  private static final Encoder<CustomerAggregate> AGGREGATE =
      Encoders.bean(CustomerAggregate.class);

  /**
   * The lake events ({@link Inputs#LAKE} columns) before the snapshot that a fold uses, narrowed to
   * the columns of {@link LakeEvent} ({@link PartitionFolds#LAKE_COLUMNS}): the event type as a
   * kind, and each field only where its kind uses it.
   */
  static Dataset<Row> lakeEvents(Dataset<Row> events, AsOf asOf) {
    Column type = col("event_type");
    Column start = type.equalTo("CONVERSATION_STARTED");
    Column message = type.equalTo("MESSAGE").and(col("role").equalTo("CUSTOMER"));
    Column kind =
        when(start, ConversationFacts.STARTED)
            .when(type.equalTo("CLOSED"), ConversationFacts.CLOSED)
            .when(type.equalTo("RESOLVED"), ConversationFacts.RESOLVED)
            .when(message, ConversationFacts.CUSTOMER_MESSAGE)
            .otherwise(ConversationFacts.OTHER);
    return events
        .where(col("event_time").lt(asOf.endLit()))
        .select(
            col("conversation_id").as("conversationId"),
            kind.as("kind"),
            unix_millis(col("event_time")).as("time"),
            when(start, col("tenant")).as("tenant"),
            when(start, col("customer_id")).as("customer"),
            when(start, col("channel")).as("channel"),
            when(message, col("language")).as("language"),
            when(message, col("sentiment")).as("sentiment"),
            when(message, col("anger")).as("anger"),
            col("csat"))
        // what no fold uses (bot and agent messages, hand-offs, ...) never reaches a fold
        .where(col("kind").notEqual(ConversationFacts.OTHER).or(col("csat").isNotNull()));
  }

  /**
   * The lake read once: each partition folds its events per conversation ({@link
   * PartitionFolds#conversations}, straight from the reader's rows), the partial folds meet in a
   * shuffle by conversation and are merged; conversations without a start event among the events
   * (no customer) are left out.
   */
  static Dataset<ConversationFacts> conversationFacts(Dataset<Row> events, AsOf asOf) {
    Dataset<Row> narrow = lakeEvents(events, asOf);
    PartitionFolds.checkColumns(narrow.schema(), PartitionFolds.LAKE_COLUMNS);
    JavaRDD<ConversationFacts> partials =
        internalRows(narrow).mapPartitions(PartitionFolds::conversations);
    return narrow
        .sparkSession()
        .createDataset(partials.rdd(), FACTS)
        .repartition(col("conversationId"))
        .mapPartitions(
            (MapPartitionsFunction<ConversationFacts, ConversationFacts>)
                parts ->
                    merge(parts).values().stream().filter(ConversationFacts::started).iterator(),
            FACTS);
  }

  /**
   * The rows of {@code rows} as Spark holds them (a partition's rows may share one buffer: what is
   * kept must be copied).
   */
  private static JavaRDD<InternalRow> internalRows(Dataset<Row> rows) {
    return rows.queryExecution().toRdd().toJavaRDD();
  }

  private static Map<String, ConversationFacts> merge(Iterator<ConversationFacts> parts) {
    Map<String, ConversationFacts> byId = new HashMap<>();
    while (parts.hasNext()) {
      ConversationFacts c = parts.next();
      ConversationFacts seen = byId.putIfAbsent(c.getConversationId(), c);
      if (seen != null) {
        seen.merge(c);
      }
    }
    return byId;
  }

  /**
   * One row per conversation of the lake events ({@link Inputs#LAKE} columns) before the snapshot
   * whose start event is among them (the others have no customer): tenant, customer_id, channel and
   * started_at (from its start event), closed and resolved, surveys (csat_sum, csat_n, csat_last of
   * the latest survey), customer-message sentiment (sentiment_sum, sentiment_n), complaints
   * (customer messages with anger ≥ 0.8) and language (that of its last customer message).
   */
  public static Dataset<Row> conversations(Dataset<Row> events, AsOf asOf) {
    Column surveyed = col("csatN").gt(0);
    return conversationFacts(events, asOf)
        .select(
            col("conversationId").as("conversation_id"),
            timestamp_millis(col("startedAt")).as("started_at"),
            col("tenant"),
            col("customer").as("customer_id"),
            col("channel"),
            col("closed"),
            col("resolved"),
            when(surveyed, col("csatSum")).as("csat_sum"),
            col("csatN").as("csat_n"),
            when(surveyed, col("csatLast")).as("csat_last"),
            when(surveyed, timestamp_millis(col("csatTime"))).as("csat_time"),
            when(col("sentimentN").gt(0), col("sentimentSum")).as("sentiment_sum"),
            col("sentimentN").as("sentiment_n"),
            col("complaints"),
            col("language"));
  }

  /** {@link #conversations} rows back as {@link ConversationFacts}. */
  private static Dataset<ConversationFacts> facts(Dataset<Row> conversations) {
    return conversations
        .select(
            col("conversation_id").as("conversationId"),
            unix_millis(col("started_at")).as("startedAt"),
            col("tenant"),
            col("customer_id").as("customer"),
            col("channel"),
            col("closed"),
            col("resolved"),
            coalesce(col("csat_sum"), lit(0L)).as("csatSum"),
            col("csat_n").as("csatN"),
            coalesce(col("csat_last"), lit(0)).as("csatLast"),
            coalesce(unix_millis(col("csat_time")), lit(Long.MIN_VALUE)).as("csatTime"),
            coalesce(col("sentiment_sum"), lit(0.0)).as("sentimentSum"),
            col("sentiment_n").as("sentimentN"),
            col("complaints"),
            col("language"),
            lit(0L).as("languageTime"))
        .as(FACTS);
  }

  /**
   * Order lines ({@link Inputs#ORDERS}) before the snapshot in the columns of {@link ShopEvent}
   * ({@link PartitionFolds#SHOP_COLUMNS}).
   */
  static Dataset<Row> orderLines(Dataset<Row> lines, AsOf asOf) {
    Column t = col("order_time");
    return lines
        .where(t.lt(asOf.endLit()))
        .select(
            col("tenant"),
            col("customer_id").as("customer"),
            lit(true).as("line"),
            col("order_id").as("orderId"),
            unix_millis(t).as("time"),
            col("quantity")
                .cast("long")
                .multiply(col("unit_price").multiply(100).cast("long"))
                .as("cents"),
            col("category"),
            lit(0L).as("points"));
  }

  /**
   * Browsing events ({@link Inputs#BROWSING}) before the snapshot with a category in the columns of
   * {@link ShopEvent}: 2 points per add-to-cart, 1 per view.
   */
  static Dataset<Row> browsingPoints(Dataset<Row> browsing, AsOf asOf) {
    Column points = when(col("action").equalTo("ADD_TO_CART"), CART_POINTS).otherwise(VIEW_POINTS);
    return browsing
        .where(col("event_time").lt(asOf.endLit()))
        .where(col("category").isNotNull())
        .select(
            col("tenant"),
            col("customer_id").as("customer"),
            lit(false).as("line"),
            lit(null).cast("string").as("orderId"),
            lit(0L).as("time"),
            lit(null).cast("long").as("cents"),
            col("category"),
            points.cast("long").as("points"));
  }

  /**
   * Shop events ({@link #orderLines}, {@link #browsingPoints}) folded per customer within each
   * partition ({@link PartitionFolds#shop}: a customer's many views and lines cross the shuffle as
   * one row).
   */
  static Dataset<CustomerInput> shopPartials(Dataset<Row> events) {
    PartitionFolds.checkColumns(events.schema(), PartitionFolds.SHOP_COLUMNS);
    return events
        .sparkSession()
        .createDataset(internalRows(events).mapPartitions(PartitionFolds::shop).rdd(), INPUT);
  }

  /** The inputs folded per customer (one shuffle by tenant and customer). */
  static Dataset<CustomerAggregate> fold(Dataset<CustomerInput> inputs, AsOf asOf) {
    LocalDate date = asOf.date();
    ZoneId zone = asOf.zone();
    return inputs
        .repartition(col("tenant"), col("customer"))
        .mapPartitions(
            (MapPartitionsFunction<CustomerInput, CustomerAggregate>)
                rows -> {
                  Map<PartitionFolds.CustomerKey, CustomerFold> folds = new HashMap<>();
                  while (rows.hasNext()) {
                    CustomerInput in = rows.next();
                    folds
                        .computeIfAbsent(
                            new PartitionFolds.CustomerKey(in.getTenant(), in.getCustomer()),
                            k -> new CustomerFold(date, zone))
                        .add(in);
                  }
                  return folds.entrySet().stream()
                      .map(e -> e.getValue().result(e.getKey().tenant(), e.getKey().customer()))
                      .iterator();
                },
            AGGREGATE);
  }

  /** {@link CustomerAggregate}s as rows of the columns the profile methods name. */
  public static Dataset<Row> rows(Dataset<CustomerAggregate> aggregates) {
    return aggregates.select(
        col("tenant"),
        col("customer").as("customer_id"),
        col("contacts30d").as("contacts_30d"),
        col("contacts90d").as("contacts_90d"),
        col("channelsUsed").as("channels_used"),
        col("preferredChannel").as("preferred_channel"),
        timestamp_millis(col("lastContact")).as("last_contact"),
        col("csatMean").as("csat_mean"),
        col("csatLast").as("csat_last"),
        col("sentimentMean").as("sentiment_mean"),
        col("sentimentTrend").as("sentiment_trend"),
        col("complaints"),
        col("repeatContacts7d").as("repeat_contacts_7d"),
        col("resolutionRate").as("resolution_rate"),
        col("unresolved"),
        col("preferredLanguage").as("preferred_language"),
        col("rfmRecencyDays").as("rfm_recency_days"),
        col("rfmFrequency").as("rfm_frequency"),
        col("rfmMonetaryCents")
            .cast(DataTypes.createDecimalType(20, 0))
            .divide(100)
            .cast(DataTypes.createDecimalType(14, 2))
            .as("rfm_monetary"),
        col("orders90d").as("orders_90d"),
        col("ordersPrev90d").as("orders_prev_90d"),
        col("topCategories").as("top_categories"));
  }

  /**
   * Per customer (tenant, customer_id) over the conversations ({@link #conversations} rows) that
   * started in the 90 days before the snapshot: contacts_30d, contacts_90d, channels_used (sorted),
   * preferred_channel (most used, ties to the first name), last_contact, csat_mean and csat_last
   * (latest survey), sentiment_mean (over customer messages), sentiment_trend (least-squares slope
   * of each conversation's mean customer sentiment against its start, per 30 days; null below two
   * conversations with sentiment), complaints, repeat_contacts_7d (conversations that started
   * within 7 days of the customer's previous one), resolution_rate (resolved / closed) and
   * unresolved (closed without a RESOLVED), preferred_language (the most frequent conversation
   * language, ties to the first code).
   */
  public static Dataset<Row> contacts(Dataset<Row> conversations, AsOf asOf) {
    Dataset<CustomerInput> in =
        facts(conversations)
            .map(
                (MapFunction<ConversationFacts, CustomerInput>) CustomerInput::conversation, INPUT);
    return rows(fold(in, asOf))
        .where(col("contacts_90d").isNotNull())
        .select(
            "tenant",
            "customer_id",
            "contacts_30d",
            "contacts_90d",
            "channels_used",
            "preferred_channel",
            "last_contact",
            "csat_mean",
            "csat_last",
            "sentiment_mean",
            "sentiment_trend",
            "complaints",
            "repeat_contacts_7d",
            "resolution_rate",
            "unresolved",
            "preferred_language");
  }

  /**
   * Per customer (tenant, customer_id) from the order lines ({@link Inputs#ORDERS}) before the
   * snapshot: rfm_recency_days (days from the last order's date to the snapshot date, in the
   * snapshot's zone), rfm_frequency (orders), rfm_monetary (Σ quantity × unit price), orders_90d
   * and orders_prev_90d (orders in the last 90 days and the 90 before).
   */
  public static Dataset<Row> orders(Dataset<Row> lines, AsOf asOf) {
    return rows(fold(shopPartials(orderLines(lines, asOf)), asOf))
        .where(col("rfm_frequency").isNotNull())
        .select(
            "tenant",
            "customer_id",
            "rfm_recency_days",
            "rfm_frequency",
            "rfm_monetary",
            "orders_90d",
            "orders_prev_90d");
  }

  /**
   * Adds r_score, f_score, m_score (1..5) and rfm_segment, value_tier to per-customer rows with the
   * {@link #orders} columns (null in those of a customer without orders, who gets null scores,
   * segment and tier), with the {@link Quintiles} of those rows (collected: one number per customer
   * with orders and column).
   */
  public static Dataset<Row> rfm(Dataset<Row> orders) {
    List<Row> values =
        orders
            .where(col("rfm_frequency").isNotNull())
            .select(
                col("rfm_recency_days").cast("double"),
                col("rfm_frequency").cast("double"),
                col("rfm_monetary").cast("double"))
            .collectAsList();
    double[][] v = new double[3][values.size()];
    for (int i = 0; i < values.size(); i++) {
      for (int c = 0; c < 3; c++) {
        v[c][i] = values.get(i).isNullAt(c) ? Double.NaN : values.get(i).getDouble(c);
      }
    }
    return rfm(orders, Quintiles.of(v[0], v[1], v[2]));
  }

  /**
   * {@link #rfm(Dataset)} with the population's quintile boundaries given. Each score is 1 + the
   * number of boundaries strictly below the value; recency counts the other way (5 = most recent).
   * Segment by R and FM = ⌈(F + M) / 2⌉ — see {@link #segment}. Value tier: M 5 high, 3–4 medium,
   * 1–2 low.
   */
  public static Dataset<Row> rfm(Dataset<Row> orders, Quintiles q) {
    Column buyer = col("rfm_frequency").isNotNull();
    Column r = when(buyer, lit(5).minus(below(col("rfm_recency_days"), q.recency())));
    Column f = when(buyer, lit(1).plus(below(col("rfm_frequency"), q.frequency())));
    Column m = when(buyer, lit(1).plus(below(col("rfm_monetary").cast("double"), q.monetary())));
    return orders
        .withColumn("r_score", r)
        .withColumn("f_score", f)
        .withColumn("m_score", m)
        .withColumn(
            "rfm_segment", when(buyer, segment(col("r_score"), col("f_score"), col("m_score"))))
        .withColumn(
            "value_tier",
            when(
                buyer,
                when(col("m_score").geq(5), "high")
                    .when(col("m_score").geq(3), "medium")
                    .otherwise("low")));
  }

  /** How many of the boundaries {@code q} lie strictly below {@code x}. */
  private static Column below(Column x, double[] q) {
    Column n = lit(0);
    for (double bound : q) {
      n = n.plus(when(lit(bound).lt(x), 1).otherwise(0));
    }
    return n;
  }

  /** The {@link Quintiles} of the customers with orders among {@code aggregates}. */
  public static Quintiles quintiles(JavaRDD<CustomerAggregate> aggregates) {
    List<double[]> parts = aggregates.mapPartitions(ProfileJob::rfmValues).collect();
    int n = parts.stream().mapToInt(p -> p.length / 3).sum();
    double[][] v = new double[3][n];
    int i = 0;
    for (double[] p : parts) {
      for (int j = 0; j < p.length; j += 3, i++) {
        v[0][i] = p[j];
        v[1][i] = p[j + 1];
        v[2][i] = p[j + 2];
      }
    }
    return Quintiles.of(v[0], v[1], v[2]);
  }

  /**
   * The recency, frequency and monetary amount (NaN: none) of each customer with orders in turn, as
   * one flat array: a partition's task result is one primitive array, not an object per customer.
   */
  private static Iterator<double[]> rfmValues(Iterator<CustomerAggregate> aggregates) {
    double[] values = new double[3 * 1024];
    int n = 0;
    while (aggregates.hasNext()) {
      CustomerAggregate a = aggregates.next();
      if (a.getRfmFrequency() == null) {
        continue;
      }
      if (n + 3 > values.length) {
        values = Arrays.copyOf(values, 2 * values.length);
      }
      values[n++] = a.getRfmRecencyDays();
      values[n++] = a.getRfmFrequency();
      values[n++] = a.getRfmMonetaryCents() == null ? Double.NaN : a.getRfmMonetaryCents() / 100.0;
    }
    return List.of(Arrays.copyOf(values, n)).iterator();
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
    return rows(fold(
            shopPartials(orderLines(lines, asOf).union(browsingPoints(browsing, asOf))), asOf))
        .where(col("top_categories").isNotNull())
        .select("tenant", "customer_id", "top_categories");
  }

  /**
   * Per customer (tenant, customer_id) with a contact in the 90-day window, an order or browsing
   * before the snapshot: the figures of {@link #contacts}, {@link #orders} and {@link #categories}
   * (null where the customer has none of that kind), from one fold per customer over the
   * conversations, order lines and category points. The lake is read once.
   */
  public static Dataset<CustomerAggregate> aggregates(
      Dataset<Row> events, Dataset<Row> lines, Dataset<Row> browsing, AsOf asOf) {
    long end = asOf.end().toEpochMilli();
    Dataset<CustomerInput> contacts =
        conversationFacts(events, asOf)
            .filter(
                (FilterFunction<ConversationFacts>)
                    c ->
                        c.getCustomer() != null
                            && CustomerFold.inContactWindow(c.getStartedAt(), end))
            .map(
                (MapFunction<ConversationFacts, CustomerInput>) CustomerInput::conversation, INPUT);
    Dataset<CustomerInput> shop =
        shopPartials(orderLines(lines, asOf).union(browsingPoints(browsing, asOf)));
    return fold(contacts.union(shop), asOf);
  }

  /**
   * {@link #aggregates} as rows: the columns of {@link #contacts}, {@link #orders}, {@link
   * #categories}.
   */
  public static Dataset<Row> customers(
      Dataset<Row> events, Dataset<Row> lines, Dataset<Row> browsing, AsOf asOf) {
    return rows(aggregates(events, lines, browsing, asOf));
  }

  /**
   * The profiles out of {@link #customers} (or {@link #rows}) rows, in the columns of {@code
   * CustomerProfile.avsc} (customer_id becomes customer_pseudonym: the lake holds pseudonyms): the
   * RFM scores and segment of {@link #rfm}, and the churn risk. Churn risk adds, capped at 1: no
   * order for 90+ days 0.30 (60–89 days 0.15); fewer orders in the last 90 days than the 90 before
   * 0.20; a complaint in 90 days 0.15; CSAT mean below 3 in 90 days 0.20; a closed contact left
   * unresolved in 90 days 0.15 — each with its reason, largest first. Also the RFM scores
   * (rfm_r_score, rfm_f_score, rfm_m_score: null without orders), unresolved_contacts (0 without
   * contacts) and order_trend (orders_90d − orders_prev_90d: null without orders).
   */
  public static Dataset<Row> score(Dataset<Row> customers, AsOf asOf) {
    return churn(rfm(customers), asOf);
  }

  /** {@link #score(Dataset, AsOf)} with the population's quintiles given. */
  public static Dataset<Row> score(Dataset<Row> customers, Quintiles q, AsOf asOf) {
    return churn(rfm(customers, q), asOf);
  }

  private static Dataset<Row> churn(Dataset<Row> all, AsOf asOf) {
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

  /**
   * The whole job: lake events, order lines and browsing in, profiles out. The quintiles are an
   * action over the aggregates, which are computed again for the profiles; {@link ProfilesCommand}
   * keeps them in memory between the two instead.
   */
  public static Dataset<Row> build(
      Dataset<Row> events, Dataset<Row> lines, Dataset<Row> browsing, AsOf asOf) {
    return score(customers(events, lines, browsing, asOf), asOf);
  }
}
