package io.kefu.cli;

import io.kefu.audit.log.OperationLog;
import io.kefu.audit.sandbox.RevealDeniedException;
import io.kefu.audit.sandbox.Sandbox;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a pseudonymised table as CSV (logged).",
      "Tables: kpi_windows, kpi_rows, alerts, qa_violations, late_records. The",
      "vault, dead letters and any table in which the PII detector finds",
      "something are refused. Logged as EXPORT, ALLOWED or DENIED."
    })
final class SandboxExportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--table", required = true, description = "Table to export.")
  String table;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write.")
  Path out;

  @Option(
      names = "--jdbc",
      required = true,
      paramLabel = "URL",
      description = "PostgreSQL URL of the KPI tables.")
  String jdbc;

  @Mixin SandboxCommand.Actor actor;

  @Override
  public Integer call() throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection(jdbc);
        OperationLog log = actor.openLog()) {
      Sandbox s = new Sandbox(c, null, actor.policy(), log, java.time.Clock.systemUTC());
      try {
        long rows = s.export(table, out, actor.request());
        spec.commandLine()
            .getOut()
            .printf("%,d rows of %s written to %s (logged)%n", rows, table, out);
        return 0;
      } catch (RevealDeniedException e) {
        spec.commandLine()
            .getErr()
            .printf(
                "kefu sandbox export: refused: %s (logged as record %d)%n",
                e.getMessage(), e.sequence());
        return SandboxCommand.REFUSED;
      }
    }
  }
}
