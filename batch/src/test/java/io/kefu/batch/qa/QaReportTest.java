package io.kefu.batch.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class QaReportTest {

  static final QaReport.Agent POLITE =
      new QaReport.Agent("agent-1", "billing", 3, 100.0, 0, Map.of(), null);
  static final QaReport.Agent RUDE =
      new QaReport.Agent(
          "agent-2",
          "billing, vip",
          2,
          91.5,
          3,
          new TreeMap<>(Map.of("forbidden", 2L, "jargon", 1L)),
          "forbidden");
  static final QaReport.Agent UNNAMED =
      new QaReport.Agent(null, null, 1, 95.0, 1, Map.of("jargon", 1L), "jargon");

  @Test
  void csvHasOneColumnPerRuleAndQuotesWhereNeeded() {
    String csv = QaReport.agentsCsv(List.of(POLITE, RUDE), List.of("forbidden", "jargon"));
    assertEquals(
        """
        agent_id,queue,conversations,qa_score_mean,violations,worst_rule,violations_forbidden,violations_jargon
        agent-1,billing,3,100.0,0,,0,0
        agent-2,"billing, vip",2,91.5,3,forbidden,2,1
        """,
        csv);
  }

  @Test
  void theTableListsTheLowestScoresFirstAndCopesWithoutAnAgentId() {
    QaReport.Summary summary =
        new QaReport.Summary(
            LocalDate.of(2026, 3, 2),
            "Asia/Shanghai",
            "trial@abc",
            "rules.yaml",
            "lake",
            List.of("lake/events/date=2026-03-02"),
            6,
            1,
            4,
            96.0,
            Map.of("forbidden", 2L, "jargon", 2L),
            3,
            1.0);
    StringWriter out = new StringWriter();
    QaReport.print(new PrintWriter(out, true), summary, List.of(POLITE, RUDE, UNNAMED), 2);
    String text = out.toString();
    assertTrue(text.contains("rules trial@abc"), text);
    assertTrue(text.contains("1 conversations with events that day began earlier"), text);
    assertTrue(text.indexOf("agent-2") < text.indexOf("  -  "), text);
    assertTrue(!text.contains("agent-1"), "only the two lowest: " + text);
  }
}
