package io.kefu.streaming;

import io.kefu.audit.sandbox.PiiType;
import io.kefu.core.kpi.WindowSize;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "kpis",
    mixinStandardHelpOptions = true,
    description = {
      "Compute KPIs over event files (a bounded Flink run).",
      "Reads JSON lines (.jsonl, .jsonl.gz) or Parquet; directories are searched.",
      "OUT is a .csv or .parquet file (final rows, one per window, dimension value and",
      "metric) or a jdbc:postgresql: URL (upserted rows, tables created by the job)."
    })
final class KpisCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--input",
      arity = "1..*",
      required = true,
      paramLabel = "FILE",
      description = "Event files or directories.")
  List<Path> inputs;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "OUT",
      description = "out.csv, out.parquet or jdbc:postgresql://…")
  String out;

  @Option(
      names = "--window",
      paramLabel = "SIZE",
      description =
          "1m, 15m, 1h, 1d, a comma list, or all (default: 1d for files, all for PostgreSQL).")
  String window;

  @Option(
      names = "--dead-letters",
      paramLabel = "FILE",
      description = "Also write every dead letter as JSON lines here.")
  Path deadLettersFile;

  @Option(
      names = "--alerts",
      paramLabel = "FILE",
      description = "Also write every anger alert as JSON lines here.")
  Path alertsFile;

  @Option(
      names = "--violations",
      paramLabel = "FILE",
      description = "Also write every quality-inspection violation as JSON lines here.")
  Path violationsFile;

  @Mixin JobOptions job;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files = expand(inputs);
    boolean jdbc = out.startsWith("jdbc:");
    JobSettings settings =
        job.settings()
            .withWindows(
                JobOptions.windows(
                    window, jdbc ? EnumSet.allOf(WindowSize.class) : EnumSet.of(WindowSize.DAY)));
    // A bounded run has no one watching open windows: no provisional rows.
    settings = settings.withEarlyFiring(Duration.ZERO);
    if (!jdbc) {
      settings = settings.withFinalOnceClosed().withoutVault(); // no vault table to keep originals
    }
    // Checkpoints (they commit the lake's files) go to a temporary directory unless given: state
    // outgrows what the JobManager's memory may hold.
    Path scratch = job.checkpoints == null ? Files.createTempDirectory("kefu-checkpoints") : null;
    StreamExecutionEnvironment env = job.environment(scratch, false);
    KpiJob.Streams streams = KpiJob.build(KpiJob.files(env, files, settings), settings);
    if (job.lake != null) {
      LakeSink.attach(streams, job.lake.toString(), settings.zone);
    }
    try {
      return run(env, streams, settings, jdbc, stdout, err);
    } finally {
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
  }

  private Integer run(
      StreamExecutionEnvironment env,
      KpiJob.Streams streams,
      JobSettings settings,
      boolean jdbc,
      PrintWriter stdout,
      PrintWriter err)
      throws Exception {
    long started = System.nanoTime();
    if (jdbc) {
      PostgresSinks.migrate(out);
      PostgresSinks.attach(streams, out);
      if (streams.vault() != null) {
        VaultSink.attach(streams.vault(), out);
      }
      org.apache.flink.api.common.JobExecutionResult result = env.execute("kefu kpis");
      stdout.printf(
          "done in %.1f s; %s%s%n",
          (System.nanoTime() - started) / 1e9,
          tableSummary(out, settings.sandbox()),
          sandboxSummary(result, settings));
      return 0;
    }
    DataStream<JobOutput> all =
        streams
            .kpis()
            .map(JobOutput::of)
            .returns(JobOutput.class)
            .union(
                streams.deadLetters().map(JobOutput::of).returns(JobOutput.class),
                streams.late().map(JobOutput::of).returns(JobOutput.class),
                streams.alerts().map(JobOutput::of).returns(JobOutput.class),
                streams.violations().map(JobOutput::of).returns(JobOutput.class));
    Map<String, Long> dead = new TreeMap<>();
    long late = 0;
    long alerts = 0;
    long violations = 0;
    long shown = 0;
    BufferedWriter deadOut =
        deadLettersFile == null
            ? null
            : Files.newBufferedWriter(deadLettersFile, StandardCharsets.UTF_8);
    BufferedWriter alertOut =
        alertsFile == null ? null : Files.newBufferedWriter(alertsFile, StandardCharsets.UTF_8);
    BufferedWriter violationOut =
        violationsFile == null
            ? null
            : Files.newBufferedWriter(violationsFile, StandardCharsets.UTF_8);
    io.kefu.schemas.json.RecordJsonCodec<io.kefu.schemas.QaViolation> violationJson =
        io.kefu.schemas.json.RecordJsonCodec.of(io.kefu.schemas.QaViolation.class);
    io.kefu.schemas.json.RecordJsonCodec<io.kefu.schemas.Alert> alertJson =
        io.kefu.schemas.json.RecordJsonCodec.of(io.kefu.schemas.Alert.class);
    CloseableIterator<JobOutput> collected = all.collectAsync();
    org.apache.flink.core.execution.JobClient client = env.executeAsync("kefu kpis");
    try (CloseableIterator<JobOutput> it = collected;
        KpiFiles kpiFile = new KpiFiles(Path.of(out), settings.kpi().zone())) {
      while (it.hasNext()) {
        JobOutput o = it.next();
        if (o.snapshot != null) {
          for (io.kefu.schemas.KpiRow row : o.snapshot.rows()) {
            kpiFile.write(row);
          }
        } else if (o.dead != null) {
          dead.merge(o.dead.problem, 1L, Long::sum);
          if (shown++ < 20) {
            err.println(o.dead.origin + ": " + o.dead.message);
          }
          if (deadOut != null) {
            deadOut.write(DeadLetterJson.toJson(o.dead));
            deadOut.write('\n');
          }
        } else if (o.late != null) {
          late++;
        } else if (o.violation != null) {
          violations++;
          if (violationOut != null) {
            violationOut.write(violationJson.toJson(o.violation));
            violationOut.write('\n');
          }
        } else if (o.alert != null) {
          alerts++;
          if (alertOut != null) {
            alertOut.write(alertJson.toJson(o.alert));
            alertOut.write('\n');
          }
        }
      }
      if (shown > 20) {
        err.println("… " + (shown - 20) + " more dead letters");
      }
      stdout.printf(
          "%,d KPI rows to %s in %.1f s; %,d dead letters %s; %,d late records; %,d anger alerts;"
              + " %,d QA violations%s%n",
          kpiFile.rows(),
          out,
          (System.nanoTime() - started) / 1e9,
          dead.values().stream().mapToLong(Long::longValue).sum(),
          dead,
          late,
          alerts,
          violations,
          sandboxSummary(client.getJobExecutionResult().get(), settings));
    } finally {
      if (deadOut != null) {
        deadOut.close();
      }
      if (alertOut != null) {
        alertOut.close();
      }
      if (violationOut != null) {
        violationOut.close();
      }
    }
    return 0;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .filter(
                  f -> {
                    String n = f.getFileName().toString();
                    return n.endsWith(".jsonl")
                        || n.endsWith(".jsonl.gz")
                        || n.endsWith(".parquet");
                  })
              .sorted()
              .forEach(files::add);
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new IllegalArgumentException(p + ": no such file or directory");
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no event files in " + inputs);
    }
    return files;
  }

  /** "; sandbox: 1,234 events pseudonymised, redacted 56 phone, …" from the job's accumulators. */
  static String sandboxSummary(
      org.apache.flink.api.common.JobExecutionResult result, JobSettings settings) {
    if (!settings.sandbox() || result == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder("; sandbox: ");
    Object p = result.getAccumulatorResult(SandboxIngest.counterName(PiiType.CUSTOMER_ID));
    sb.append(String.format("%,d events pseudonymised, redacted", p == null ? 0L : (Long) p));
    for (PiiType t : PiiType.IN_TEXT) {
      Object n = result.getAccumulatorResult(SandboxIngest.counterName(t));
      sb.append(
          String.format(
              " %,d %s", n == null ? 0L : (Long) n, t.name().toLowerCase(java.util.Locale.ROOT)));
    }
    return sb.toString();
  }

  static String tableSummary(String jdbcUrl) throws Exception {
    return tableSummary(jdbcUrl, false);
  }

  static String tableSummary(String jdbcUrl, boolean vault) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      StringBuilder sb = new StringBuilder();
      sb.append(count(s, "SELECT count(*) FROM kpi_windows")).append(" KPI windows, ");
      sb.append(count(s, "SELECT count(*) FROM alerts")).append(" alerts, ");
      sb.append(count(s, "SELECT count(*) FROM qa_violations")).append(" QA violations, ");
      sb.append(count(s, "SELECT count(*) FROM dead_letters")).append(" dead letters, ");
      sb.append(count(s, "SELECT count(*) FROM late_records")).append(" late records");
      if (vault) {
        sb.append(", ").append(count(s, "SELECT count(*) FROM vault")).append(" vault entries");
      }
      sb.append(" in the tables");
      return sb.toString();
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
