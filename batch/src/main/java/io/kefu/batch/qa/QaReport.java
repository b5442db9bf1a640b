package io.kefu.batch.qa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The small outputs of {@code kefu batch qa}, built on the driver from collected rows: the
 * per-agent report as CSV and JSON, the day's summary as JSON, and the table printed to the
 * terminal.
 */
public final class QaReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One row of {@link QaJob#agentReport}. */
  public record Agent(
      String agentId,
      String queue,
      long conversations,
      double qaScoreMean,
      long violations,
      Map<String, Long> violationsByRule,
      String worstRule) {

    public static Agent of(Row r) {
      Map<String, Long> byRule = new TreeMap<>();
      int m = r.fieldIndex("violations_by_rule");
      if (!r.isNullAt(m)) {
        r.<String, Long>getJavaMap(m).forEach((k, v) -> byRule.put(k, ((Number) v).longValue()));
      }
      int worst = r.fieldIndex("worst_rule");
      return new Agent(
          r.getString(r.fieldIndex("agent_id")),
          r.getString(r.fieldIndex("queue")),
          r.getLong(r.fieldIndex("conversations")),
          r.getDouble(r.fieldIndex("qa_score_mean")),
          r.getLong(r.fieldIndex("violations")),
          byRule,
          r.isNullAt(worst) ? null : r.getString(worst));
    }
  }

  /** The day's figures. */
  public record Summary(
      LocalDate date,
      String zone,
      String ruleVersion,
      String ruleSource,
      String lake,
      List<String> partitions,
      long conversations,
      long conversationsWithoutStart,
      long violations,
      Double qaScoreMean,
      Map<String, Long> violationsByRule,
      int agents,
      double seconds) {}

  private QaReport() {}

  /**
   * CSV with a header: agent, queue, counts, mean score, worst rule, then one {@code violations_
   * <rule id>} column per rule of the rule set (zero when not broken).
   */
  public static String agentsCsv(List<Agent> agents, List<String> ruleIds) {
    StringBuilder sb = new StringBuilder();
    List<String> header =
        new ArrayList<>(
            List.of(
                "agent_id", "queue", "conversations", "qa_score_mean", "violations", "worst_rule"));
    ruleIds.forEach(id -> header.add("violations_" + id));
    line(sb, header);
    for (Agent a : agents) {
      List<String> cells = new ArrayList<>();
      cells.add(a.agentId());
      cells.add(a.queue());
      cells.add(Long.toString(a.conversations()));
      cells.add(Double.toString(a.qaScoreMean()));
      cells.add(Long.toString(a.violations()));
      cells.add(a.worstRule());
      ruleIds.forEach(id -> cells.add(Long.toString(a.violationsByRule().getOrDefault(id, 0L))));
      line(sb, cells);
    }
    return sb.toString();
  }

  /** A JSON array of agent objects with snake_case fields. */
  public static String agentsJson(List<Agent> agents) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Agent a : agents) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("agent_id", a.agentId());
      m.put("queue", a.queue());
      m.put("conversations", a.conversations());
      m.put("qa_score_mean", a.qaScoreMean());
      m.put("violations", a.violations());
      m.put("violations_by_rule", a.violationsByRule());
      m.put("worst_rule", a.worstRule());
      list.add(m);
    }
    return json(list);
  }

  public static String summaryJson(Summary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", s.date().toString());
    m.put("zone", s.zone());
    m.put("rule_version", s.ruleVersion());
    m.put("rule_source", s.ruleSource());
    m.put("lake", s.lake());
    m.put("partitions", s.partitions());
    m.put("conversations", s.conversations());
    m.put("conversations_without_start", s.conversationsWithoutStart());
    m.put("violations", s.violations());
    m.put("qa_score_mean", s.qaScoreMean());
    m.put("violations_by_rule", s.violationsByRule());
    m.put("agents", s.agents());
    m.put("seconds", Math.round(s.seconds() * 1000) / 1000.0);
    return json(m);
  }

  /** The summary and the {@code top} lowest-scoring agents (all when {@code top} ≤ 0). */
  public static void print(PrintWriter out, Summary s, List<Agent> agents, int top) {
    out.printf(
        Locale.ROOT,
        "QA of conversations started on %s (%s), rules %s (%s)%n",
        s.date(),
        s.zone(),
        s.ruleVersion(),
        s.ruleSource());
    out.printf(
        Locale.ROOT,
        "  %d conversations, %d violations, QA score mean %s%n",
        s.conversations(),
        s.violations(),
        s.qaScoreMean() == null ? "-" : String.format(Locale.ROOT, "%.2f", s.qaScoreMean()));
    if (s.conversationsWithoutStart() > 0) {
      out.printf(
          Locale.ROOT,
          "  %d conversations with events that day began earlier and were left out%n",
          s.conversationsWithoutStart());
    }
    if (!s.violationsByRule().isEmpty()) {
      out.println("  violations by rule:");
      s.violationsByRule()
          .forEach((rule, n) -> out.printf(Locale.ROOT, "    %-28s %8d%n", rule, n));
    }
    if (agents.isEmpty()) {
      return;
    }
    List<Agent> sorted = new ArrayList<>(agents);
    sorted.sort(
        Comparator.comparingDouble(Agent::qaScoreMean)
            .thenComparing(Agent::agentId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Agent::queue, Comparator.nullsFirst(Comparator.naturalOrder())));
    int shown = top <= 0 ? sorted.size() : Math.min(top, sorted.size());
    out.printf(
        Locale.ROOT,
        "%n%s agents by QA score (%d of %d agent/queue rows):%n",
        shown == sorted.size() ? "All" : "Lowest",
        shown,
        sorted.size());
    out.printf(
        Locale.ROOT,
        "  %-20s %-14s %6s %8s %6s  %s%n",
        "agent",
        "queue",
        "convs",
        "score",
        "viol",
        "worst rule");
    for (Agent a : sorted.subList(0, shown)) {
      out.printf(
          Locale.ROOT,
          "  %-20s %-14s %6d %8.2f %6d  %s%n",
          a.agentId() == null ? "-" : a.agentId(),
          a.queue() == null ? "-" : a.queue(),
          a.conversations(),
          a.qaScoreMean(),
          a.violations(),
          a.worstRule() == null
              ? "-"
              : a.worstRule() + " (" + a.violationsByRule().get(a.worstRule()) + ")");
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void line(StringBuilder sb, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(csv(cells.get(i)));
    }
    sb.append('\n');
  }

  static String csv(String v) {
    if (v == null) {
      return "";
    }
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
