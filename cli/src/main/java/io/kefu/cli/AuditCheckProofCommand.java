package io.kefu.cli;

import io.kefu.audit.anchor.Anchor;
import io.kefu.audit.anchor.Ledger;
import io.kefu.audit.batch.BatchSigner;
import io.kefu.audit.merkle.ProofException;
import io.kefu.audit.proof.InclusionProof;
import io.kefu.schemas.OperationLogRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "check-proof",
    mixinStandardHelpOptions = true,
    description = {
      "Check an inclusion proof offline (record → audit path → root → signed header),",
      "and with --ledger also that the ledger holds exactly that header.",
      "Exit 0 when it holds, 1 when it does not."
    })
final class AuditCheckProofCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PROOF", description = "proof.json from `kefu audit prove`.")
  Path proofFile;

  @Mixin AuditCommand.Trust trust;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    InclusionProof p;
    try {
      p = InclusionProof.fromJson(Files.readAllBytes(proofFile));
    } catch (IllegalArgumentException e) {
      out.println("INVALID  " + proofFile + ": " + e.getMessage());
      return 2;
    }
    BatchSigner.Verifier key = trust.key();
    try {
      OperationLogRecord r = p.checkOffline(key);
      out.printf(
          "OK  record %d (%s %s %s %s by %s) is leaf %d of batch %d, root %s%n",
          r.getSequence(),
          r.getTime(),
          r.getAction(),
          r.getResourceType(),
          r.getResourceId(),
          r.getActor(),
          p.leafIndex(),
          p.batch().header().batchId(),
          p.batch().headerHashHex().substring(0, 16) + "…");
      if (key == null) {
        out.println("  signature not checked: pass --public-key to check who sealed the batch");
      } else {
        out.println("  batch header signed by " + key.keyId());
      }
      try (Ledger ledger = trust.openLedger()) {
        if (ledger == null) {
          out.println("  not checked against a ledger: pass --ledger to confirm the anchor");
        } else {
          Anchor a = p.checkOnLedger(ledger);
          out.printf(
              "  anchored on %s in tx %s, block %d%n",
              a.ledger(), a.transactionId(), a.blockNumber());
        }
      }
      return 0;
    } catch (ProofException e) {
      out.println("FAILED  " + proofFile + ": " + e.getMessage());
      return 1;
    }
  }
}
