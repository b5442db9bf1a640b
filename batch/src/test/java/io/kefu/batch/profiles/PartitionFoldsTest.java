package io.kefu.batch.profiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * The per-partition combiners over Spark's internal rows, fed as a reader feeds them: one row
 * object whose bytes are overwritten by the next row.
 */
class PartitionFoldsTest {
  static final StructType LAKE =
      new StructType()
          .add("conversationId", DataTypes.StringType)
          .add("kind", DataTypes.IntegerType)
          .add("time", DataTypes.LongType)
          .add("tenant", DataTypes.StringType)
          .add("customer", DataTypes.StringType)
          .add("channel", DataTypes.StringType)
          .add("language", DataTypes.StringType)
          .add("sentiment", DataTypes.DoubleType)
          .add("anger", DataTypes.DoubleType)
          .add("csat", DataTypes.IntegerType);

  static final StructType SHOP =
      new StructType()
          .add("tenant", DataTypes.StringType)
          .add("customer", DataTypes.StringType)
          .add("line", DataTypes.BooleanType)
          .add("orderId", DataTypes.StringType)
          .add("time", DataTypes.LongType)
          .add("cents", DataTypes.LongType)
          .add("category", DataTypes.StringType)
          .add("points", DataTypes.LongType);

  /** {@code rows} as one reused row, each next() overwriting the last. */
  static Iterator<InternalRow> reused(StructType schema, List<Object[]> rows) {
    UnsafeProjection project = UnsafeProjection.create(schema);
    Iterator<Object[]> it = rows.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public InternalRow next() {
        Object[] v = it.next().clone();
        for (int i = 0; i < v.length; i++) {
          if (v[i] instanceof String s) {
            v[i] = UTF8String.fromString(s);
          }
        }
        return project.apply(new GenericInternalRow(v));
      }
    };
  }

  static Object[] lake(String id, int kind, long minute, Object... rest) {
    Object[] row = new Object[10];
    row[0] = id;
    row[1] = kind;
    row[2] = minute * 60_000;
    System.arraycopy(rest, 0, row, 3, rest.length);
    return row;
  }

  /** Two conversations' events interleaved: each keeps its own id, customer and language. */
  @Test
  void interleavedConversationsKeepTheirOwnStrings() {
    List<Object[]> rows = new ArrayList<>();
    rows.add(lake("c-1", ConversationFacts.STARTED, 0, "acme", "cust-a", "WEB"));
    rows.add(lake("c-2", ConversationFacts.STARTED, 1, "acme", "cust-b", "PHONE"));
    rows.add(lake("c-1", ConversationFacts.CUSTOMER_MESSAGE, 2, null, null, null, "zh", 0.5, 0.9));
    rows.add(lake("c-2", ConversationFacts.CUSTOMER_MESSAGE, 3, null, null, null, "en", -0.5, 0.1));
    rows.add(lake("c-1", ConversationFacts.OTHER, 4, null, null, null, null, null, null, 4));
    rows.add(lake("c-2", ConversationFacts.CLOSED, 5));
    List<ConversationFacts> facts = new ArrayList<>();
    PartitionFolds.conversations(reused(LAKE, rows)).forEachRemaining(facts::add);
    facts.sort(Comparator.comparing(ConversationFacts::getConversationId));

    ConversationFacts one = facts.get(0);
    assertEquals("c-1", one.getConversationId());
    assertEquals("cust-a", one.getCustomer());
    assertEquals("WEB", one.getChannel());
    assertEquals("zh", one.getLanguage());
    assertEquals(1, one.getComplaints());
    assertEquals(4, one.getCsatLast());
    ConversationFacts two = facts.get(1);
    assertEquals("c-2", two.getConversationId());
    assertEquals("cust-b", two.getCustomer());
    assertEquals("PHONE", two.getChannel());
    assertEquals("en", two.getLanguage());
    assertEquals(true, two.isClosed());
    assertEquals(0, two.getCsatN());
  }

  static Object[] shop(String customer, String order, Long cents, String category, long points) {
    return new Object[] {
      "acme", customer, order != null, order, order == null ? 0L : 60_000L, cents, category, points
    };
  }

  /** A customer's rows on either side of another's: one partial, with both runs of rows. */
  @Test
  void aCustomerSeenTwiceIsOnePartial() {
    List<Object[]> rows =
        List.of(
            shop("cust-a", "o1", 1000L, "home", 0),
            shop("cust-a", null, null, "books", 1),
            shop("cust-b", null, null, "toys", 2),
            shop("cust-a", "o2", null, "home", 0));
    List<CustomerInput> inputs = new ArrayList<>();
    PartitionFolds.shop(reused(SHOP, rows)).forEachRemaining(inputs::add);
    inputs.sort(Comparator.comparing(CustomerInput::getCustomer));

    CustomerInput a = inputs.get(0);
    assertEquals(2, inputs.size());
    assertEquals("cust-a", a.getCustomer());
    assertEquals("acme", a.getTenant());
    assertArrayEquals(new String[] {"o1", "o2"}, a.getOrderIds());
    assertArrayEquals(new long[] {1000L, ShopPartial.NO_AMOUNT}, a.getOrderCents());
    assertArrayEquals(new String[] {"home", "books"}, a.getCategories());
    assertArrayEquals(new long[] {6, 1}, a.getPoints());
    CustomerInput b = inputs.get(1);
    assertEquals("cust-b", b.getCustomer());
    assertArrayEquals(new String[] {"toys"}, b.getCategories());
    assertEquals(0, b.getOrderIds().length);
  }

  @Test
  void internerStopsRememberingPastItsLimit() {
    PartitionFolds.Interner strings = new PartitionFolds.Interner();
    UnsafeProjection project = UnsafeProjection.create(new StructType().add("s", "string"));
    String first = null;
    for (int i = 0; i <= PartitionFolds.Interner.LIMIT; i++) {
      String s = strings.of(project.apply(row("v" + i)), 0);
      assertEquals("v" + i, s);
      if (i == 0) {
        first = s;
      }
    }
    // still remembered: the same string; past the limit: an equal one each time
    assertEquals(true, first == strings.of(project.apply(row("v0")), 0));
    String last = "v" + PartitionFolds.Interner.LIMIT;
    assertEquals(last, strings.of(project.apply(row(last)), 0));
    assertNull(strings.of(project.apply(row(null)), 0));
  }

  private static InternalRow row(String s) {
    return new GenericInternalRow(new Object[] {s == null ? null : UTF8String.fromString(s)});
  }

  @Test
  void columnsOutOfOrderAreRefused() {
    StructType swapped = new StructType().add("customer", "string").add("tenant", "string");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> PartitionFolds.checkColumns(swapped, PartitionFolds.SHOP_COLUMNS));
    assertEquals(true, e.getMessage().contains("[customer, tenant]"));
  }
}
