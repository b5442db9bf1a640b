package io.kefu.core.qa;

/**
 * A rule file that cannot be used. The message names the file, the rule id (or its position when
 * the id is missing) and the field, e.g. {@code rules.yaml: rule "promise" field "regexes[2]": bad
 * regex ...}.
 */
public class QaRuleException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String ruleId;
  private final String field;

  public QaRuleException(String source, String ruleId, String field, String problem) {
    this(source, ruleId, field, problem, null);
  }

  public QaRuleException(
      String source, String ruleId, String field, String problem, Throwable cause) {
    super(format(source, ruleId, field, problem), cause);
    this.source = source;
    this.ruleId = ruleId;
    this.field = field;
  }

  private static String format(String source, String ruleId, String field, String problem) {
    StringBuilder sb = new StringBuilder(source);
    if (ruleId != null) {
      sb.append(": rule \"").append(ruleId).append('"');
    }
    if (field != null) {
      sb.append(ruleId == null ? ": field \"" : " field \"").append(field).append('"');
    }
    return sb.append(": ").append(problem).toString();
  }

  /** The file (or other source name) the rules came from. */
  public String source() {
    return source;
  }

  /** The id of the bad rule, or {@code #n} for the n-th rule without an id; null for the header. */
  public String ruleId() {
    return ruleId;
  }

  /** The bad field, e.g. {@code phrases.zh[3]}; null when the whole file is bad. */
  public String field() {
    return field;
  }
}
