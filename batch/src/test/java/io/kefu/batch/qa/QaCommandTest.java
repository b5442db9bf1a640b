package io.kefu.batch.qa;

import static io.kefu.batch.Fixtures.DAY;
import static io.kefu.batch.Fixtures.SHANGHAI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kefu.batch.Main;
import io.kefu.batch.Simulated;
import io.kefu.batch.TestLake;
import io.kefu.batch.TestSpark;
import io.kefu.core.qa.ConversationQa;
import io.kefu.core.qa.QaInspector;
import io.kefu.core.qa.QaRuleSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kefu batch qa} end to end on a simulated two-day lake written as the streaming sink writes
 * it: the outputs exist and agree with inspecting the same conversations directly.
 */
class QaCommandTest {

  @TempDir static Path tmp;
  static Path lake;

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void lake() throws Exception {
    TestSpark.session(); // the command joins the shared session
    lake = TestLake.write(tmp.resolve("lake"), Simulated.events(), SHANGHAI);
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void reinspectsADayAndWritesTheReports() throws Exception {
    Path out = tmp.resolve("out");
    Run r =
        run(
            "qa",
            "--lake",
            lake.toString(),
            "--date",
            DAY.toString(),
            "--out",
            out.toString(),
            "--top",
            "5");
    assertEquals(0, r.code(), r.err());

    QaRuleSet rules = QaRuleSet.defaults();
    List<ConversationQa> direct =
        Reference.inspect(
            Reference.startedOn(Simulated.events(), DAY, SHANGHAI), new QaInspector(rules));
    long violations = direct.stream().mapToLong(q -> q.violations().size()).sum();
    assertTrue(violations > 0, "the simulated day has violations");

    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(DAY.toString(), summary.get("date").asText());
    assertEquals(rules.version(), summary.get("rule_version").asText());
    assertEquals(direct.size(), summary.get("conversations").asLong());
    assertEquals(violations, summary.get("violations").asLong());
    assertEquals(
        violations,
        TestSpark.session().read().parquet(out.resolve("violations").toString()).count());

    JsonNode agents = new ObjectMapper().readTree(out.resolve("agents.json").toFile());
    List<QaReport.Agent> expected = Reference.agents(direct);
    assertEquals(expected.size(), agents.size());
    List<String> csv = Files.readAllLines(out.resolve("agents.csv"));
    assertEquals(expected.size() + 1, csv.size());
    assertTrue(
        csv.get(0)
            .startsWith(
                "agent_id,queue,conversations,qa_score_mean,violations,worst_rule,violations_"));
    assertTrue(!Files.exists(out.resolve(".agents.csv.crc")), "no checksum side files");

    assertTrue(r.out().contains(rules.version()), r.out());
    assertTrue(
        r.out().contains(direct.size() + " conversations, " + violations + " violations"), r.out());
  }

  @Test
  void aRuleFileGivesItsVersionAndOnlyItsRules() throws Exception {
    Path rules = tmp.resolve("greeting-only.yaml");
    Files.writeString(
        rules,
        """
        version: trial-1
        rules:
          - id: greeting
            kind: REQUIRED_PHRASE
            description: greet in the first message
            roles: [AGENT]
            position: first
            penalty: 5
            phrases:
              zh: [您好, 你好]
              en: [hello, hi]
        """);
    Path out = tmp.resolve("out-trial");
    Run r =
        run(
            "qa",
            "--lake",
            lake.toString(),
            "--date",
            DAY.toString(),
            "--rules",
            rules.toString(),
            "--zone",
            "Asia/Shanghai",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    QaRuleSet trial = QaRuleSet.load(rules);
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(trial.version(), summary.get("rule_version").asText());
    assertTrue(trial.version().startsWith("trial-1@"));
    List<String> ruleIds = List.copyOf(iterable(summary.get("violations_by_rule").fieldNames()));
    assertEquals(List.of("greeting"), ruleIds);
    long direct =
        Reference.inspect(
                Reference.startedOn(Simulated.events(), DAY, SHANGHAI), new QaInspector(trial))
            .stream()
            .mapToLong(q -> q.violations().size())
            .sum();
    assertEquals(direct, summary.get("violations").asLong());
  }

  @Test
  void badInputExitsWithTwoAndNamesThePath() throws Exception {
    Path out = tmp.resolve("out-bad");
    Path missing = tmp.resolve("no-lake");
    Run noLake =
        run("qa", "--lake", missing.toString(), "--date", DAY.toString(), "--out", out.toString());
    assertEquals(2, noLake.code());
    assertTrue(noLake.err().contains(missing.toString()), noLake.err());

    Run noDay =
        run("qa", "--lake", lake.toString(), "--date", "2020-01-01", "--out", out.toString());
    assertEquals(2, noDay.code());
    assertTrue(noDay.err().contains("date=2020-01-01"), noDay.err());

    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "version: x\nrules:\n  - id: r1\n    kind: NO_SUCH_KIND\n");
    Run badRules =
        run(
            "qa",
            "--lake",
            lake.toString(),
            "--date",
            DAY.toString(),
            "--rules",
            bad.toString(),
            "--out",
            out.toString());
    assertEquals(2, badRules.code());
    assertTrue(badRules.err().contains(bad.toString()), badRules.err());

    Run noRules =
        run(
            "qa",
            "--lake",
            lake.toString(),
            "--date",
            DAY.toString(),
            "--rules",
            tmp.resolve("absent.yaml").toString(),
            "--out",
            out.toString());
    assertEquals(2, noRules.code());
    assertTrue(noRules.err().contains("absent.yaml"), noRules.err());

    assertEquals(
        2, run("qa", "--lake", lake.toString(), "--date", "yesterday", "--out", "x").code());
    assertEquals(
        2,
        run(
                "qa",
                "--lake",
                lake.toString(),
                "--date",
                DAY.toString(),
                "--zone",
                "Mars/Base",
                "--out",
                "x")
            .code());
  }

  private static <T> List<T> iterable(java.util.Iterator<T> it) {
    List<T> list = new java.util.ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }
}
