package io.kefu.audit.daily;

import java.util.List;
import java.util.Objects;

/**
 * One thing the daily audit wants a person to look at: which rule, how serious, whose operations
 * and which ones.
 *
 * @param rule the rule that found it
 * @param severity how urgently it needs review
 * @param actor who performed the operations
 * @param firstSequence lowest operation-log sequence among all operations behind the finding
 * @param lastSequence highest such sequence
 * @param sequences the operations' sequences in ascending order, at most {@link
 *     AuditRuleSettings#maxListedSequences()} of them (the lowest)
 * @param count how many operations are behind the finding, listed or not
 * @param description what happened, in English, with the values involved
 */
public record Finding(
    Rule rule,
    Severity severity,
    String actor,
    long firstSequence,
    long lastSequence,
    List<Long> sequences,
    long count,
    String description) {

  /** The daily audit rules. */
  public enum Rule {
    /** A REVEAL (identity decrypt) or EXPORT outside business hours. */
    OFF_HOURS_DECRYPT_OR_EXPORT,
    /** An EXPORT of more rows than the bulk threshold. */
    BULK_EXPORT,
    /** Access to customer data with neither a purpose nor a ticket. */
    NO_PURPOSE,
    /** A role performing an action its permissions do not include. */
    ROLE_NOT_PERMITTED,
    /** One actor reading more distinct customers within the rolling window than allowed. */
    READ_SPREE
  }

  /** How urgently a finding needs review, least urgent first. */
  public enum Severity {
    LOW,
    MEDIUM,
    HIGH
  }

  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(description, "description");
    sequences = List.copyOf(sequences);
    if (sequences.isEmpty() || count < sequences.size()) {
      throw new IllegalArgumentException(
          "a finding needs at least one and at most count ("
              + count
              + ") sequences, got "
              + sequences.size());
    }
    if (firstSequence > lastSequence) {
      throw new IllegalArgumentException(
          "firstSequence " + firstSequence + " is after lastSequence " + lastSequence);
    }
  }
}
