package io.kefu.simulator;

import io.kefu.schemas.CustomerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The customer population. Each customer is a pure function of (seed, index), so nothing is held in
 * memory and a customer looks the same whether met in a conversation, an order or the CRM file.
 */
final class Customers {

  /** One customer with the personal data the sandbox must protect. */
  record Customer(
      int index, String id, String language, People.Person person, String city, long registeredAt) {

    CustomerRecord toRecord(String tenant) {
      return new CustomerRecord(
          id,
          tenant,
          person.name(),
          person.phone(),
          person.email(),
          person.idNumber(),
          person.bankCard(),
          language,
          city,
          java.time.Instant.ofEpochMilli(registeredAt));
    }
  }

  private final long seed;
  private final int count;
  private final double skew;
  private final String[] languages;
  private final double[] languageCumulative;
  private final List<String> cities;
  private final People people;
  private final long registeredBefore;

  Customers(SimulatorConfig cfg, People people, long registeredBefore) {
    this.seed = cfg.seed;
    this.count = (int) Math.max(1, Math.round(cfg.conversations * cfg.customers.perConversation));
    this.skew = Math.max(1.0, cfg.customers.contactSkew);
    List<String> langs = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (Map.Entry<String, Double> e : cfg.languages.entrySet()) {
      langs.add(e.getKey());
      weights.add(e.getValue());
    }
    this.languages = langs.toArray(new String[0]);
    this.languageCumulative = Rng.cumulative(weights.stream().mapToDouble(d -> d).toArray());
    this.cities = cfg.customers.cities.isEmpty() ? List.of("上海") : cfg.customers.cities;
    this.people = people;
    this.registeredBefore = registeredBefore;
  }

  int count() {
    return count;
  }

  /** Frequent contacters (low indices, see {@link #pick}) are met again and again: keep them. */
  private final Customer[] cache = new Customer[1 << 15];

  Customer get(int index) {
    if (index < cache.length) {
      Customer c = cache[index];
      if (c == null) {
        c = create(index);
        cache[index] = c;
      }
      return c;
    }
    return create(index);
  }

  private Customer create(int index) {
    SplittableRandom rnd = Rng.of(seed, Rng.Stream.CUSTOMER, index);
    String language = languages[Rng.pick(rnd, languageCumulative)];
    People.Person person = people.person(language, rnd);
    String city = cities.get(rnd.nextInt(cities.size()));
    long registered = registeredBefore - (long) (rnd.nextDouble() * 3 * 365 * 86_400_000L);
    return new Customer(index, id(index), language, person, city, registered);
  }

  /** A customer for a new conversation: frequent contacters (low indices) come back more often. */
  int pick(SplittableRandom rnd) {
    return Math.min(count - 1, (int) (count * Math.pow(rnd.nextDouble(), skew)));
  }

  static String id(int index) {
    return "cust-" + Ids.pad(index, 7);
  }
}
