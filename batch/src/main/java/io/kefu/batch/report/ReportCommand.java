package io.kefu.batch.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kefu.batch.BadInputException;
import io.kefu.batch.Lake;
import io.kefu.batch.Sessions;
import io.kefu.core.kpi.KpiSettings;
import io.kefu.core.qa.QaInspector;
import io.kefu.core.qa.QaRuleSet;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kefu batch report}: the daily KPI report from the lake, reconciled with streaming. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Recomputes every daily KPI of KPIS.md for DATE from the event lake (same definitions as"
          + " the streaming job: a metric counts on the day of the event that completes it), adds"
          + " FCR, survey response rate, the agent leaderboard, top QA violations, sentiment by"
          + " hour and the channel mix, and reconciles the KPIs with the streaming job's final"
          + " daily rows in PostgreSQL (kpi_windows, 1d).",
      "Writes OUT/report.html (self-contained, inline SVG charts), OUT/*.csv, OUT/summary.json and,"
          + " with --jdbc, the tables daily_report_* (the day's rows replaced).",
      "Exit code 2: bad input (missing lake, a lake file with a missing or mistyped column);"
          + " 3: --fail-on-difference and the reconciliation found differences."
    })
public final class ReportCommand implements Callable<Integer> {

  /** Exit code when {@code --fail-on-difference} is given and batch and streaming differ. */
  public static final int DIFFERENCES = 3;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--lake", required = true, paramLabel = "DIR", description = "Event lake.")
  String lake;

  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The day.")
  LocalDate date;

  @Option(
      names = "--jdbc",
      paramLabel = "URL",
      description =
          "PostgreSQL of the streaming job: reconcile with kpi_windows and write daily_report_*"
              + " tables. Without it, no reconciliation.")
  String jdbc;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(
      names = "--zone",
      defaultValue = "Asia/Shanghai",
      paramLabel = "ZONE",
      description =
          "Zone of the day boundaries, as the streaming job's (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(
      names = "--lookback-days",
      defaultValue = "4",
      paramLabel = "N",
      description =
          "Days before DATE read for the beginnings of conversations completed on DATE (surveys"
              + " come up to 3 days after close; default: ${DEFAULT-VALUE}).")
  int lookbackDays;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master; default: spark.master under spark-submit, else local[*].")
  String master;

