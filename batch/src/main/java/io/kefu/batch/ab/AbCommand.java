package io.kefu.batch.ab;

import io.kefu.batch.BadInputException;
import io.kefu.batch.Lake;
import io.kefu.batch.Sessions;
import io.kefu.batch.report.DailyReport;
import io.kefu.batch.report.LakeCheck;
import io.kefu.batch.report.ReportCommand;
import io.kefu.batch.report.ReportTable;
import io.kefu.core.kpi.KpiSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kefu batch ab}: two experiment arms compared on the core KPIs, with tests. */
@Command(
    name = "ab",
    mixinStandardHelpOptions = true,
    description = {
      "Compares two A/B arms (the events' variant) over the days FROM..TO: connect rate, abandon"
          + " rate, service level, bot containment, resolution rate, CSAT top-2-box (two-proportion"
          + " z-tests), ASA, AHT, time to resolution and human minutes per conversation (Welch's"
          + " t-tests); differences B − A with 95 %% intervals, Holm-corrected verdicts, sample"
          + " sizes and small-sample warnings.",
      "Writes OUT/ab.csv and OUT/ab.html. Exit code 2: bad input."
    })
public final class AbCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--lake", required = true, paramLabel = "DIR", description = "Event lake.")
  String lake;

  @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First day.")
  LocalDate from;

  @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last day.")
  LocalDate to;

  @Option(names = "--a", required = true, paramLabel = "ARM", description = "Arm A (baseline).")
  String armA;

  @Option(names = "--b", required = true, paramLabel = "ARM", description = "Arm B (treatment).")
  String armB;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(
      names = "--zone",
      defaultValue = "Asia/Shanghai",
      paramLabel = "ZONE",
      description = "Zone of the day boundaries (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(
      names = "--lookback-days",
      defaultValue = "4",
      paramLabel = "N",
      description = "Days before FROM read for conversation starts (default: ${DEFAULT-VALUE}).")
  int lookbackDays;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master; default: spark.master under spark-submit, else local[*].")
  String master;

  @Override
  public Integer call() throws IOException {
    long started = System.nanoTime();
    PrintWriter stdout = spec.commandLine().getOut();
    ZoneId zoneId;
    try {
      zoneId = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new BadInputException("--zone " + zone + ": " + e.getMessage(), e);
    }
    if (to.isBefore(from)) {
      throw new BadInputException("--to " + to + " is before --from " + from);
    }
    if (armA.equals(armB)) {
      throw new BadInputException("--a and --b are the same arm: " + armA);
    }
    KpiSettings settings = KpiSettings.defaults().withZone(zoneId);
    try (Sessions.Handle session = Sessions.open("kefu batch ab " + from + ".." + to, master)) {
      SparkSession spark = session.spark();
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      Lake opened = Lake.open(lake, hadoop);
      List<String> partitions =
          ReportCommand.partitionsBetween(opened, from.minusDays(lookbackDays), to.plusDays(1));
      if (ReportCommand.partitionsBetween(opened, from, to).isEmpty()) {
        throw new BadInputException(
            "no events from "
                + from
                + " to "
                + to
                + " in the lake at "
                + lake
                + ReportCommand.lakeRange(opened));
      }
      LakeCheck.check(partitions, hadoop);
      Dataset<Row> events = Lake.read(spark, partitions);
      if (!List.of(events.columns()).contains("variant")) {
        throw new BadInputException(
            "the lake at " + lake + " has no column variant: no A/B arms (kefu simulate --ab)");
      }
      Dataset<Row> facts =
          AbJob.ofArms(
              DailyReport.facts(
                  DailyReport.touching(events, from, to, zoneId), from, to, zoneId, null),
              armA,
              armB);
      AbSamples samples = AbJob.samples(facts, settings);
      if (samples.arms().isEmpty()) {
        stdout.printf(
            Locale.ROOT,
            "  warning: no conversation of arm %s or %s in %s .. %s%n",
            armA,
            armB,
            from,
            to);
      }
      List<AbComparison.Line> lines = AbComparison.compare(samples, armA, armB);
      AbReport.Setup setup =
          new AbReport.Setup(from, to, zoneId.getId(), armA, armB, settings.version());
      Path outDir = new Path(out);
      FileSystem fs = outDir.getFileSystem(hadoop);
      fs.mkdirs(outDir);
      ReportTable table = AbReport.table(lines);
      write(fs, new Path(outDir, "ab.csv"), table.csv());
      write(fs, new Path(outDir, "ab.html"), AbReport.html(setup, lines));
      AbReport.print(stdout, setup, lines);
      stdout.printf(
          Locale.ROOT,
          "Wrote %s/ab.csv and ab.html in %.1f s%n",
          outDir,
          (System.nanoTime() - started) / 1e9);
      stdout.flush();
    }
    return 0;
  }

  private static void write(FileSystem fs, Path path, String text) throws IOException {
    FileSystem target = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    try (OutputStream o = target.create(path, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
