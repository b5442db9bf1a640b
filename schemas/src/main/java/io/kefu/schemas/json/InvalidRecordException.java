package io.kefu.schemas.json;

import java.util.Locale;

/**
 * A record that could not be parsed or failed validation. Carries what went wrong in structured
 * form (problem, field, expected, found) so that dead-letter outputs can count by problem and
 * command-line tools can print {@code file:line: field "x": expected …, found …}.
 */
public final class InvalidRecordException extends Exception {

  /** The kind of problem; dead letters are counted by it. */
  public enum Problem {
    MALFORMED_JSON,
    INVALID_UTF8,
    TOO_LARGE,
    WRONG_TYPE,
    MISSING_FIELD,
    UNKNOWN_ENUM,
    UNKNOWN_FIELD,
    INVALID_VALUE;

    /** Lower-case label used in reports and metrics, e.g. {@code missing_field}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Problem problem;
  private final String field;
  private final String expected;
  private final String found;
  private final long line;

  public InvalidRecordException(Problem problem, String field, String expected, String found) {
    this(problem, field, expected, found, 0);
  }

  private InvalidRecordException(
      Problem problem, String field, String expected, String found, long line) {
    super(describe(problem, field, expected, found), null, false, false);
    this.problem = problem;
    this.field = field;
    this.expected = expected;
    this.found = found;
    this.line = line;
  }

  /** The same error, located at a line of its input (1-based). */
  public InvalidRecordException atLine(long lineNumber) {
    return new InvalidRecordException(problem, field, expected, found, lineNumber);
  }

  public Problem problem() {
    return problem;
  }

  /** Field path such as {@code event_time}, or null when the problem is not about one field. */
  public String field() {
    return field;
  }

  public String expected() {
    return expected;
  }

  public String found() {
    return found;
  }

  /** 1-based line number, or 0 when unknown. */
  public long line() {
    return line;
  }

  private static String describe(Problem problem, String field, String expected, String found) {
    StringBuilder sb = new StringBuilder(problem.label());
    if (field != null) {
      sb.append(": field \"").append(field).append('"');
    }
    if (expected != null) {
      sb.append(field != null ? ", " : ": ").append("expected ").append(expected);
    }
    if (found != null) {
      sb.append(expected != null || field != null ? ", " : ": ").append("found ").append(found);
    }
    return sb.toString();
  }
}
