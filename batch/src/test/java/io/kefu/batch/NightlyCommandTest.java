package io.kefu.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.profiles.SimulatedShop;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NightlyCommandTest {

  static final SparkSession SPARK = TestSpark.session();

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void everyStepRunsInOneSessionAndAFailingStepDoesNotStopTheOthers() {
    String lake = SimulatedShop.lake().toString();
    String day = SimulatedShop.lastDay().toString();
    // The same arm twice: the ab step fails with bad input; the others must still run.
    Run nightly =
        run(
            "nightly",
            "--lake",
            lake,
            "--date",
            day,
            "--shop",
            SimulatedShop.simulator().toString(),
            "--ab",
            "new,new",
            "--out",
            tmp.resolve("nightly").toString());
    assertEquals(Main.BAD_INPUT, nightly.exit(), nightly.out() + nightly.err());
    assertTrue(nightly.err().contains("the same arm"), nightly.err());
    assertTrue(
        nightly.out().contains("report ok profiles ok interactions ok recommend ok ab exit 2"),
        nightly.out());
    assertTrue(SPARK.sparkContext().isStopped() == false, "the test's session was left running");

    for (String file : List.of("report/report.html", "report/kpis.csv")) {
      assertTrue(Files.exists(tmp.resolve("nightly").resolve(file)), file);
    }
    // A step's output is what running it alone gives.
    Run alone =
        run(
            "profiles",
            "--lake",
            lake,
            "--as-of",
            day,
            "--orders",
            SimulatedShop.simulator().resolve("orders.jsonl").toString(),
            "--browsing",
            SimulatedShop.simulator().resolve("browsing.jsonl").toString(),
            "--out",
            tmp.resolve("alone").toString());
    assertEquals(0, alone.exit(), alone.err());
    Dataset<Row> a = SPARK.read().parquet(tmp.resolve("nightly/profiles/profiles").toString());
    Dataset<Row> b = SPARK.read().parquet(tmp.resolve("alone/profiles").toString());
    assertTrue(a.count() > 1000, "profiles: " + a.count());
    assertEquals(0, a.exceptAll(b).count());
    assertEquals(0, b.exceptAll(a).count());
    assertTrue(
        SPARK.read().parquet(tmp.resolve("nightly/recommend/recommendations").toString()).count()
            > 0,
        "recommendations written");
  }

  @Test
  void abNeedsTwoArms() {
    Run r =
        run(
            "nightly",
            "--lake",
            SimulatedShop.lake().toString(),
            "--date",
            "2026-03-04",
            "--ab",
            "old",
            "--out",
            tmp.toString());
    assertEquals(Main.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("--ab takes two arms"), r.err());
  }
}
