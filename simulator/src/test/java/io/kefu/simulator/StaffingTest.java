package io.kefu.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StaffingTest {

  /** Erlang C by its textbook formula, summing a^k/k! directly (fine for small servers). */
  private static double erlangC(int c, double a) {
    double sum = 0;
    double term = 1;
    for (int k = 0; k < c; k++) {
      sum += term;
      term *= a / (k + 1);
    }
    double top = term * c / (c - a); // term is now a^c/c!
    return top / (sum + top);
  }

  @Test
  void probabilityOfWaitingMatchesTheTextbookFormula() {
    for (int c = 1; c <= 40; c++) {
      for (double a = 0.5; a < c; a += 0.75) {
        assertEquals(
            erlangC(c, a), Staffing.probabilityOfWaiting(c, a), 1e-9, c + " servers, " + a);
      }
    }
  }

  @Test
  void serversForReachesTheTargetWithTheFewestServers() {
    int n = Staffing.serversFor(10, 180, 0.8, 20);
    assertTrue(Staffing.serviceLevel(n, 10, 180, 20) >= 0.8);
    assertTrue(Staffing.serviceLevel(n - 1, 10, 180, 20) < 0.8);
    assertEquals(0, Staffing.serversFor(0, 180, 0.8, 20));
  }
}
