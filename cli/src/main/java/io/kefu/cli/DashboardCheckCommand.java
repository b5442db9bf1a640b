package io.kefu.cli;

import io.kefu.dashboard.superset.BundleCheck;
import io.kefu.dashboard.superset.BundleSources;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Run every query of the Superset bundle on a PostgreSQL database, as Superset would:",
      "each dataset's SQL, each of its columns and metrics, and each chart's query built from",
      "the chart's params. Prints one line per dataset and chart. Nothing is written.",
      "Exit 0 when every query executes (with --require-rows: and every dataset and chart",
      "returns rows, every metric a value), 1 otherwise."
    })
final class DashboardCheckCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--jdbc",
      required = true,
      paramLabel = "URL",
      description = "The KPI database: jdbc:postgresql://host:5432/db?user=u&password=p")
  String jdbc;

  @Option(
      names = "--require-rows",
      description =
          "Also fail a dataset or chart that returns no rows or a metric without a value"
              + " (a database the pipeline, the batch and the audit have filled).")
  boolean requireRows;

  @Option(
      names = "--sources",
      paramLabel = "DIR",
      description =
          "A copy of dashboards/superset/ to check instead of the bundle this build carries"
              + " (to try an edit without rebuilding).")
  Path sources;

  @Override
  public Integer call() throws Exception {
    if (!jdbc.startsWith(AuditCommand.Tables.PREFIX)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--jdbc must be a jdbc:postgresql:// URL, found \"" + jdbc + "\"");
    }
    BundleSources bundle;
    try {
      bundle = sources == null ? BundleSources.load() : BundleSources.load(sources);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--sources: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    BundleCheck.Report report;
    try {
      report = new BundleCheck(bundle).run(jdbc);
    } catch (SQLException e) {
      spec.commandLine()
          .getErr()
          .printf(
              "kefu dashboard check: cannot query %s: %s%n",
              AuditCommand.Tables.where(jdbc), e.getMessage());
      return 1;
    }
    for (BundleCheck.Result r : report.results()) {
      out.println(line(r, requireRows));
      List<BundleCheck.Failure> failures = r.failures();
      for (int i = 1; i < failures.size(); i++) {
        out.printf("%49s%s%n", "", describe(failures.get(i))); // below the first one
      }
    }
    out.println(summary(report, requireRows));
    return passed(report, requireRows) ? 0 : 1;
  }

  /**
   * The demo's check, on the database it filled: one summary line, then the datasets and charts
   * that fail; 0 when every query executes and returns rows, 1 otherwise.
   */
  static int checkTheDemo(String jdbc, PrintWriter out) throws Exception {
    BundleCheck.Report report = BundleCheck.ofThisBuild().run(jdbc);
    boolean passed = passed(report, true);
    out.printf(
        "%nSuperset bundle: %d datasets and %d charts checked against the demo's tables, %s%n",
        report.datasets().size(),
        report.charts().size(),
        passed ? "all return rows" : failedCount(report, true) + " FAILED:");
    for (BundleCheck.Result r : report.results()) {
      if (!passes(r, true)) {
        out.println("  " + line(r, true));
      }
    }
    out.flush();
    return passed ? 0 : 1;
  }

  /** {@code dataset kpi_windows ok 1,234 rows}, or FAILED / EMPTY with the first reason. */
  static String line(BundleCheck.Result r, boolean requireRows) {
    String what = String.format("%-7s %-32s", r.kind().name().toLowerCase(Locale.ROOT), r.name());
    if (!r.executed()) {
      return what + " FAILED  " + describe(r.failures().get(0));
    }
    String rows = String.format("%,d row%s", r.rows(), r.rows() == 1 ? "" : "s");
    if (!r.nullMetrics().isEmpty()) {
      rows += ", no value for " + String.join(", ", r.nullMetrics());
    }
    return what + (passes(r, requireRows) ? " ok      " : " EMPTY   ") + rows;
  }

  private static String describe(BundleCheck.Failure f) {
    return f.part() + ": " + String.valueOf(f.error()).strip().replaceAll("\\s*\\n\\s*", " ");
  }

  private static String summary(BundleCheck.Report report, boolean requireRows) {
    String checked =
        String.format(
            "%d datasets and %d charts: ", report.datasets().size(), report.charts().size());
    if (passed(report, requireRows)) {
      return checked + (requireRows ? "all execute and return rows" : "all execute");
    }
    return checked + failedCount(report, requireRows) + " FAILED";
  }

  private static boolean passes(BundleCheck.Result r, boolean requireRows) {
    return requireRows ? r.returnsData() : r.executed();
  }

  private static boolean passed(BundleCheck.Report report, boolean requireRows) {
    return requireRows ? report.allReturnData() : report.allExecute();
  }

  private static long failedCount(BundleCheck.Report report, boolean requireRows) {
    return report.results().stream().filter(r -> !passes(r, requireRows)).count();
  }
}
