package io.kefu.audit.daily;

import java.util.Objects;

/**
 * What verifying the ledger for the day found, as the audit report shows it.
 *
 * @param intact whether every record and batch verified
 * @param records operation-log records verified
 * @param batches Merkle batches verified
 * @param firstProblem the first thing that failed verification, or {@code null} when intact
 * @param ledger which ledger was verified (a path, channel or other name the auditor knows)
 */
public record VerificationSummary(
    boolean intact, long records, long batches, String firstProblem, String ledger) {

  public VerificationSummary {
    Objects.requireNonNull(ledger, "ledger");
    if (records < 0 || batches < 0) {
      throw new IllegalArgumentException(
          "records and batches must be >= 0, got " + records + " and " + batches);
    }
    if (intact && firstProblem != null) {
      throw new IllegalArgumentException(
          "an intact ledger has no first problem, got \"" + firstProblem + "\"");
    }
  }
}
