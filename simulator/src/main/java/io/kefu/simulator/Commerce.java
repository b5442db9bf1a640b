package io.kefu.simulator;

import io.kefu.schemas.BrowsingAction;
import io.kefu.schemas.BrowsingEvent;
import io.kefu.schemas.OrderLine;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Orders and browsing driven by hidden preferences, for profiles and recommendations. Products
 * belong to clusters (a style within a category); each customer prefers two or three clusters
 * (Dirichlet weights) and explores popular ones now and then, so that a collaborative model can
 * learn more than popularity — and the truth files say what it should learn.
 */
final class Commerce {

  private static final Map<String, Double> MEDIAN_PRICE =
      Map.of(
          "phones",
          2500.0,
          "computers",
          5000.0,
          "appliances",
          800.0,
          "apparel",
          200.0,
          "beauty",
          150.0,
          "food",
          60.0,
          "baby",
          180.0,
          "books",
          45.0,
          "sports",
          300.0,
          "home",
          120.0);

  private final SimulatorConfig cfg;
  private final SimulatorConfig.Commerce c;
  private final Customers customers;
  private final long from;
  private final long to;
  private final String[] productIds;
  private final String[] productCategory;
  private final BigDecimal[] productPrice;
  private final int[][] clusterProducts;
  private final double[][] clusterProductCumulative;
  private final double[] clusterCumulative;
  private final String[] clusterCategory;

  Commerce(SimulatorConfig cfg, Customers customers, long simulationStart, long simulationEnd) {
    this.cfg = cfg;
    this.c = cfg.commerce;
    this.customers = customers;
    this.from = simulationStart - c.historyDays * 86_400_000L;
    this.to = simulationEnd;
    int k = Math.max(1, c.clusters);
    int n = Math.max(k, c.products);
    SplittableRandom rnd = Rng.of(cfg.seed, Rng.Stream.CATALOGUE, 0);
    clusterCategory = new String[k];
    for (int i = 0; i < k; i++) {
      clusterCategory[i] = c.categories.get(i % c.categories.size());
    }
    productIds = new String[n];
    productCategory = new String[n];
    productPrice = new BigDecimal[n];
    List<List<Integer>> members = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      members.add(new ArrayList<>());
    }
    for (int j = 0; j < n; j++) {
      int cluster = j % k;
      members.get(cluster).add(j);
      productIds[j] = productId(j);
      productCategory[j] = clusterCategory[cluster];
      double median = MEDIAN_PRICE.getOrDefault(productCategory[j], 100.0);
      productPrice[j] =
          BigDecimal.valueOf(Rng.logNormal(rnd, median, 0.5)).setScale(2, RoundingMode.HALF_UP);
    }
    clusterProducts = new int[k][];
    clusterProductCumulative = new double[k][];
    for (int i = 0; i < k; i++) {
      List<Integer> m = members.get(i);
      clusterProducts[i] = m.stream().mapToInt(Integer::intValue).toArray();
      double[] w = new double[m.size()];
      for (int r = 0; r < w.length; r++) {
        w[r] = 1.0 / Math.pow(r + 1, c.zipf);
      }
      clusterProductCumulative[i] = Rng.cumulative(w);
    }
    double[] cw = new double[k];
    for (int i = 0; i < k; i++) {
      cw[i] = 1.0 / Math.pow(i + 1, 0.8);
    }
    clusterCumulative = Rng.cumulative(cw);
  }

  static String productId(int j) {
    return "p-" + Ids.pad(j, 5);
  }

  void generate(SimulationOutput out) throws IOException {
    for (int j = 0; j < productCategory.length; j++) {
      out.truth(
          "catalogue.jsonl",
          new GroundTruth.Product(
              productId(j),
              productCategory[j],
              j % clusterProducts.length,
              productPrice[j].toPlainString()));
    }
    for (int i = 0; i < customers.count(); i++) {
      customer(i, out);
    }
  }

  private void customer(int index, SimulationOutput out) throws IOException {
    SplittableRandom rnd = Rng.of(cfg.seed, Rng.Stream.COMMERCE, index);
    String customerId = Customers.id(index);
    int m = 2 + rnd.nextInt(2);
    int[] liked = new int[m];
    double[] weights = new double[m];
    double sum = 0;
    for (int i = 0; i < m; i++) {
      liked[i] = Rng.pick(rnd, clusterCumulative);
      weights[i] = Rng.gamma(rnd, 1, 1);
      sum += weights[i];
    }
    Map<Integer, Double> prefs = new LinkedHashMap<>();
    List<String> categories = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      weights[i] /= sum;
      prefs.merge(liked[i], Rng.round3(weights[i]), Double::sum);
      if (!categories.contains(clusterCategory[liked[i]])) {
        categories.add(clusterCategory[liked[i]]);
      }
    }
    double[] likedCumulative = Rng.cumulative(weights);
    double rate = Rng.gamma(rnd, 1.5, c.ordersPerCustomer / 1.5);
    out.truth(
        "preferences.jsonl",
        new GroundTruth.Preference(customerId, prefs, categories, Rng.round3(rate)));

    int orders = Rng.poisson(rnd, rate);
    for (int o = 0; o < orders; o++) {
      long time = from + (long) (rnd.nextDouble() * (to - from));
      String orderId = "o-" + Ids.pad(index, 7) + "-" + Ids.pad(o + 1, 3);
      int lines = 1 + Rng.poisson(rnd, Math.max(0, c.linesPerOrder - 1));
      for (int l = 0; l < lines; l++) {
        int product = product(rnd, liked, likedCumulative, c.explore);
        OrderLine line =
            new OrderLine(
                orderId,
                l + 1,
                customerId,
                cfg.tenant,
                Instant.ofEpochMilli(time),
                productIds[product],
                productCategory[product],
                Rng.chance(rnd, 0.15) ? 2 : 1,
                productPrice[product],
                "CNY");
        out.order(line);
      }
    }
    int views = Rng.poisson(rnd, c.viewsPerOrder * (orders + 0.5));
    for (int v = 0; v < views; v++) {
      long time = from + (long) (rnd.nextDouble() * (to - from));
      int product = product(rnd, liked, likedCumulative, Math.min(1, c.explore * 2));
      out.browsing(
          new BrowsingEvent(
              customerId,
              cfg.tenant,
              Instant.ofEpochMilli(time),
              productIds[product],
              productCategory[product],
              Rng.chance(rnd, 0.1) ? BrowsingAction.ADD_TO_CART : BrowsingAction.VIEW));
    }
  }

  private int product(SplittableRandom rnd, int[] liked, double[] likedCumulative, double explore) {
    int cluster =
        Rng.chance(rnd, explore)
            ? Rng.pick(rnd, clusterCumulative)
            : liked[Rng.pick(rnd, likedCumulative)];
    return clusterProducts[cluster][Rng.pick(rnd, clusterProductCumulative[cluster])];
  }
}
