package io.kefu.batch.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.Fixtures;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-customer fold and its pieces, without Spark. */
class CustomerFoldTest {
  static final LocalDate DAY = Fixtures.DAY;
  static final long END =
      DAY.plusDays(1).atStartOfDay(Fixtures.SHANGHAI).toInstant().toEpochMilli();
  static final long DAY_MS = CustomerFold.DAY_MS;

  static ShopEvent line(String order, long time, Long cents, String category) {
    ShopEvent e = new ShopEvent();
    e.setTenant("acme");
    e.setCustomer("cust-a");
    e.setLine(true);
    e.setOrderId(order);
    e.setTime(time);
    e.setCents(cents);
    e.setCategory(category);
    return e;
  }

  static ShopEvent view(String category, long points) {
    ShopEvent e = new ShopEvent();
    e.setTenant("acme");
    e.setCustomer("cust-a");
    e.setCategory(category);
    e.setPoints(points);
    return e;
  }

  static CustomerInput partial(ShopEvent... events) {
    ShopPartial p = new ShopPartial("acme", "cust-a");
    for (ShopEvent e : events) {
      p.add(e);
    }
    return p.toInput();
  }

  /**
   * Order o1's lines seen by two partitions (one without an amount), o2 in one; a view of books:
   * two orders, the earlier line's time, 10.00 + 2.50 for o1.
   */
  @Test
  void anOrderSplitOverPartitionsIsOneOrder() {
    CustomerFold fold = new CustomerFold(DAY, Fixtures.SHANGHAI);
    fold.add(partial(line("o1", END - 10 * DAY_MS, 1000L, "home"), view("books", 1)));
    fold.add(partial(line("o1", END - 11 * DAY_MS, null, "home")));
    fold.add(
        partial(
            line("o1", END - 12 * DAY_MS, 250L, null), line("o2", END - 200 * DAY_MS, 1L, "toys")));
    CustomerAggregate a = fold.result("acme", "cust-a");
    assertEquals(2, a.getRfmFrequency());
    assertEquals(1250L + 1, a.getRfmMonetaryCents());
    // the latest order is o1, at its earliest line: 12 × 24 h before the end of the snapshot day,
    // the start of the day 11 days before it
    assertEquals(11, a.getRfmRecencyDays());
    assertEquals(1, a.getOrders90d());
    assertEquals(0, a.getOrdersPrev90d(), "o2 is 200 days old");
    assertEquals(List.of("home", "toys", "books"), a.getTopCategories(), "6, 3 and 1 points");
    assertNull(a.getContacts90d(), "no contact");
  }

  @Test
  void anOrderWithoutAnyAmountHasNoMonetary() {
    CustomerFold fold = new CustomerFold(DAY, Fixtures.SHANGHAI);
    fold.add(partial(line("o1", END - DAY_MS, null, "home")));
    assertNull(fold.result("acme", "cust-a").getRfmMonetaryCents());
  }

  @Test
  void repeatsCountStartsWithinSevenDaysOfThePreviousOne() {
    long[] starts = {0, 7 * DAY_MS, 14 * DAY_MS + 1, 14 * DAY_MS + 1, 30 * DAY_MS};
    assertEquals(2, CustomerFold.repeats(starts, 7 * DAY_MS), "7 days after, then the same time");
  }

  /** The three points of ProfileJobTest's cust-b: mean x −16.5, Sxy 18.5, Sxx 866. */
  @Test
  void slopeIsTheLeastSquaresSlopeOrNullWithoutTwoDistinctX() {
    double[] x = {-40.5, -5.5, -3.5};
    double[] y = {-0.5, 0.0, 0.5};
    assertEquals(18.5 / 866, CustomerFold.slope(x, y, 3), 1e-15);
    assertNull(CustomerFold.slope(x, y, 1));
    assertNull(CustomerFold.slope(new double[] {2, 2}, y, 2));
    assertNull(CustomerFold.slope(x, y, 0));
  }

  @Test
  void modeTiesGoToTheFirstName() {
    assertEquals("APP", CustomerFold.mode(Map.of("WEB", 2, "APP", 2, "PHONE", 1)));
    assertEquals("WEB", CustomerFold.mode(Map.of("WEB", 3, "APP", 2)));
    assertNull(CustomerFold.mode(Map.of()));
  }

  @Test
  void topCategoriesTieByNameInUtf8Order() {
    CategoryPoints p = new CategoryPoints();
    p.add("toys", 2);
    p.add("books", 2);
    p.add("home", 5);
    p.add("\uD83D\uDE00 emoji", 2);
    p.add("\uFFFD replacement", 2);
    p.add("books", 0);
    assertEquals(List.of("home", "books", "toys"), p.top(3));
    assertEquals(
        List.of("home", "books", "toys", "\uFFFD replacement", "\uD83D\uDE00 emoji"),
        p.top(9),
        "U+1F600 sorts after U+FFFD in UTF-8, before it in UTF-16");
    assertTrue(Utf8Order.compare("\uD83D\uDE00", "\uFFFD") > 0);
    assertTrue("\uD83D\uDE00".compareTo("\uFFFD") < 0);
  }
}
