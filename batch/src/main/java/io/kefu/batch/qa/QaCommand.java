package io.kefu.batch.qa;

import io.kefu.batch.BadInputException;
import io.kefu.batch.Lake;
import io.kefu.batch.Sessions;
import io.kefu.core.qa.QaInspector;
import io.kefu.core.qa.QaRule;
import io.kefu.core.qa.QaRuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kefu batch qa}: re-inspects one day of the lake with any rule version. */
@Command(
    name = "qa",
    mixinStandardHelpOptions = true,
    description = {
      "Re-inspects the conversations that started on a day with any QA rule version and writes a"
          + " per-agent report, so a quality team can try a new rule set on yesterday.",
      "Reads the lake partitions of DATE and the day after (conversations run past midnight),"
          + " inspects every conversation whose CONVERSATION_STARTED falls on DATE in ZONE, and"
          + " writes OUT/violations/ (Parquet), OUT/agents.csv, OUT/agents.json and"
          + " OUT/summary.json.",
      "Exit code 2: a missing lake or partition, a bad rule file or option."
    })
public final class QaCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--lake",
      required = true,
      paramLabel = "DIR",
      description =
          "Event lake written by kefu kpis/stream --lake (DIR/events/date=.../tenant=...).")
  String lake;

  @Option(
      names = "--date",
      required = true,
      paramLabel = "YYYY-MM-DD",
      description = "Day whose conversations to inspect (by start, in --zone).")
  LocalDate date;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "QA rule file (YAML); default: the rule set shipped with kefu.")
  String rules;

  @Option(
      names = "--zone",
      defaultValue = "Asia/Shanghai",
      paramLabel = "ZONE",
      description = "Zone of the day boundaries (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master; default: spark.master when submitted with spark-submit, else local[*].")
  String master;

  @Option(
      names = "--top",
      defaultValue = "20",
      paramLabel = "N",
      description =
          "Agents to print, lowest score first; 0 prints all (default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() throws IOException {
    long started = System.nanoTime();
    PrintWriter stdout = spec.commandLine().getOut();
    ZoneId zoneId = zone(zone);
    try (Sessions.Handle session = Sessions.open("kefu batch qa " + date, master)) {
      SparkSession spark = session.spark();
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      QaRuleSet ruleSet = rules == null ? QaRuleSet.defaults() : loadRules(rules, hadoop);
      Lake events = Lake.open(lake, hadoop);
      List<String> partitions = events.partitions(date, 1);
      stdout.printf("kefu batch qa: reading %s%n", String.join(", ", partitions));
      stdout.flush();

      Dataset<Row> all = Lake.read(spark, partitions);
      Dataset<Row> inspected =
          QaJob.inspect(QaJob.startedOn(all, date, zoneId), new QaInspector(ruleSet))
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Path outDir = new Path(out);
        QaJob.violations(inspected)
            .write()
            .mode(SaveMode.Overwrite)
            .parquet(new Path(outDir, "violations").toString());
        List<QaReport.Agent> agents = new ArrayList<>();
        for (Row r : QaJob.agentReport(inspected).collectAsList()) {
          agents.add(QaReport.Agent.of(r));
        }
        Row totals = QaJob.totals(inspected).first();
        Map<String, Long> byRule = new LinkedHashMap<>();
        List<String> ruleIds = ruleSet.rules().stream().map(QaRule::id).sorted().toList();
        ruleIds.forEach(id -> byRule.put(id, 0L));
        for (Row r : QaJob.violationsByRule(inspected).collectAsList()) {
          byRule.put(r.getString(0), r.getLong(1));
        }
        long withoutStart = QaJob.withoutStart(all, date, zoneId).count();
        long conversations = totals.getLong(0);
        QaReport.Summary summary =
            new QaReport.Summary(
                date,
                zoneId.getId(),
                ruleSet.version(),
                ruleSet.source(),
                lake,
                partitions,
                conversations,
                withoutStart,
                conversations == 0 ? 0 : totals.getLong(2),
                conversations == 0 ? null : totals.getDouble(1),
                byRule,
                agents.size(),
                (System.nanoTime() - started) / 1e9);

        FileSystem fs = outDir.getFileSystem(hadoop);
        write(fs, new Path(outDir, "agents.csv"), QaReport.agentsCsv(agents, ruleIds));
        write(fs, new Path(outDir, "agents.json"), QaReport.agentsJson(agents));
        write(fs, new Path(outDir, "summary.json"), QaReport.summaryJson(summary));

        QaReport.print(stdout, summary, agents, top);
        stdout.printf(
            "%nWrote %s/violations/ (Parquet), agents.csv, agents.json, summary.json in %.1f s%n",
            outDir, (System.nanoTime() - started) / 1e9);
        stdout.flush();
      } finally {
        inspected.unpersist();
      }
    }
    return 0;
  }

  static ZoneId zone(String zone) {
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new BadInputException("--zone " + zone + ": " + e.getMessage(), e);
    }
  }

  /** Reads a rule file from any Hadoop file system (local, HDFS, S3) on the driver. */
  static QaRuleSet loadRules(String file, Configuration hadoop) {
    Path path = new Path(file);
    String yaml;
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.isFile(path)) {
        throw new BadInputException("rule file " + file + " does not exist");
      }
      try (InputStream in = fs.open(path)) {
        yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read rule file " + file + ": " + e.getMessage(), e);
    }
    try {
      return QaRuleSet.parse(yaml, file);
    } catch (IllegalArgumentException e) {
      // QaRuleException names the file, the rule and the field
      throw new BadInputException("bad rule file: " + e.getMessage(), e);
    }
  }

  private static void write(FileSystem fs, Path path, String text) throws IOException {
    // no .crc side files next to reports people open by hand
    FileSystem target = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    try (OutputStream o = target.create(path, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
