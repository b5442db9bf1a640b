package io.kefu.batch.ab;

import static io.kefu.batch.Fixtures.DAY;
import static io.kefu.batch.Fixtures.SHANGHAI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.Main;
import io.kefu.batch.Simulated;
import io.kefu.batch.TestLake;
import io.kefu.batch.TestSpark;
import io.kefu.batch.report.FactRows;
import io.kefu.core.kpi.Fact;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbJobTest {

  @TempDir Path tmp;

  static Fact fact(Fact.Kind kind, String variant) {
    Fact f = new Fact();
    f.kind = kind;
    f.id = kind + ":" + Math.random();
    f.time = io.kefu.batch.Fixtures.at(0, 10, 0).toEpochMilli();
    f.tenant = "acme";
    f.conversationId = "c";
    f.channel = "WEB";
    f.queue = "billing";
    f.variant = variant;
    return f;
  }

  static Fact leg(String variant, String outcome, double wait) {
    Fact f = fact(Fact.Kind.LEG, variant);
    f.outcome = Fact.LegOutcome.valueOf(outcome);
    f.waitSeconds = wait;
    return f;
  }

  static Fact conversation(String variant, boolean bot, boolean contained, double aht) {
    Fact f = fact(Fact.Kind.CONVERSATION, variant);
    f.botEntry = bot;
    f.contained = contained;
    f.resolved = contained || aht > 0;
    f.ahtSeconds = aht;
    f.ttrSeconds = 100;
    return f;
  }

  @Test
  void samplesPerArmFromFacts() {
    List<Fact> facts =
        List.of(
            leg("a", "ANSWERED", 10),
            leg("a", "ANSWERED", 30),
            leg("a", "ABANDONED", 2), // short: not counted in the rates
            leg("a", "ABANDONED", 60),
            leg("b", "ANSWERED", 5),
            leg("b", "FLOW_OUT", 5),
            conversation("a", true, true, Double.NaN),
            conversation("a", false, false, 120),
            conversation("b", true, false, 240),
            conversation(null, true, true, Double.NaN)); // not in the experiment
    List<Row> rows = new ArrayList<>();
    for (Fact f : facts) {
      rows.add(FactRows.row(f, null, null, null));
    }
    Dataset<Row> ds = TestSpark.session().createDataFrame(rows, FactRows.FACT).repartition(3);
    AbSamples s = AbJob.samples(AbJob.ofArms(ds, "a", "b"), AbSimulationTest.SETTINGS);
    assertEquals(List.of("a", "b"), List.copyOf(s.arms().keySet()));
    AbSamples.Arm a = s.arm("a");
    assertEquals(2, a.connect.successes);
    assertEquals(3, a.connect.trials);
    assertEquals(1, a.abandon.successes);
    assertEquals(1, a.serviceLevel.successes);
    assertEquals(20.0, a.asa.mean, 1e-12);
    assertEquals(200.0, a.asa.variance(), 1e-9);
    assertEquals(1, a.containment.successes);
    assertEquals(1, a.containment.trials);
    assertEquals(2, a.resolution.trials);
    assertEquals(1, a.aht.n);
    // human minutes: 0 for the bot-only conversation, 2 for 120 s
    assertEquals(1.0, a.humanMinutes.mean, 1e-12);
    assertEquals(2, a.humanMinutes.n);
    AbSamples.Arm b = s.arm("b");
    assertEquals(1, b.connect.trials, "a flow-out is neither answered nor abandoned");
    assertEquals(0, b.containment.successes);
    assertEquals(4.0, b.humanMinutes.mean, 1e-12);
  }

  @Test
  void theCommandComparesTheArmsOfASimulatedLake() throws Exception {
    var cfg = AbSimulationTest.config(5, 1500);
    cfg.days = 2;
    Path lake = TestLake.write(tmp.resolve("lake"), Simulated.of(cfg), SHANGHAI);
    TestSpark.session();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(out),
            new PrintWriter(err),
            "ab",
            "--lake",
            lake.toString(),
            "--from",
            DAY.toString(),
            "--to",
            DAY.plusDays(1).toString(),
            "--a",
            "old",
            "--b",
            "new",
            "--out",
            tmp.resolve("ab").toString());
    assertEquals(0, code, out + "\n" + err);
    List<String> csv = Files.readAllLines(tmp.resolve("ab/ab.csv"));
    assertEquals(11, csv.size(), csv.toString());
    assertTrue(
        csv.get(0)
            .startsWith(
                "metric,test,a,b,difference,relative_change,ci95_low,ci95_high,p_value,p_holm,verdict,n_a,n_b"),
        csv.get(0));
    assertTrue(
        csv.stream()
            .anyMatch(
                l -> l.startsWith("bot_containment_rate,") && l.contains("B higher (better)")),
        csv.toString());
    String html = Files.readString(tmp.resolve("ab/ab.html"));
    assertTrue(html.contains("human_minutes_per_conversation") && !html.contains("<script"));

    StringWriter err2 = new StringWriter();
    int bad =
        Main.execute(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err2),
            "ab",
            "--lake",
            lake.toString(),
            "--from",
            DAY.plusDays(1).toString(),
            "--to",
            DAY.toString(),
            "--a",
            "old",
            "--b",
            "new",
            "--out",
            tmp.resolve("ab2").toString());
    assertEquals(2, bad);
    assertTrue(err2.toString().contains("is before --from"), err2.toString());

    StringWriter out3 = new StringWriter();
    int none =
        Main.execute(
            new PrintWriter(out3),
            new PrintWriter(new StringWriter()),
            "ab",
            "--lake",
            lake.toString(),
            "--from",
            DAY.toString(),
            "--to",
            DAY.toString(),
            "--a",
            "x",
            "--b",
            "y",
            "--out",
            tmp.resolve("ab3").toString());
    assertEquals(0, none);
    assertTrue(out3.toString().contains("no conversation of arm x or y"), out3.toString());
    assertTrue(out3.toString().contains("not tested"), out3.toString());
  }
}
