package io.kefu.batch.profiles;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One customer's {@link CustomerInput}s folded into a {@link CustomerAggregate} (plain Java; the
 * definitions are those of {@link ProfileJob}'s methods). Inputs come in any order: an order's
 * lines are grouped by order id here, and category points summed.
 */
final class CustomerFold {
  static final long DAY_MS = 86_400_000L;

  private final long end;
  private final LocalDate date;
  private final ZoneId zone;

  // contacts: the conversations started in the 90 days before the snapshot
  private long[] starts = new long[4];
  private int contacts;
  private int contacts30d;
  private final Map<String, Integer> channels = new HashMap<>(4);
  private final Map<String, Integer> languages = new HashMap<>(4);
  private long csatSum;
  private long csatN;
  private int csatLast;
  private long csatTime = Long.MIN_VALUE;
  private double sentimentSum;
  private long sentimentN;
  private long complaints;
  private int closed;
  private int resolved;
  // (x, y) of the sentiment trend: days before the snapshot, mean customer sentiment
  private double[] xs = new double[4];
  private double[] ys = new double[4];
  private int points;

  // orders: earliest time and cents (ShopPartial.NO_AMOUNT: none) per order id
  private Map<String, long[]> orders;

  // categories: points per category
  private CategoryPoints categories;

  /** A fold for the snapshot at the end of {@code date} in {@code zone}. */
  CustomerFold(LocalDate date, ZoneId zone) {
    this.date = date;
    this.zone = zone;
    this.end = date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
  }

  /** Whether a conversation started at {@code startedAt} counts toward the contacts. */
  static boolean inContactWindow(long startedAt, long end) {
    return startedAt >= end - 90 * DAY_MS && startedAt < end;
  }

  void add(CustomerInput in) {
    switch (in.getKind()) {
      case CustomerInput.CONVERSATION -> conversation(in.getConversation());
      case CustomerInput.SHOP -> {
        String[] ids = in.getOrderIds();
        long[] times = in.getOrderTimes();
        long[] cents = in.getOrderCents();
        for (int i = 0; i < ids.length; i++) {
          order(ids[i], times[i], cents[i]);
        }
        String[] names = in.getCategories();
        long[] points = in.getPoints();
        for (int i = 0; i < names.length; i++) {
          category(names[i], points[i]);
        }
      }
      default -> throw new IllegalArgumentException("input kind " + in.getKind());
    }
  }

  private void conversation(ConversationFacts c) {
    long t = c.getStartedAt();
    if (c.getCustomer() == null || !inContactWindow(t, end)) {
      return;
    }
    if (contacts == starts.length) {
      starts = Arrays.copyOf(starts, 2 * contacts);
    }
    starts[contacts++] = t;
    if (t >= end - 30 * DAY_MS) {
      contacts30d++;
    }
    if (c.getChannel() != null) {
      channels.merge(c.getChannel(), 1, Integer::sum);
    }
    if (c.getLanguage() != null) {
      languages.merge(c.getLanguage(), 1, Integer::sum);
    }
    csatSum += c.getCsatSum();
    csatN += c.getCsatN();
    if (c.getCsatN() > 0 && (csatTime == Long.MIN_VALUE || c.getCsatTime() > csatTime)) {
      csatTime = c.getCsatTime();
      csatLast = c.getCsatLast();
    }
    sentimentSum += c.getSentimentSum();
    sentimentN += c.getSentimentN();
    complaints += c.getComplaints();
    if (c.isClosed()) {
      closed++;
      if (c.isResolved()) {
        resolved++;
      }
    }
    Double mean = c.meanSentiment();
    if (mean != null) {
      if (points == xs.length) {
        xs = Arrays.copyOf(xs, 2 * points);
        ys = Arrays.copyOf(ys, 2 * points);
      }
      xs[points] = (t - end) / (1.0 * DAY_MS);
      ys[points++] = mean;
    }
  }

