package io.kefu.cli;

import io.kefu.audit.log.OperationLog;
import io.kefu.audit.sandbox.RevealDeniedException;
import io.kefu.audit.sandbox.Sandbox;
import java.sql.Connection;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "reveal",
    mixinStandardHelpOptions = true,
    description = {
      "Decrypt one vault entry if the policy allows it (logged).",
      "The policy checks role, purpose or ticket, and business hours. The",
      "decision, ALLOWED or DENIED, is appended to the operation log first.",
      "Find tokens with `kefu sandbox tokens --customer PSEUDONYM`."
    })
final class SandboxRevealCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--token", required = true, description = "The vault token (v…).")
  String token;

  @Mixin SandboxCommand.VaultOptions vault;
  @Mixin SandboxCommand.Actor actor;

  @Override
  public Integer call() throws Exception {
    try (Connection c = vault.connect();
        OperationLog log = actor.openLog()) {
      Sandbox s = SandboxCommand.sandbox(c, vault.crypto(), actor, log);
      try {
        Sandbox.Revealed r = s.reveal(token, actor.request());
        spec.commandLine()
            .getOut()
            .printf(
                "%s %s of %s: %s%n(logged as record %d)%n",
                r.token(), r.field(), r.pseudonym(), r.value(), r.sequence());
        return 0;
      } catch (RevealDeniedException e) {
        spec.commandLine()
            .getErr()
            .printf(
                "kefu sandbox reveal: refused: %s (logged as record %d)%n",
                e.getMessage(), e.sequence());
        return SandboxCommand.REFUSED;
      }
    }
  }
}
