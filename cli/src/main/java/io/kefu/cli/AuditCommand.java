package io.kefu.cli;

import io.kefu.audit.anchor.Ledger;
import io.kefu.audit.anchor.LedgerException;
import io.kefu.audit.anchor.Ledgers;
import io.kefu.audit.batch.BatchSigner;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kefu audit …}: the operation log, its anchors on a ledger, and the auditor's tools. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Tamper-evident operation log: ingest, seal and anchor batches, verify, prove, audit.",
      "Only batch roots and counts go to the ledger, never customer data."
    },
    subcommands = {
      AuditLogCommand.class,
      AuditAnchorCommand.class,
      AuditVerifyCommand.class,
      AuditProveCommand.class,
      AuditCheckProofCommand.class,
      AuditDailyCommand.class
    },
    footer = {
      "",
      "Ledgers: " + Ledgers.USAGE + ".",
      "Exit codes: 0 intact / success, 1 verification failed or error, 2 invalid input."
    })
final class AuditCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options shared by the commands that check signatures and anchors. */
  static final class Trust {
    @CommandLine.Option(
        names = "--ledger",
        paramLabel = "SPEC",
        description = "Where batches are anchored: embedded:DIR or fabric:FILE.")
    String ledger;

    @CommandLine.Option(
        names = "--public-key",
        paramLabel = "FILE",
        description =
            "The batch-signing public keyset to trust (pin it; default: keys/"
                + BatchSigner.PUBLIC_FILE
                + " in the log directory, with a warning).")
    Path publicKey;

    Ledger openLedger() throws LedgerException {
      return ledger == null ? null : Ledgers.open(ledger);
    }

    BatchSigner.Verifier key() throws IOException {
      return publicKey == null ? null : BatchSigner.Verifier.load(publicKey);
    }
  }
}
