package io.kefu.cli;

import io.kefu.audit.sandbox.SandboxCrypto;
import io.kefu.audit.sandbox.Vault;
import java.sql.Connection;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "reencrypt",
    mixinStandardHelpOptions = true,
    description = {
      "Re-encrypt the vault under the primary key (after `keys rotate`).",
      "In batches, one transaction each. Safe to interrupt and run again."
    })
final class SandboxReencryptCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin SandboxCommand.VaultOptions vault;

  @Option(
      names = "--batch",
      defaultValue = "1000",
      description = "Rows per transaction (default ${DEFAULT-VALUE}).")
  int batch;

  @Override
  public Integer call() throws Exception {
    SandboxCrypto crypto = vault.crypto();
    try (Connection c = vault.connect()) {
      Vault v = new Vault(c);
      long[] before = v.counts(crypto.aeadKeyId());
      long done = v.reencrypt(crypto, batch);
      spec.commandLine()
          .getOut()
          .printf(
              "%,d of %,d vault entries re-encrypted under key %s; all entries are under it now%n",
              done, before[0], Integer.toUnsignedString(crypto.aeadKeyId()));
      return 0;
    }
  }
}
