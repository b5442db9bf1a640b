package io.kefu.batch.ab;

import io.kefu.core.kpi.Fact;
import io.kefu.core.kpi.KpiSettings;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of an A/B comparison per arm (the conversation's {@code variant}), from core facts so
 * that every metric has its KPIS.md definition: queue legs (connect rate, abandon rate, service
 * level, ASA), closed conversations (bot containment, resolution rate, AHT, time to resolution,
 * human minutes) and surveys (CSAT top-2-box). Rates keep successes and trials, means keep size,
 * mean and the sum of squared deviations (Welford; merged exactly by Chan's formula), so partial
 * samples of Spark partitions merge into the whole.
 *
 * <p>Human minutes per conversation (the cost proxy): minutes from the first AGENT_ASSIGNED to
 * CLOSED (the handle time) for every closed conversation, 0 when no human took it.
 */
public final class AbSamples implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How a metric is tested. */
  public enum Kind {
    RATE,
    MEAN
  }

  /** A metric of the comparison; {@code higherIsBetter} only labels the verdict. */
  public record Metric(String name, Kind kind, boolean higherIsBetter) implements Serializable {}

  public static final List<Metric> METRICS =
      List.of(
          new Metric("connect_rate", Kind.RATE, true),
          new Metric("abandon_rate", Kind.RATE, false),
          new Metric("service_level", Kind.RATE, true),
          new Metric("bot_containment_rate", Kind.RATE, true),
          new Metric("resolution_rate", Kind.RATE, true),
          new Metric("csat_top2", Kind.RATE, true),
          new Metric("asa_seconds", Kind.MEAN, false),
          new Metric("aht_seconds", Kind.MEAN, false),
          new Metric("ttr_seconds", Kind.MEAN, false),
          new Metric("human_minutes_per_conversation", Kind.MEAN, false));

  /** A rate's successes and trials. */
  public static final class Rate implements Serializable {
    private static final long serialVersionUID = 1L;
    public long successes;
    public long trials;

    void add(boolean success) {
      trials++;
      if (success) {
        successes++;
      }
    }

    void merge(Rate o) {
      successes += o.successes;
      trials += o.trials;
    }

    public Double value() {
      return trials == 0 ? null : (double) successes / trials;
    }
  }

  /** Size, mean and sum of squared deviations of a sample. */
  public static final class Moments implements Serializable {
    private static final long serialVersionUID = 1L;
    public long n;
    public double mean;
    public double m2;

    public void add(double x) {
      n++;
      double delta = x - mean;
      mean += delta / n;
      m2 += delta * (x - mean);
    }

    void merge(Moments o) {
      if (o.n == 0) {
        return;
      }
      if (n == 0) {
        n = o.n;
        mean = o.mean;
        m2 = o.m2;
        return;
      }
      long total = n + o.n;
      double delta = o.mean - mean;
      mean += delta * o.n / total;
      m2 += o.m2 + delta * delta * ((double) n * o.n / total);
      n = total;
    }

    /** The (n − 1) sample variance; NaN below 2 values. */
    public double variance() {
      return n < 2 ? Double.NaN : m2 / (n - 1);
    }

    public Double value() {
      return n == 0 ? null : mean;
    }
  }

  /** One arm's samples. */
  public static final class Arm implements Serializable {
    private static final long serialVersionUID = 1L;
    public final Rate connect = new Rate();
    public final Rate abandon = new Rate();
    public final Rate serviceLevel = new Rate();
    public final Rate containment = new Rate();
    public final Rate resolution = new Rate();
    public final Rate csatTop2 = new Rate();
    public final Moments asa = new Moments();
    public final Moments aht = new Moments();
    public final Moments ttr = new Moments();
    public final Moments humanMinutes = new Moments();

    void merge(Arm o) {
      connect.merge(o.connect);
      abandon.merge(o.abandon);
      serviceLevel.merge(o.serviceLevel);
      containment.merge(o.containment);
      resolution.merge(o.resolution);
      csatTop2.merge(o.csatTop2);
      asa.merge(o.asa);
      aht.merge(o.aht);
      ttr.merge(o.ttr);
      humanMinutes.merge(o.humanMinutes);
    }

    public Rate rate(String metric) {
      return switch (metric) {
        case "connect_rate" -> connect;
        case "abandon_rate" -> abandon;
        case "service_level" -> serviceLevel;
        case "bot_containment_rate" -> containment;
        case "resolution_rate" -> resolution;
        case "csat_top2" -> csatTop2;
        default -> throw new IllegalArgumentException("not a rate: " + metric);
      };
    }

    public Moments moments(String metric) {
      return switch (metric) {
        case "asa_seconds" -> asa;
        case "aht_seconds" -> aht;
        case "ttr_seconds" -> ttr;
        case "human_minutes_per_conversation" -> humanMinutes;
        default -> throw new IllegalArgumentException("not a mean: " + metric);
      };
    }
  }

  // the settings the rates depend on (KpiSettings itself is not Serializable)
  private final double serviceLevelSeconds;
  private final double shortAbandonSeconds;
  private final boolean includeShortAbandons;
  private final Map<String, Arm> arms = new TreeMap<>();

  public AbSamples(KpiSettings settings) {
    this.serviceLevelSeconds = settings.serviceLevelSeconds();
    this.shortAbandonSeconds = settings.shortAbandonSeconds();
    this.includeShortAbandons = settings.includeShortAbandons();
  }

  /** The arms seen, by variant. */
  public Map<String, Arm> arms() {
    return arms;
  }

  public Arm arm(String variant) {
    return arms.getOrDefault(variant, new Arm());
  }

  /**
   * Adds one fact of a conversation in the experiment (facts without a variant, retractions and
   * kinds the comparison does not use are ignored).
   */
  public void add(Fact f) {
    if (f.variant == null || f.sign < 0) {
      return;
    }
    Arm a = arms.computeIfAbsent(f.variant, v -> new Arm());
    switch (f.kind) {
      case LEG -> {
        boolean answered = f.outcome == Fact.LegOutcome.ANSWERED;
        boolean abandoned = f.outcome == Fact.LegOutcome.ABANDONED;
        boolean counted =
            answered
                || (abandoned && (includeShortAbandons || f.waitSeconds >= shortAbandonSeconds));
        if (counted) {
          a.connect.add(answered);
          a.abandon.add(abandoned);
          a.serviceLevel.add(answered && f.waitSeconds <= serviceLevelSeconds);
        }
        if (answered) {
          a.asa.add(f.waitSeconds);
        }
      }
      case CONVERSATION -> {
        a.resolution.add(f.resolved);
        if (f.botEntry) {
          a.containment.add(f.contained);
        }
        if (!Double.isNaN(f.ahtSeconds)) {
          a.aht.add(f.ahtSeconds);
        }
        if (!Double.isNaN(f.ttrSeconds)) {
          a.ttr.add(f.ttrSeconds);
        }
        a.humanMinutes.add(Double.isNaN(f.ahtSeconds) ? 0 : f.ahtSeconds / 60);
      }
      case SURVEY -> {
        if (f.csat >= 1) {
          a.csatTop2.add(f.csat >= 4);
        }
      }
      default -> {}
    }
  }

  /** Adds another partial sample (of other conversations). */
  public AbSamples merge(AbSamples o) {
    o.arms.forEach((v, arm) -> arms.computeIfAbsent(v, x -> new Arm()).merge(arm));
    return this;
  }
}
