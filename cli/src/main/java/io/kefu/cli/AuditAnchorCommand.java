package io.kefu.cli;

import io.kefu.audit.anchor.Anchoring;
import io.kefu.audit.anchor.Ledger;
import io.kefu.audit.anchor.Ledgers;
import io.kefu.audit.batch.SignedBatchHeader;
import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.OperationLog;
import io.kefu.audit.tables.AuditTables;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "anchor",
    mixinStandardHelpOptions = true,
    description = {
      "Seal the open batch and anchor every batch the ledger does not hold yet.",
      "Anchoring is idempotent: running it again changes nothing. A different header",
      "already on the ledger under the same batch id is an alarm (exit 1).",
      "With --jdbc, every sealed batch and its anchor is then upserted into audit_batches."
    })
final class AuditAnchorCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--log", required = true, paramLabel = "DIR", description = "The log directory.")
  Path log;

  @Option(
      names = "--ledger",
      required = true,
      paramLabel = "SPEC",
      description = "embedded:DIR or fabric:FILE.")
  String ledger;

  @Option(
      names = "--no-seal",
      description = "Anchor sealed batches only; leave the open batch open.")
  boolean noSeal;

  @Mixin AuditCommand.Tables tables;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!noSeal) {
      try (OperationLog oplog = OperationLog.open(log, LogOptions.defaults())) {
        if (oplog.recovery().cutTornTail()) {
          spec.commandLine().getErr().println("kefu audit anchor: " + oplog.recovery().describe());
        }
        List<SignedBatchHeader> sealed = oplog.closeBatches();
        if (!sealed.isEmpty()) {
          out.printf(
              "sealed %d batch(es) up to record %d%n",
              sealed.size(), sealed.get(sealed.size() - 1).header().lastSeq());
        }
      }
    }
    try (Ledger l = Ledgers.open(ledger)) {
      Anchoring.Result r = Anchoring.anchorAll(log, l, out::println);
      out.printf(
          "%d batch(es) anchored now, %d were already on %s; records up to %d are anchored%n",
          r.anchored(), r.alreadyOnLedger(), l.describe(), r.anchoredUpToSeq());
      if (tables.given()) {
        try (Connection c = tables.connect()) {
          AuditTables.BatchRows rows = AuditCommand.Tables.on(c).writeBatches(log, l);
          out.printf(
              "audit_batches in %s: %s%n", tables.where(), AuditCommand.Tables.describe(rows));
        }
      }
    }
    return 0;
  }
}
