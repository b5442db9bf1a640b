package io.kefu.cli;

import io.kefu.audit.log.OperationLog;
import io.kefu.audit.sandbox.Sandbox;
import java.sql.Connection;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "erase",
    mixinStandardHelpOptions = true,
    description = {
      "Right to be forgotten: delete a customer's vault entries (logged).",
      "Their id and everything found in their conversations. The operation log",
      "and the ledger hold pseudonyms only and stay as they are: every proof",
      "still verifies. ADMIN or SYSTEM only."
    })
final class SandboxEraseCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--customer",
      required = true,
      paramLabel = "PSEUDONYM",
      description = "The customer's pseudonym.")
  String customer;

  @Option(
      names = "--jdbc",
      required = true,
      paramLabel = "URL",
      description = "PostgreSQL URL of the vault.")
  String jdbc;

  @Mixin SandboxCommand.Actor actor;

  @Override
  public Integer call() throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection(jdbc);
        OperationLog log = actor.openLog()) {
      Sandbox s = new Sandbox(c, null, actor.policy(), log, java.time.Clock.systemUTC());
      try {
        int n = s.erase(customer, actor.request());
        spec.commandLine()
            .getOut()
            .printf(
                "%d vault entries of %s deleted (logged); reveals of them now fail%n", n, customer);
        return 0;
      } catch (io.kefu.audit.sandbox.RevealDeniedException e) {
        spec.commandLine()
            .getErr()
            .printf(
                "kefu sandbox erase: refused: %s (logged as record %d)%n",
                e.getMessage(), e.sequence());
        return SandboxCommand.REFUSED;
      }
    }
  }
}
