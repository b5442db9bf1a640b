package io.kefu.cli;

import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.OperationLog;
import io.kefu.audit.sandbox.SandboxKeys;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, rotate and list the sandbox's keysets.",
    subcommands = {
      SandboxKeysCommand.Init.class,
      SandboxKeysCommand.Rotate.class,
      SandboxKeysCommand.ListKeys.class
    })
final class SandboxKeysCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Create the sandbox's keysets.",
        "The vault AEAD keyset (AES256_GCM) and the pseudonym PRF keyset",
        "(HMAC_SHA256_PRF), encrypted under a new local master key (master.json,",
        "mode 600) or a KMS key (--kms-uri; its Tink KmsClient must be registered)."
      })
  static final class Init implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--keys", required = true, paramLabel = "DIR", description = "Keys directory.")
    Path keys;

    @Option(
        names = "--kms-uri",
        paramLabel = "URI",
        description = "Master key in a KMS: gcp-kms://projects/…/cryptoKeys/… or aws-kms://arn:…")
    String kmsUri;

    @Override
    public Integer call() throws Exception {
      SandboxKeys k = SandboxKeys.init(keys, kmsUri);
      spec.commandLine()
          .getOut()
          .printf(
              "sandbox keys created in %s (master key: %s)%n",
              keys, kmsUri == null ? "local " + SandboxKeys.MASTER_FILE : kmsUri);
      print(spec.commandLine().getOut(), k);
      return 0;
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
        "Add a new primary vault key.",
        "Older entries stay readable; re-encrypt them with `kefu sandbox",
        "reencrypt`. Pseudonyms do not change."
      })
  static final class Rotate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--keys", required = true, paramLabel = "DIR", description = "Keys directory.")
    Path keys;

    @Option(
        names = "--log",
        paramLabel = "DIR",
        description = "Record the rotation (KEY_ROTATE on KEYSET) in this operation log.")
    Path log;

    @Option(names = "--actor", description = "Who rotates (with --log; default: the OS user).")
    String actor = System.getProperty("user.name", "admin");

    @Override
    public Integer call() throws Exception {
      SandboxKeys before = SandboxKeys.load(keys);
      SandboxKeys k = before.rotate();
      if (log != null) {
        try (OperationLog l = OperationLog.open(log, LogOptions.defaults())) {
          l.append(
              OperationLogRecord.newBuilder()
                  .setSequence(0)
                  .setTime(Instant.now())
                  .setActor(actor)
                  .setActorRole(ActorRole.ADMIN)
                  .setAction(OperationAction.KEY_ROTATE)
                  .setResourceType(ResourceType.KEYSET)
                  .setResourceId("vault-aead")
                  .setPurpose("scheduled key rotation")
                  .setOutcome(Outcome.ALLOWED)
                  .setAttributes(
                      Map.of(
                          "old_primary", Integer.toUnsignedString(before.aeadPrimaryId()),
                          "new_primary", Integer.toUnsignedString(k.aeadPrimaryId()),
                          "tool", "kefu sandbox"))
                  .build());
        }
      }
      spec.commandLine()
          .getOut()
          .printf(
              "vault key rotated: new primary %s (was %s)%n",
              Integer.toUnsignedString(k.aeadPrimaryId()),
              Integer.toUnsignedString(before.aeadPrimaryId()));
      print(spec.commandLine().getOut(), k);
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List keys (no key material).")
  static final class ListKeys implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--keys", required = true, paramLabel = "DIR", description = "Keys directory.")
    Path keys;

    @Override
    public Integer call() throws Exception {
      SandboxKeys k = SandboxKeys.load(keys);
      spec.commandLine()
          .getOut()
          .printf("master key: %s%n", k.localMaster() ? "local " + SandboxKeys.MASTER_FILE : "KMS");
      print(spec.commandLine().getOut(), k);
      return 0;
    }
  }

  static void print(PrintWriter out, SandboxKeys k) {
    out.printf("%-14s %-12s %-9s %-7s %s%n", "keyset", "key id", "status", "primary", "type");
    for (SandboxKeys.KeyInfo i : k.list()) {
      out.printf(
          "%-14s %-12s %-9s %-7s %s%n",
          i.keyset(),
          Integer.toUnsignedString(i.id()),
          i.status(),
          i.primary() ? "yes" : "",
          i.type());
    }
  }
}
