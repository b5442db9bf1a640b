package io.kefu.cli;

import io.kefu.audit.sandbox.Vault;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "tokens",
    mixinStandardHelpOptions = true,
    description = {
      "List a customer's vault tokens (never a value).",
      "Kind, conversation and event of each: what to quote to `kefu sandbox reveal`."
    })
final class SandboxTokensCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--customer",
      required = true,
      paramLabel = "PSEUDONYM",
      description = "The customer's pseudonym (as in the lake and the KPI tables).")
  String customer;

  @Option(
      names = "--jdbc",
      required = true,
      paramLabel = "URL",
      description = "PostgreSQL URL of the vault.")
  String jdbc;

  @Override
  public Integer call() throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection(jdbc)) {
      List<Vault.TokenInfo> tokens = new Vault(c).tokens(customer);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-18s %-12s %-24s %s%n", "token", "field", "conversation", "event");
      for (Vault.TokenInfo t : tokens) {
        out.printf("%-18s %-12s %-24s %s%n", t.token(), t.field(), t.conversationId(), t.eventId());
      }
      out.printf("%d vault entries for %s%n", tokens.size(), customer);
      return 0;
    }
  }
}
