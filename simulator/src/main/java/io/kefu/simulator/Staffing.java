package io.kefu.simulator;

/** Workforce arithmetic: Erlang C, as contact-centre planners staff queues. */
final class Staffing {
  private Staffing() {}

  /**
   * Probability that a customer waits at all, with {@code servers} servers and {@code erlangs}
   * offered load (Erlang C), computed through the numerically stable Erlang B recursion.
   */
  static double probabilityOfWaiting(int servers, double erlangs) {
    if (servers <= erlangs) {
      return 1;
    }
    double b = 1;
    for (int k = 1; k <= servers; k++) {
      b = erlangs * b / (k + erlangs * b);
    }
    return servers * b / (servers - erlangs * (1 - b));
  }

  /** Share of customers answered within {@code seconds}. */
  static double serviceLevel(int servers, double erlangs, double handleSeconds, double seconds) {
    if (servers <= erlangs) {
      return 0;
    }
    return 1
        - probabilityOfWaiting(servers, erlangs)
            * Math.exp(-(servers - erlangs) * seconds / handleSeconds);
  }

  /** Fewest servers reaching {@code target} service level within {@code seconds}. */
  static int serversFor(double erlangs, double handleSeconds, double target, double seconds) {
    if (erlangs <= 0) {
      return 0;
    }
    int servers = (int) Math.floor(erlangs) + 1;
    while (serviceLevel(servers, erlangs, handleSeconds, seconds) < target) {
      servers++;
    }
    return servers;
  }
}
