package io.kefu.cli;

import io.kefu.dashboard.LiveDashboard;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    subcommands = {DashboardBundleCommand.class, DashboardCheckCommand.class},
    description = {
      "Serve the live operations dashboard in the foreground (Ctrl-C stops it).",
      "One page (connect rate, service level, ASA, abandon rate, volume by channel, the",
      "bot-to-human funnel, anger alerts; auto-refresh, time range and channel filters) over",
      "a JSON API on the KPI tables: /api/kpis, /api/channels, /api/alerts, /api/health.",
      "Open windows are the provisional rows (is_final = false): today so far.",
      "'kefu dashboard superset-bundle' writes the Superset import bundle instead;",
      "'kefu dashboard check' runs the bundle's queries on a database."
    })
final class DashboardCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--jdbc",
      paramLabel = "URL",
      description = "PostgreSQL with the KPI tables, e.g. jdbc:postgresql://host:5432/db?user=u")
  String jdbc;

  @Option(
      names = "--port",
      defaultValue = "8088",
      description = "Port (default ${DEFAULT-VALUE}; 0: a free one).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;

  @Option(
      names = "--zone",
      defaultValue = "Asia/Shanghai",
      description = "Zone of 'today' and of dates in the filters (default ${DEFAULT-VALUE}).")
  ZoneId zone;

  @Override
  public Integer call() throws Exception {
    if (jdbc == null || !jdbc.startsWith("jdbc:postgresql:")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          jdbc == null
              ? "Missing required option: '--jdbc=URL'"
              : "--jdbc must be a jdbc:postgresql:// URL, found \"" + jdbc + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--port must be from 0 to 65535, found " + port);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (LiveDashboard dashboard = LiveDashboard.start(jdbc, host, port, zone, Clock.systemUTC())) {
      String shown = host.equals("0.0.0.0") ? "localhost" : host;
      out.printf(
          "kefu dashboard on http://%s:%d/ (API under /api/; Ctrl-C stops it)%n",
          shown, dashboard.port());
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }
}
