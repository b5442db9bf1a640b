package io.kefu.batch.profiles;

import java.util.Arrays;

/**
 * One customer's order lines and category points as one partition saw them (plain Java), so that a
 * customer's shop events cross the shuffle as one row instead of one row each. {@link CustomerFold}
 * groups the lines by order and sums the points of all partials.
 */
final class ShopPartial {
  /** An amount in {@link #cents} that the line did not have (no quantity or price). */
  static final long NO_AMOUNT = Long.MIN_VALUE;

  private final String tenant;
  private final String customer;
  private String[] orderIds = new String[2];
  private long[] times = new long[2];
  private long[] cents = new long[2];
  private int lines;
  private final CategoryPoints categories = new CategoryPoints();

  ShopPartial(String tenant, String customer) {
    this.tenant = tenant;
    this.customer = customer;
  }

  void add(ShopEvent e) {
    if (!e.isLine()) {
      categories.add(e.getCategory(), e.getPoints());
      return;
    }
    if (lines == orderIds.length) {
      orderIds = Arrays.copyOf(orderIds, 2 * lines);
      times = Arrays.copyOf(times, 2 * lines);
      cents = Arrays.copyOf(cents, 2 * lines);
    }
    orderIds[lines] = e.getOrderId();
    times[lines] = e.getTime();
    cents[lines++] = e.getCents() == null ? NO_AMOUNT : e.getCents();
    if (e.getCategory() != null) {
      categories.add(e.getCategory(), ProfileJob.ORDER_LINE_POINTS);
    }
  }

  CustomerInput toInput() {
    CustomerInput in = new CustomerInput();
    in.setTenant(tenant);
    in.setCustomer(customer);
    in.setKind(CustomerInput.SHOP);
    in.setOrderIds(Arrays.copyOf(orderIds, lines));
    in.setOrderTimes(Arrays.copyOf(times, lines));
    in.setOrderCents(Arrays.copyOf(cents, lines));
    String[] names = new String[categories.size()];
    long[] points = new long[categories.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = categories.name(i);
      points[i] = categories.points(i);
    }
    in.setCategories(names);
    in.setPoints(points);
    return in;
  }
}