  private void order(String id, long time, long cents) {
    if (orders == null) {
      orders = new HashMap<>(4);
    }
    long[] o = orders.get(id);
    if (o == null) {
      orders.put(id, new long[] {time, cents});
      return;
    }
    o[0] = Math.min(o[0], time);
    if (cents != ShopPartial.NO_AMOUNT) {
      o[1] = o[1] == ShopPartial.NO_AMOUNT ? cents : o[1] + cents;
    }
  }

  private void category(String name, long p) {
    if (categories == null) {
      categories = new CategoryPoints();
    }
    categories.add(name, p);
  }

  /** The figures, keyed by {@code tenant} and {@code customer}. */
  CustomerAggregate result(String tenant, String customer) {
    CustomerAggregate a = new CustomerAggregate();
    a.setTenant(tenant);
    a.setCustomer(customer);
    if (contacts > 0) {
      contactFigures(a);
    }
    if (orders != null) {
      orderFigures(a);
    }
    if (categories != null) {
      a.setTopCategories(categories.top(ProfileJob.TOP_CATEGORIES));
    }
    return a;
  }

  private void contactFigures(CustomerAggregate a) {
    a.setContacts30d(contacts30d);
    a.setContacts90d(contacts);
    List<String> used = new ArrayList<>(channels.keySet());
    used.sort(Utf8Order::compare);
    a.setChannelsUsed(used);
    a.setPreferredChannel(mode(channels));
    long[] sorted = Arrays.copyOf(starts, contacts);
    Arrays.sort(sorted);
    a.setLastContact(sorted[contacts - 1]);
    a.setRepeatContacts7d(repeats(sorted, 7 * DAY_MS));
    a.setCsatMean(csatN > 0 ? (double) csatSum / csatN : null);
    a.setCsatLast(csatN > 0 ? csatLast : null);
    a.setSentimentMean(sentimentN > 0 ? sentimentSum / sentimentN : null);
    Double slope = slope(xs, ys, points);
    a.setSentimentTrend(slope == null ? null : slope * 30);
    a.setComplaints((int) complaints);
    a.setResolutionRate(closed > 0 ? (double) resolved / closed : null);
    a.setUnresolved(closed - resolved);
    a.setPreferredLanguage(mode(languages));
  }

  private void orderFigures(CustomerAggregate a) {
    long last = Long.MIN_VALUE;
    long cents = 0;
    boolean anyAmount = false;
    int last90 = 0;
    int previous90 = 0;
    for (long[] o : orders.values()) {
      last = Math.max(last, o[0]);
      if (o[1] != ShopPartial.NO_AMOUNT) {
        cents += o[1];
        anyAmount = true;
      }
      if (o[0] >= end - 90 * DAY_MS) {
        last90++;
      } else if (o[0] >= end - 180 * DAY_MS) {
        previous90++;
      }
    }
    LocalDate lastDay = LocalDate.ofInstant(Instant.ofEpochMilli(last), zone);
    a.setRfmRecencyDays((int) (date.toEpochDay() - lastDay.toEpochDay()));
    a.setRfmFrequency(orders.size());
    a.setRfmMonetaryCents(anyAmount ? cents : null);
    a.setOrders90d(last90);
    a.setOrdersPrev90d(previous90);
  }

  /** Starts (sorted) within {@code gap} of the one before. */
  static int repeats(long[] sorted, long gap) {
    int n = 0;
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] - sorted[i - 1] <= gap) {
        n++;
      }
    }
    return n;
  }

  /**
   * The least-squares slope of y on x over the first n points (as SQL's regr_slope: null without
   * two distinct x).
   */
  static Double slope(double[] x, double[] y, int n) {
    if (n == 0) {
      return null;
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
    }
    return sxx == 0 ? null : sxy / sxx;
  }

  /** The most frequent value; on a tie the first in UTF-8 order (SQL's deterministic mode). */
  static String mode(Map<String, Integer> counts) {
    String best = null;
    int most = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      int n = e.getValue();
      if (n > most || (n == most && Utf8Order.compare(e.getKey(), best) < 0)) {
        best = e.getKey();
        most = n;
      }
    }
    return best;
  }
}
