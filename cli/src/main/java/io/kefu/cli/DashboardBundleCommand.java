package io.kefu.cli;

import io.kefu.dashboard.SupersetBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "superset-bundle",
    mixinStandardHelpOptions = true,
    description = {
      "Write the Apache Superset 6 import bundle (a v1 ZIP): the database, 9 datasets, 24 charts",
      "and the Operations, Quality, Customers and Audit dashboards. The password in the URI",
      "is masked (XXXXXXXXXX) in the bundle; give it at import time. Import with",
      "  superset import-dashboards -p bundle.zip -u admin",
      "or POST /api/v1/dashboard/import/ (dashboards/superset/README.md)."
    })
final class DashboardBundleCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--db-uri",
      required = true,
      paramLabel = "URI",
      description =
          "The KPI database as Superset reaches it: postgresql://user:password@host:5432/db"
              + " (a jdbc:postgresql:// URL is converted).")
  String dbUri;

  @Option(names = "--out", required = true, description = "The ZIP to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    String masked;
    try {
      masked = SupersetBundle.sqlalchemyUri(dbUri);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--db-uri: " + e.getMessage());
    }
    SupersetBundle.write(dbUri, out, Instant.now());
    PrintWriter o = spec.commandLine().getOut();
    o.printf("wrote %s (database %s)%n", out, masked);
    if (masked.contains(SupersetBundle.PASSWORD_MASK)) {
      o.printf(
          "the password is masked: import through Superset's API with"
              + " passwords={\"%s\": \"…\"}%n",
          SupersetBundle.DATABASE_FILE);
    } else {
      o.printf("import it: superset import-dashboards -p %s -u admin%n", out);
    }
    o.println("(details: dashboards/superset/README.md)");
    return 0;
  }
}
