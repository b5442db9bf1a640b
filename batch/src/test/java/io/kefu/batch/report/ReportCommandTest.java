package io.kefu.batch.report;

import static io.kefu.batch.Fixtures.DAY;
import static io.kefu.batch.Fixtures.SHANGHAI;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.Main;
import io.kefu.batch.TestLake;
import io.kefu.batch.TestRows;
import io.kefu.batch.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's edges: bad lake files name file and column (exit 2); an empty day is a report. */
class ReportCommandTest {

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  Run report(Path lake, String date, Path out) {
    TestSpark.session();
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(o),
            new PrintWriter(e),
            "report",
            "--lake",
            lake.toString(),
            "--date",
            date,
            "--out",
            out.toString());
    return new Run(code, o.toString(), e.toString());
  }

  Path partition(Path lake) {
    return lake.resolve("events/date=" + DAY + "/tenant=acme");
  }

  Dataset<Row> day() {
    return TestRows.dataset(TestSpark.session(), DailyReportTest.day());
  }

  @Test
  void aFileWithoutARequiredColumnIsNamedWithTheColumn() {
    Path lake = tmp.resolve("lake");
    day().drop("tenant").write().mode(SaveMode.Overwrite).parquet(partition(lake).toString());
    Run r = report(lake, DAY.toString(), tmp.resolve("out"));
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(
        r.err().contains("lake file ")
            && r.err().contains(partition(lake).toString())
            && r.err().contains("no column tenant"),
        r.err());
  }

  @Test
  void aColumnOfTheWrongTypeIsNamed() {
    Path lake = tmp.resolve("lake");
    day()
        .withColumn("event_time", col("event_time").cast("string"))
        .write()
        .parquet(partition(lake).toString());
    Run r = report(lake, DAY.toString(), tmp.resolve("out"));
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(
        r.err().contains("column event_time has type BINARY") && r.err().contains(".parquet"),
        r.err());

    Path lake2 = tmp.resolve("lake2");
    day()
        .withColumn("csat", col("csat").cast("string"))
        .write()
        .parquet(partition(lake2).toString());
    Run r2 = report(lake2, DAY.toString(), tmp.resolve("out2"));
    assertEquals(2, r2.code());
    assertTrue(r2.err().contains("column csat has type BINARY"), r2.err());
  }

  @Test
  void aFileThatIsNotParquetIsNamed() throws Exception {
    Path lake = TestLake.write(tmp.resolve("lake"), DailyReportTest.day(), SHANGHAI);
    Path bad = partition(lake).resolve("part-broken.parquet");
    Files.writeString(bad, "not parquet at all");
    Run r = report(lake, DAY.toString(), tmp.resolve("out"));
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains(bad.toString()) && r.err().contains("not a readable Parquet"), r.err());
  }

  @Test
  void aMissingLakeIsBadInput() {
    Run r = report(tmp.resolve("nowhere"), DAY.toString(), tmp.resolve("out"));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nowhere"), r.err());
  }

  @Test
  void aDayWithoutEventsGivesAnEmptyReport() throws Exception {
    Path lake = TestLake.write(tmp.resolve("lake"), DailyReportTest.day(), SHANGHAI);
    Path out = tmp.resolve("out");
    Run r = report(lake, DAY.plusDays(20).toString(), out);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("no events for " + DAY.plusDays(20)), r.out());
    assertEquals(
        List.of("tenant,dimension,dimension_value,metric,value"),
        Files.readAllLines(out.resolve("kpis.csv")));
    assertTrue(Files.readString(out.resolve("report.html")).contains("an empty report"));
  }

  @Test
  void aPartitionWithAnEmptyFileGivesAnEmptyReport() {
    Path lake = tmp.resolve("lake");
    day().limit(0).coalesce(1).write().parquet(partition(lake).toString());
    Path out = tmp.resolve("out");
    Run r = report(lake, DAY.toString(), out);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("0 KPI rows"), r.out());
  }

  @Test
  void theDaysConversationsMakeAReportWithoutReconciliation() throws Exception {
    Path lake = TestLake.write(tmp.resolve("lake"), DailyReportTest.day(), SHANGHAI);
    Path out = tmp.resolve("out");
    Run r = report(lake, DAY.toString(), out);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("not reconciled"), r.out());
    List<String> kpis = Files.readAllLines(out.resolve("kpis.csv"));
    assertTrue(kpis.contains("acme,overall,*,closed,2"), kpis.toString());
    assertTrue(kpis.contains("acme,channel,PHONE,abandoned,1"), kpis.toString());
    assertTrue(kpis.contains("acme,agent,a-2,csat_mean,4"), kpis.toString());
    List<String> agents = Files.readAllLines(out.resolve("agents.csv"));
    assertTrue(agents.get(1).startsWith("acme,a-1,1,1,570,60,1,0,"), agents.toString());
  }
}
