package io.kefu.cli;

import io.kefu.audit.batch.BatchSigner;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.ResourceType;
import io.kefu.simulator.RecordWriter;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline on the embedded default.",
      "No servers to install: simulates a day of a contact centre, runs the Flink KPI job",
      "into a PostgreSQL started from Maven and a Parquet lake, prints the day's KPIs,",
      "runs the nightly Spark batch (report, profiles, recommendations, A/B comparison),",
      "then puts the day's operation log (and the demo's own operations) into the",
      "tamper-evident log, anchors it on the embedded ledger, verifies it and runs the",
      "daily audit."
    })
final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      defaultValue = "kefu-demo",
      description = "Working directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--conversations",
      defaultValue = "20000",
      description = "Conversations in the day (default ${DEFAULT-VALUE}).")
  long conversations;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    Path kefu = launcher();
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.conversations = conversations;
    cfg.days = 1;
    cfg.seed = seed;
    // Raw text only, as a contact centre's systems deliver it: the KPI job's own scorer gives
    // customer messages their sentiment and anger (KPIS.md: scored if absent).
    cfg.messages.includeScores = false;
    // The old and the new system side by side ("新旧系统并行"), so the A/B comparison has arms.
    cfg.experiment.enabled = true;
    Path data = out.resolve("data");
    stdout.printf(
        "1/5 simulating %,d conversations on %s into %s%n", conversations, cfg.startDate, data);
    Simulator.Summary summary =
        SimulateCommand.simulate(
            cfg, data, RecordWriter.Format.JSONL, false, spec.commandLine().getErr());
    Summaries.print(summary, stdout);

    stdout.printf("%n2/5 starting PostgreSQL (data in %s)%n", out.resolve("postgres"));
    DemoOperations ops = new DemoOperations();
    int audit;
    ops.add(OperationAction.LOGIN, ResourceType.KPI_TABLE, "kefu demo", "started the demo");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(out.resolve("postgres").toAbsolutePath())) {
      stdout.printf("    %s%n", db.jdbcUrl());
      stdout.printf(
          "%n3/5 real-time KPI job (Flink) into PostgreSQL and the lake %s%n", out.resolve("lake"));
      stdout.flush();
      // The day is simulated afresh each run, so is its lake: files of an earlier run would be
      // read again by the nightly batch (and counted twice against this run's real-time rows).
      deleteTree(out.resolve("lake"));
      // The data sandbox: customer ids become pseudonyms and personal data in text becomes
      // placeholders before anything is written; the originals go encrypted to the vault table.
      Path keys = out.resolve("keys");
      io.kefu.audit.sandbox.SandboxKeys.loadOrInit(keys);
      run(
          kefu,
          "kpis",
          "--input",
          data.resolve("events").toString(),
          "--out",
          db.jdbcUrl(),
          "--lake",
          out.resolve("lake").toString(),
          "--zone",
          cfg.zone,
          "--sandbox-keys",
          keys.toString(),
          "--customers",
          data.resolve("customers.jsonl").toString());
      stdout.println();
      printHeadlines(db.jdbcUrl(), stdout);
      printQuality(db.jdbcUrl(), stdout);
      printSandbox(db.jdbcUrl(), keys, stdout);
      ops.add(OperationAction.QUERY, ResourceType.KPI_TABLE, "kpi_windows", "headline KPIs");
      ops.add(OperationAction.QUERY, ResourceType.KPI_TABLE, "qa_violations", "QA summary");
      stdout.printf(
          "%n4/5 nightly batch (Spark): daily report reconciled with the real-time rows, customer"
              + " profiles, recommendations, A/B comparison of the old and the new system%n");
      stdout.flush();
      Path shop = data.resolve("sandboxed");
      pseudonymised(data.resolve("orders.jsonl"), shop, keys, "customer_id");
      pseudonymised(data.resolve("browsing.jsonl"), shop, keys, "customer_id");
      run(
          kefu,
          "batch",
          "nightly",
          "--lake",
          out.resolve("lake").toString(),
          "--date",
          cfg.startDate.toString(),
          "--zone",
          cfg.zone,
          "--shop",
          shop.toString(),
          "--jdbc",
          db.jdbcUrl(),
          "--ab",
          "old,new",
          "--out",
          out.resolve("batch").toString());
      ops.add(OperationAction.QUERY, ResourceType.LAKE, "events", "nightly batch");
      audit = audit(cfg, data, ops, stdout, db.jdbcUrl(), keys);
      // every dataset and chart of the Superset bundle returns rows on the tables just filled
      int bundle = DashboardCheckCommand.checkTheDemo(db.jdbcUrl(), stdout);
      audit = audit != 0 ? audit : bundle;
    }
    stdout.printf(
        "%nThe tables stay in %s; the lake in %s (Parquet, by date and tenant).%n",
        out.resolve("postgres"), out.resolve("lake"));
    printDashboards(out, cfg.startDate.toString(), stdout);
    return audit;
  }

  /** Port the printed commands give the demo's database when it is brought back up. */
  static final int DASHBOARD_DB_PORT = 54329;

  /**
   * How to look at the day on dashboards: the demo's PostgreSQL stops with the demo, so the
   * database is brought back up on its data directory first (a fixed port, so the URL is known).
   */
  static void printDashboards(Path out, String day, PrintWriter stdout) {
    String jdbc = "jdbc:postgresql://localhost:" + DASHBOARD_DB_PORT + "/postgres?user=postgres";
    stdout.printf(
        "%nDashboards: bring the database back up, then serve the live dashboard on it:%n"
            + "  bin/kefu postgres --data %s --port %d &%n"
            + "  bin/kefu dashboard --jdbc '%s'%n"
            + "  then open http://127.0.0.1:8088/?from=%s (the simulated day)%n"
            + "Superset: bin/kefu dashboard superset-bundle --db-uri"
            + " 'postgresql://postgres@HOST:%d/postgres' --out kefu-superset.zip%n",
        out.resolve("postgres"), DASHBOARD_DB_PORT, jdbc, day, DASHBOARD_DB_PORT);
  }

  /** Step 4: the operation log into the tamper-evident log, anchored, verified and audited. */
  private int audit(
      SimulatorConfig cfg,
      Path data,
      DemoOperations ops,
      PrintWriter stdout,
      String jdbc,
      Path keys)
      throws Exception {
    Path auditDir = out.resolve("audit");
    Path log = auditDir.resolve("log");
    String ledger = "embedded:" + auditDir.resolve("ledger");
    stdout.printf(
        "%n5/5 operation log: sealed, signed and anchored on the embedded ledger (%s)%n", auditDir);
    deleteTree(auditDir); // the demo's data is regenerated each run; so is its log
    PrintWriter err = spec.commandLine().getErr();
    int rc =
        Kefu.execute(
            stdout,
            err,
            "audit",
            "log",
            "--in",
            pseudonymised(
                    data.resolve("oplog.jsonl"),
                    data.resolve("sandboxed"),
                    keys,
                    "customer_pseudonym",
                    "resource_id")
                .toString(),
            "--log",
            log.toString());
    if (rc == 0) {
      ops.appendTo(log);
      revealExample(jdbc, keys, log, stdout, err);
      rc =
          Kefu.execute(
              stdout,
              err,
              "audit",
              "anchor",
              "--log",
              log.toString(),
              "--ledger",
              ledger,
              "--jdbc",
              jdbc);
    }
    String key = log.resolve("keys").resolve(BatchSigner.PUBLIC_FILE).toString();
    if (rc == 0) {
      rc =
          Kefu.execute(
              stdout,
              err,
              "audit",
              "verify",
              "--log",
              log.toString(),
              "--ledger",
              ledger,
              "--public-key",
              key,
              "--jdbc",
              jdbc);
    }
    if (rc == 0) {
      stdout.println();
      rc =
          Kefu.execute(
              stdout,
              err,
              "audit",
              "daily",
              "--log",
              log.toString(),
              "--ledger",
              ledger,
              "--public-key",
              key,
              "--date",
              cfg.startDate.toString(),
              "--zone",
              cfg.zone,
              "--jdbc",
              jdbc);
    }
    if (rc == 0) {
      stdout.printf(
          "%nTry: bin/kefu audit prove --log %s --seq 42 --out proof.json%n"
              + "     bin/kefu audit check-proof proof.json --public-key %s --ledger %s%n",
          log, key, ledger);
    }
    return rc;
  }

  /**
   * The simulator's operation log, orders and browsing name customers by their raw id, as upstream
   * systems would; the demo gives them the sandbox's pseudonyms (the lake's) first, so that no leaf
   * of the tamper-evident log and no profile or recommendation holds a raw customer id, and the
   * batch joins contacts and orders on one key. Returns the rewritten file.
   */
  static Path pseudonymised(Path file, Path dir, Path keys, String field, String... alsoIfEqual)
      throws IOException {
    Files.createDirectories(dir);
    Path out = dir.resolve(file.getFileName());
    SandboxPseudonymiseCommand.pseudonymise(
        file,
        out,
        new io.kefu.audit.sandbox.SandboxCrypto(io.kefu.audit.sandbox.SandboxKeys.load(keys)),
        field,
        List.of(alsoIfEqual));
    return out;
  }

  /** What the sandbox did: vault entries per kind and a redacted customer message. */
  private static void printSandbox(String jdbc, Path keys, PrintWriter out) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      StringBuilder kinds = new StringBuilder();
      long total = 0;
      try (ResultSet rs =
          s.executeQuery("SELECT field, count(*) FROM vault GROUP BY field ORDER BY field")) {
        while (rs.next()) {
          kinds
              .append(kinds.length() == 0 ? "" : ", ")
              .append(rs.getString(1).toLowerCase(java.util.Locale.ROOT))
              .append(' ')
              .append(String.format("%,d", rs.getLong(2)));
          total += rs.getLong(2);
        }
      }
      out.printf(
          "%nData sandbox: customers are pseudonyms, personal data in text is a placeholder;"
              + " %,d originals encrypted in the vault (%s), keys in %s%n",
          total, kinds, keys);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT customer_pseudonym, text FROM alerts WHERE text LIKE '%[%]%'"
                  + " ORDER BY alert_id LIMIT 1")) {
        if (rs.next()) {
          out.printf("  e.g. an alert for %s: %s%n", rs.getString(1), rs.getString(2));
        }
      }
    }
  }

  /**
   * Reveals one phone number through {@code kefu sandbox reveal} as a supervisor with a purpose:
   * allowed in business hours (Asia/Shanghai), refused outside them; logged either way.
   */
  private static void revealExample(
      String jdbc, Path keys, Path log, PrintWriter stdout, PrintWriter err) throws Exception {
    String token;
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT token FROM vault WHERE field = 'PHONE' ORDER BY created_at, token LIMIT 1")) {
      if (!rs.next()) {
        return;
      }
      token = rs.getString(1);
    }
    String[] args = {
      "sandbox",
      "reveal",
      "--token",
      token,
      "--jdbc",
      jdbc,
      "--keys",
      keys.toString(),
      "--log",
      log.toString(),
      "--actor",
      System.getProperty("user.name", "demo"),
      "--role",
      "SUPERVISOR",
      "--purpose",
      "kefu demo: call the customer back",
      "--ticket",
      "kefu-demo"
    };
    StringBuilder shown = new StringBuilder("bin/kefu");
    for (String a : args) {
      shown.append(' ').append(a.matches("[A-Za-z0-9_./:=,-]+") ? a : "'" + a + "'");
    }
    stdout.printf("%n%s%n", shown);
    Kefu.execute(stdout, err, args); // refused outside business hours: logged all the same
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** bin/kefu, which runs engine jobs from their own jars (Flink and Spark never share one). */
  private static Path launcher() {
    String home = System.getProperty("kefu.home");
    if (home == null) {
      throw new IllegalStateException("run the demo through bin/kefu (kefu.home is not set)");
    }
    return Path.of(home, "bin", "kefu");
  }

  private static void run(Path kefu, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(kefu.toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).inheritIO().start();
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException("kefu " + args[0] + " failed with exit code " + code);
    }
  }

  /** The day's headline KPIs per channel, from the KPI table the job filled. */
  private static void printHeadlines(String jdbc, PrintWriter out) throws Exception {
    String[] metrics = {
      "offered",
      "connect_rate",
      "asa_seconds",
      "service_level",
      "bot_containment_rate",
      "resolution_rate",
      "csat_mean",
      "nps",
      "anger_count"
    };
    StringBuilder pivot = new StringBuilder("SELECT dimension_value");
    for (String m : metrics) {
      pivot.append(", max(value) FILTER (WHERE metric = '").append(m).append("')");
    }
    pivot.append(
        " FROM kpi_rows WHERE window_size = '1d' AND dimension IN ('overall', 'channel')"
            + " AND is_final AND window_start = (SELECT min(window_start) FROM kpi_rows"
            + " WHERE window_size = '1d') GROUP BY dimension, dimension_value"
            + " ORDER BY dimension DESC, dimension_value");
    out.printf(
        "%-14s %8s %8s %7s %8s %8s %8s %6s %6s %6s%n",
        "channel", "offered", "connect", "ASA s", "SL 20s", "contain", "resolve", "CSAT", "NPS",
        "anger");
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(pivot.toString())) {
      while (rs.next()) {
        String name = rs.getString(1).equals("*") ? "all channels" : rs.getString(1);
        out.printf(
            "%-14s %8s %8s %7s %8s %8s %8s %6s %6s %6s%n",
            name,
            fmt(rs, 2, "%.0f"),
            fmt(rs, 3, "%.1f%%", 100),
            fmt(rs, 4, "%.1f"),
            fmt(rs, 5, "%.1f%%", 100),
            fmt(rs, 6, "%.1f%%", 100),
            fmt(rs, 7, "%.1f%%", 100),
            fmt(rs, 8, "%.2f"),
            fmt(rs, 9, "%.0f"),
            fmt(rs, 10, "%.0f"));
      }
    }
    out.flush();
  }

  /** The day's quality inspection: coverage, mean score, top rules and the agents to coach. */
  private static void printQuality(String jdbc, PrintWriter out) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      String day =
          " FROM kpi_rows WHERE window_size = '1d' AND is_final AND window_start ="
              + " (SELECT min(window_start) FROM kpi_rows WHERE window_size = '1d')";
      try (ResultSet rs =
          s.executeQuery(
              "SELECT max(value) FILTER (WHERE metric = 'qa_inspected'),"
                  + " max(value) FILTER (WHERE metric = 'qa_score_mean'),"
                  + " max(value) FILTER (WHERE metric = 'qa_violations')"
                  + day
                  + " AND dimension = 'overall'")) {
        rs.next();
        out.printf(
            "%nQuality inspection: %s conversations inspected (all of them), mean QA score %s,"
                + " %s violations%n",
            fmt(rs, 1, "%,.0f"), fmt(rs, 2, "%.1f"), fmt(rs, 3, "%,.0f"));
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT rule_id, rule_kind, count(*), min(rule_version) FROM qa_violations"
                  + " GROUP BY rule_id, rule_kind ORDER BY count(*) DESC, rule_id LIMIT 5")) {
        String version = null;
        while (rs.next()) {
          out.printf("    %-34s %-18s %,6d%n", rs.getString(1), rs.getString(2), rs.getLong(3));
          version = rs.getString(4);
        }
        if (version != null) {
          out.printf("    (rule set %s)%n", version);
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT dimension_value, max(value) FILTER (WHERE metric = 'qa_score_mean') AS q,"
                  + " max(value) FILTER (WHERE metric = 'qa_violations')"
                  + day
                  + " AND dimension = 'agent' GROUP BY dimension_value"
                  + " HAVING max(value) FILTER (WHERE metric = 'qa_score_mean') IS NOT NULL"
                  + " ORDER BY q, dimension_value LIMIT 3")) {
        StringBuilder agents = new StringBuilder();
        while (rs.next()) {
          agents.append(
              String.format(
                  "  %s %.1f (%.0f violations)",
                  rs.getString(1), rs.getDouble(2), rs.getDouble(3)));
        }
        if (agents.length() > 0) {
          out.println("    lowest agent QA scores:" + agents);
        }
      }
    }
    out.flush();
  }

  private static String fmt(ResultSet rs, int column, String format) throws Exception {
    return fmt(rs, column, format, 1);
  }

  private static String fmt(ResultSet rs, int column, String format, double scale)
      throws Exception {
    double v = rs.getDouble(column);
    return rs.wasNull() ? "-" : String.format(format, v * scale);
  }

  static boolean exists(Path p) {
    return Files.exists(p);
  }
}
