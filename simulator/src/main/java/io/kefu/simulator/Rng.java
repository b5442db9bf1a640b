package io.kefu.simulator;

import java.util.SplittableRandom;

/**
 * Seeded random streams and the few distributions the simulator needs. Every entity draws from its
 * own stream derived from (seed, stream, index), so a conversation's content does not depend on the
 * order in which the simulation happens to process it — the basis of byte-identical output.
 */
final class Rng {

  /** Independent random streams. */
  enum Stream {
    ARRIVALS,
    CONVERSATION,
    CUSTOMER,
    COMMERCE,
    CATALOGUE,
    AGENTS,
    OPLOG,
    EXPERIMENT
  }

  private Rng() {}

  static SplittableRandom of(long seed, Stream stream, long index) {
    long h =
        mix(
            seed
                ^ mix(stream.ordinal() * 0x9E3779B97F4A7C15L + 1)
                ^ mix(index + 0x632BE59BD9B4E019L));
    return new SplittableRandom(h);
  }

  /** SplitMix64's finaliser: a bijective 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static double uniform(SplittableRandom rnd, double lo, double hi) {
    return lo + (hi - lo) * rnd.nextDouble();
  }

  static double normal(SplittableRandom rnd) {
    // Box–Muller; one value per call keeps the stream simple to reason about.
    double u1 = 1.0 - rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Log-normal with the given median and log-scale sigma. */
  static double logNormal(SplittableRandom rnd, double median, double sigma) {
    return median * Math.exp(sigma * normal(rnd));
  }

  static double exponential(SplittableRandom rnd, double mean) {
    return -mean * Math.log(1.0 - rnd.nextDouble());
  }

  static int poisson(SplittableRandom rnd, double mean) {
    if (mean > 30) {
      return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * normal(rnd)));
    }
    double l = Math.exp(-mean);
    int k = 0;
    double p = rnd.nextDouble();
    while (p > l) {
      k++;
      p *= rnd.nextDouble();
    }
    return k;
  }

  /** Gamma(shape, scale) by Marsaglia–Tsang. */
  static double gamma(SplittableRandom rnd, double shape, double scale) {
    if (shape < 1) {
      return gamma(rnd, shape + 1, scale) * Math.pow(rnd.nextDouble(), 1.0 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = normal(rnd);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rnd.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v * scale;
      }
    }
  }

  static boolean chance(SplittableRandom rnd, double p) {
    return rnd.nextDouble() < p;
  }

  /** Index drawn with probability proportional to {@code cumulative[i] - cumulative[i-1]}. */
  static int pick(SplittableRandom rnd, double[] cumulative) {
    double x = rnd.nextDouble() * cumulative[cumulative.length - 1];
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  static double[] cumulative(double[] weights) {
    double[] c = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] < 0) {
        throw new IllegalArgumentException("negative weight " + weights[i]);
      }
      sum += weights[i];
      c[i] = sum;
    }
    if (sum <= 0) {
      throw new IllegalArgumentException("weights sum to zero");
    }
    return c;
  }

  /** Rounds to three decimals, enough for scores and short in JSON. */
  static double round3(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