  @Option(
      names = "--fail-on-difference",
      description = "Exit with 3 when the reconciliation lists any difference.")
  boolean failOnDifference;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    PrintWriter stdout = spec.commandLine().getOut();
    ZoneId zoneId;
    try {
      zoneId = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new BadInputException("--zone " + zone + ": " + e.getMessage(), e);
    }
    if (lookbackDays < 0) {
      throw new BadInputException("--lookback-days must be ≥ 0, got " + lookbackDays);
    }
    KpiSettings settings = KpiSettings.defaults().withZone(zoneId);
    try (Sessions.Handle session = Sessions.open("kefu batch report " + date, master)) {
      SparkSession spark = session.spark();
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      Lake opened = Lake.open(lake, hadoop);
      List<String> kpiPartitions =
          partitionsBetween(opened, date.minusDays(lookbackDays), date.plusDays(1));
      List<String> followPartitions =
          partitionsBetween(opened, date.minusDays(lookbackDays), date.plusDays(8));
      boolean dayPresent = !partitionsBetween(opened, date, date).isEmpty();
      int files = LakeCheck.check(followPartitions, hadoop);
      stdout.printf(
          Locale.ROOT,
          "kefu batch report %s (%s): %d partitions, %d Parquet files checked%n",
          date,
          zoneId,
          followPartitions.size(),
          files);
      if (!dayPresent) {
        stdout.printf(
            Locale.ROOT,
            "  no events for %s in the lake%s: an empty report%n",
            date,
            lakeRange(opened));
      }
      stdout.flush();

      Dataset<Row> kpiEvents = read(spark, kpiPartitions);
      Dataset<Row> facts =
          DailyReport.facts(
                  DailyReport.touching(kpiEvents, date, zoneId),
                  date,
                  zoneId,
                  new QaInspector(QaRuleSet.defaults()))
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long phase = System.nanoTime();
        long factCount = facts.count(); // materialises the cache: every later step reads it
        stdout.printf(
            Locale.ROOT,
            "  %,d facts of the day from the conversations touching it in %.1f s%n",
            factCount,
            (System.nanoTime() - phase) / 1e9);
        stdout.flush();
        phase = System.nanoTime();
        Dataset<Row> followEvents =
            read(spark, followPartitions)
                .select("conversation_id", "customer_id", "event_type", "event_time");
        Dataset<Row> kpis = DailyReport.kpis(facts, settings).cache();
        Dataset<Row> rates =
            DailyReport.followUpRates(
                    DailyReport.followUps(
                        facts, DailyReport.starts(followEvents), DailyReport.surveys(followEvents)))
                .cache();
        List<Row> kpiRows = kpis.collectAsList();
        Report report =
            new Report(
                date,
                zoneId,
                settings,
                kpiRows,
                ReportTables.kpis(kpiRows),
                ReportTables.followUps(rates.collectAsList()),
                ReportTables.agents(DailyReport.leaderboard(kpis, rates).collectAsList()),
                ReportTables.violations(DailyReport.topViolations(facts).collectAsList()),
                ReportTables.sentiment(
                    DailyReport.sentimentByHour(facts, zoneId, settings).collectAsList()),
                ReportTables.channelMix(DailyReport.channelMix(kpis).collectAsList()));
        kpis.unpersist();
        rates.unpersist();
        stdout.printf(
            Locale.ROOT,
            "  KPIs, follow-ups, leaderboard, violations, sentiment, channel mix in %.1f s%n",
            (System.nanoTime() - phase) / 1e9);
        stdout.flush();

        Reconciled reconciled = null;
        if (jdbc != null) {
          reconciled = reconcile(report);
        }
        List<ReportTable> tables = new ArrayList<>(report.tables());
        tables.add(
            ReportTables.reconciliation(reconciled == null ? List.of() : reconciled.differences()));
        Map<String, Object> summary = summary(report, reconciled, files, started);
        tables.add(ReportTables.run(summary));
        if (jdbc != null) {
          try (Connection c = DriverManager.getConnection(jdbc)) {
            for (ReportTable t : tables) {
              t.replaceDay(c, date);
            }
          }
        }
        Path outDir = new Path(out);
        FileSystem fs = outDir.getFileSystem(hadoop);
        fs.mkdirs(outDir);
        for (ReportTable t : tables) {
          write(fs, new Path(outDir, t.name() + ".csv"), t.csv());
        }
        write(fs, new Path(outDir, "summary.json"), JSON.writeValueAsString(summary) + "\n");
        write(fs, new Path(outDir, "report.html"), ReportHtml.page(report, reconciled, summary));

        print(stdout, report, reconciled);
        stdout.printf(
            Locale.ROOT,
            "Wrote %s/report.html, %d CSV files, summary.json%s in %.1f s%n",
            outDir,
            tables.size(),
            jdbc == null ? "" : " and daily_report_* tables",
            (System.nanoTime() - started) / 1e9);
        stdout.flush();
        if (failOnDifference && reconciled != null && !reconciled.differences().isEmpty()) {
          return DIFFERENCES;
        }
        return 0;
      } finally {
        facts.unpersist();
      }
    }
  }

  /** The collected results of one day. */
  public record Report(
      LocalDate date,
      ZoneId zone,
      KpiSettings settings,
      List<Row> kpiRows,
      ReportTable kpis,
      ReportTable followUps,
      ReportTable agents,
      ReportTable violations,
      ReportTable sentiment,
      ReportTable channelMix) {
    List<ReportTable> tables() {
      return List.of(kpis, followUps, agents, violations, sentiment, channelMix);
    }
  }

  /** The reconciliation's outcome. */
  public record Reconciled(
      List<Reconciliation.Difference> differences,
      int batchRows,
      int streamingRows,
      long provisionalRows,
      List<String> streamingSettings,
      long lateEvents) {}

  private Reconciled reconcile(Report report) throws SQLException {
    long[] day = DailyReport.bounds(date, report.zone());
    try (Connection c = DriverManager.getConnection(jdbc)) {
      Reconciliation.Streaming s;
      try {
        s = Reconciliation.streaming(c, day[0], day[1]);
      } catch (SQLException e) {
        throw new BadInputException(
            "cannot read kpi_windows at " + redact(jdbc) + ": " + e.getMessage(), e);
      }
      Reconciliation.Side b = Reconciliation.batch(report.kpiRows());
      return new Reconciled(
          Reconciliation.compare(b, s.side()),
          b.rows().size(),
          s.side().rows().size(),
          s.provisionalRows(),
          List.copyOf(s.settingsVersions()),
          s.lateEvents());
    }
  }

  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private Map<String, Object> summary(
      Report report, Reconciled reconciled, int files, long started) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", date.toString());
    m.put("zone", report.zone().getId());
    m.put("settings_version", report.settings().version());
    m.put("lake", lake);
    m.put("lake_files", files);
    m.put("kpi_rows", report.kpiRows().size());
    Row overall = null;
    for (Row r : report.kpiRows()) {
      if (r.getString(1).equals("overall")) {
        overall = r;
      }
    }
    m.put("closed", overall == null ? 0 : overall.getAs("closed"));
    m.put("customer_messages", overall == null ? 0 : overall.getAs("customer_messages"));
    m.put("reconciled", reconciled != null);
    m.put("differences", reconciled == null ? null : reconciled.differences().size());
    m.put("streaming_rows", reconciled == null ? null : reconciled.streamingRows());
    m.put("streaming_provisional_rows", reconciled == null ? null : reconciled.provisionalRows());
    m.put(
        "streaming_settings_versions", reconciled == null ? null : reconciled.streamingSettings());
    m.put("streaming_late_events", reconciled == null ? null : reconciled.lateEvents());
    m.put("seconds", Math.round((System.nanoTime() - started) / 1e6) / 1000.0);
    return m;
  }

  private static void print(PrintWriter out, Report r, Reconciled rec) {
    out.printf(
        Locale.ROOT,
        "Daily report %s (%s), settings %s: %d KPI rows, %d agents, %d QA rules broken%n",
        r.date(),
        r.zone(),
        r.settings().version(),
        r.kpiRows().size(),
        r.agents().rows().size(),
        r.violations().rows().size());
    if (rec == null) {
      out.println("  not reconciled (no --jdbc)");
    } else if (rec.differences().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "  reconciliation: no differences (%d batch rows, %d streaming rows)%n",
          rec.batchRows(),
          rec.streamingRows());
    } else {
      out.printf(
          Locale.ROOT,
          "  reconciliation: %d differences (%d batch rows, %d streaming rows), e.g.%n",
          rec.differences().size(),
          rec.batchRows(),
          rec.streamingRows());
      if (rec.lateEvents() > 0) {
        out.printf(
            Locale.ROOT,
            "  %d events of the day reached the streaming job beyond its allowed lateness"
                + " (late_records): the lake and this report count them, its windows do not%n",
            rec.lateEvents());
      }
      for (Reconciliation.Difference d :
          rec.differences().subList(0, Math.min(10, rec.differences().size()))) {
        out.printf(
            Locale.ROOT,
            "    %s %s=%s %s: batch %s, streaming %s%n",
            d.tenant(),
            d.dimension(),
            d.dimensionValue(),
            d.metric(),
            d.batch(),
            d.streaming());
      }
    }
  }

  /** The dates of the lake's partitions, for messages. */
  public static String lakeRange(Lake lake) {
    var dates = lake.dates();
    return dates.isEmpty()
        ? " (the lake has no partitions)"
        : " (the lake has " + dates.first() + " .. " + dates.last() + ")";
  }

  /** Partition directories of the days from..to that hold a committed Parquet file. */
  public static List<String> partitionsBetween(Lake lake, LocalDate from, LocalDate to) {
    List<String> out = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      try {
        out.addAll(lake.partitions(d, 0));
      } catch (BadInputException missing) {
        // no events that day
      }
    }
    return out;
  }

  /** The columns of an empty lake read: what the report's transformations touch. */
  static final StructType EMPTY =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("conversation_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("tenant", DataTypes.StringType)
          .add("customer_id", DataTypes.StringType);

  static Dataset<Row> read(SparkSession spark, List<String> partitions) {
    if (partitions.isEmpty()) {
      return spark.createDataFrame(List.of(), EMPTY);
    }
    Dataset<Row> events = Lake.read(spark, partitions);
    if (!List.of(events.columns()).contains("customer_id")) {
      events =
          events.withColumn("customer_id", org.apache.spark.sql.functions.lit(null).cast("string"));
    }
    return events;
  }

  private static void write(FileSystem fs, Path path, String text) throws IOException {
    FileSystem target = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    try (OutputStream o = target.create(path, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
