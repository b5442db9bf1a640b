package io.kefu.batch;

import io.kefu.batch.recommend.InteractionsCommand;
import io.kefu.batch.report.ReportCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a nightly schedule runs after a day closes, in one Spark application (one start-up instead
 * of five): the daily report with its reconciliation, customer profiles, interactions and
 * recommendations, and the A/B comparison when arms are given. Each step is the command of the same
 * name with the same options, so a step's output is what running it alone gives. A failing step
 * does not stop the others; the exit code is the first failure's.
 */
@Command(
    name = "nightly",
    mixinStandardHelpOptions = true,
    description = {
      "The nightly batch in one Spark application: report (with reconciliation when --jdbc is",
      "given), profiles, interactions + recommend (when --shop is given), and ab (when --ab is",
      "given), each written under OUT/<step>. Later steps run even when one fails; the exit code",
      "is the first failing step's."
    })
final class NightlyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--lake", required = true, paramLabel = "DIR", description = "Event lake.")
  String lake;

  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The day.")
  LocalDate date;

  @Option(
      names = "--shop",
      paramLabel = "DIR",
      description =
          "Directory with orders and browsing (orders.jsonl|.parquet, browsing.…), e.g. kefu"
              + " simulate's output: profiles get RFM and categories, and recommendations run.")
  String shop;

  @Option(
      names = "--jdbc",
      paramLabel = "URL",
      description =
          "PostgreSQL: the report reconciles with the streaming job's rows and writes its tables;"
              + " profiles and recommendations are upserted.")
  String jdbc;

  @Option(
      names = "--ab",
      paramLabel = "A,B",
      split = ",",
      description = "Compare two arms (baseline first), e.g. old,new.")
  List<String> ab;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(
      names = "--zone",
      defaultValue = "Asia/Shanghai",
      paramLabel = "ZONE",
      description = "Zone of the day boundaries (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master; default: spark.master under spark-submit, else local[*].")
  String master;

  @Override
  public Integer call() throws IOException {
    if (ab != null && ab.size() != 2) {
      throw new BadInputException("--ab takes two arms, baseline first (e.g. old,new), got " + ab);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Map<String, Integer> results = new LinkedHashMap<>();
    long started = System.nanoTime();
    // The steps join this session (Sessions.open) instead of starting and stopping their own.
    try (Sessions.Handle session = Sessions.open("kefu batch nightly " + date, master)) {
      for (List<String> step : steps(session)) {
        stdout.printf("%n-- kefu batch %s%n", String.join(" ", redacted(step)));
        stdout.flush();
        long t = System.nanoTime();
        int rc = Main.execute(stdout, stderr, step.toArray(String[]::new));
        stdout.printf("-- %s: exit %d, %.1f s%n", step.get(0), rc, (System.nanoTime() - t) / 1e9);
        results.put(step.get(0), rc);
      }
    }
    stdout.printf("%nkefu batch nightly %s in %.1f s:", date, (System.nanoTime() - started) / 1e9);
    results.forEach((name, rc) -> stdout.printf(" %s %s", name, rc == 0 ? "ok" : "exit " + rc));
    stdout.println();
    stdout.flush();
    return results.values().stream().filter(rc -> rc != 0).findFirst().orElse(0);
  }

  private List<List<String>> steps(Sessions.Handle session) throws IOException {
    List<List<String>> steps = new ArrayList<>();
    List<String> report =
        new ArrayList<>(
            List.of(
                "report",
                "--lake",
                lake,
                "--date",
                date.toString(),
                "--zone",
                zone,
                "--out",
                out + "/report"));
    withJdbc(report);
    steps.add(report);

    List<String> profiles =
        new ArrayList<>(
            List.of(
                "profiles",
                "--lake",
                lake,
                "--as-of",
                date.toString(),
                "--zone",
                zone,
                "--out",
                out + "/profiles"));
    if (shop != null) {
      SparkSession spark = session.spark();
      profiles.addAll(
          List.of(
              "--orders",
              InteractionsCommand.simulatorFile(spark, shop, "orders"),
              "--browsing",
              InteractionsCommand.simulatorFile(spark, shop, "browsing")));
    }
    withJdbc(profiles);
    steps.add(profiles);

    if (shop != null) {
      steps.add(List.of("interactions", "--simulator", shop, "--out", out + "/interactions"));
      List<String> recommend =
          new ArrayList<>(
              List.of(
                  "recommend",
                  "--interactions",
                  out + "/interactions",
                  "--out",
                  out + "/recommend"));
      withJdbc(recommend);
      steps.add(recommend);
    }
    if (ab != null) {
      steps.add(
          List.of(
              "ab",
              "--lake",
              lake,
              "--from",
              date.toString(),
              "--to",
              date.toString(),
              "--a",
              ab.get(0),
              "--b",
              ab.get(1),
              "--zone",
              zone,
              "--out",
              out + "/ab"));
    }
    return steps;
  }

  /** --jdbc for the steps that write PostgreSQL tables. */
  private void withJdbc(List<String> step) {
    if (jdbc != null) {
      step.addAll(List.of("--jdbc", jdbc));
    }
  }

  private static List<String> redacted(List<String> step) {
    return step.stream().map(ReportCommand::redact).toList();
  }
}
