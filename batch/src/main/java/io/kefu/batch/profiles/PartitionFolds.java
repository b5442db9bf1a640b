package io.kefu.batch.profiles;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The per-partition combiners of {@link ProfileJob} over Spark's internal rows of its narrow
 * projections ({@link #LAKE_COLUMNS}, {@link #SHOP_COLUMNS}, read by position): the input side's
 * tens of millions of rows are folded straight from the reader's bytes instead of each becoming a
 * JavaBean with a Java string per field. A conversation id becomes a Java string once per
 * partition, a customer once per run of its rows, and the few tenants, channels, languages and
 * categories once per partition ({@link Interner}); each row fills one reused {@link LakeEvent} or
 * {@link ShopEvent}, so the folds themselves are those the plain-Java tests exercise.
 */
final class PartitionFolds {
  private PartitionFolds() {}

  /** The columns of {@link ProfileJob#lakeEvents}, in this order. */
  static final List<String> LAKE_COLUMNS =
      List.of(
          "conversationId",
          "kind",
          "time",
          "tenant",
          "customer",
          "channel",
          "language",
          "sentiment",
          "anger",
          "csat");

  /** The columns of {@link ProfileJob#orderLines} and {@link ProfileJob#browsingPoints}. */
  static final List<String> SHOP_COLUMNS =
      List.of("tenant", "customer", "line", "orderId", "time", "cents", "category", "points");

  /** Fails unless {@code schema} has exactly {@code columns}, in that order. */
  static void checkColumns(StructType schema, List<String> columns) {
    if (!Arrays.asList(schema.fieldNames()).equals(columns)) {
      throw new IllegalStateException(
          "expected the columns " + columns + ", got " + Arrays.toString(schema.fieldNames()));
    }
  }

  /** The partition's lake events ({@link #LAKE_COLUMNS}) folded per conversation. */
  static Iterator<ConversationFacts> conversations(Iterator<InternalRow> rows) {
    Map<UTF8String, ConversationFacts> byId = new HashMap<>();
    Interner strings = new Interner();
    LakeEvent e = new LakeEvent();
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      UTF8String id = r.getUTF8String(0);
      ConversationFacts c = byId.get(id);
      if (c == null) {
        c = new ConversationFacts(id.toString());
        byId.put(id.clone(), c); // the row's bytes are reused for the next row
      }
      e.setKind(r.getInt(1));
      e.setTime(r.getLong(2));
      e.setTenant(strings.of(r, 3));
      // customers are many: a string each, on start events only (null elsewhere)
      e.setCustomer(r.isNullAt(4) ? null : r.getUTF8String(4).toString());
      e.setChannel(strings.of(r, 5));
      e.setLanguage(strings.of(r, 6));
      e.setSentiment(r.isNullAt(7) ? null : r.getDouble(7));
      e.setAnger(r.isNullAt(8) ? null : r.getDouble(8));
      e.setCsat(r.isNullAt(9) ? null : r.getInt(9));
      c.add(e);
    }
    return byId.values().iterator();
  }

  /** A customer within its tenant: the key of the per-customer folds. */
  record CustomerKey(String tenant, String customer) {}

  /**
   * The partition's order lines and browsing points ({@link #SHOP_COLUMNS}) folded per customer (a
   * combiner: a customer's many rows cross the shuffle as one).
   */
  static Iterator<CustomerInput> shop(Iterator<InternalRow> rows) {
    Map<CustomerKey, ShopPartial> partials = new HashMap<>();
    Interner strings = new Interner();
    ShopEvent e = new ShopEvent();
    // exports tend to list a customer's rows together: skip the look-up for those
    ShopPartial current = null;
    UTF8String tenant = null;
    UTF8String customer = null;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      UTF8String t = r.isNullAt(0) ? null : r.getUTF8String(0);
      UTF8String c = r.isNullAt(1) ? null : r.getUTF8String(1);
      if (current == null || !same(c, customer) || !same(t, tenant)) {
        tenant = t == null ? null : t.clone();
        customer = c == null ? null : c.clone();
        String ts = strings.of(r, 0);
        String cs = customer == null ? null : customer.toString();
        current = partials.computeIfAbsent(new CustomerKey(ts, cs), k -> new ShopPartial(ts, cs));
      }
      e.setLine(r.getBoolean(2));
      e.setOrderId(r.isNullAt(3) ? null : r.getUTF8String(3).toString());
      e.setTime(r.getLong(4));
      e.setCents(r.isNullAt(5) ? null : r.getLong(5));
      e.setCategory(strings.of(r, 6));
      e.setPoints(r.getLong(7));
      current.add(e);
    }
    return partials.values().stream().map(ShopPartial::toInput).iterator();
  }

  private static boolean same(UTF8String a, UTF8String b) {
    return a == null ? b == null : a.equals(b);
  }

  /**
   * One Java string per distinct value of a partition's low-cardinality string columns (tenants,
   * channels, languages, categories), looked up by the row's bytes; past {@link #LIMIT} values it
   * stops remembering (a column that turns out not to be low-cardinality costs a string per row, as
   * before, not memory).
   */
  static final class Interner {
    static final int LIMIT = 10_000;
    private final Map<UTF8String, String> strings = new HashMap<>();

    /** Column {@code i} of {@code r} as a Java string (null: null). */
    String of(InternalRow r, int i) {
      if (r.isNullAt(i)) {
        return null;
      }
      UTF8String u = r.getUTF8String(i);
      String s = strings.get(u);
      if (s == null) {
        s = u.toString();
        if (strings.size() < LIMIT) {
          strings.put(u.clone(), s);
        }
      }
      return s;
    }
  }
}
