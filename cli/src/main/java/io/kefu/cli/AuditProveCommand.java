package io.kefu.cli;

import io.kefu.audit.proof.InclusionProof;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "prove",
    mixinStandardHelpOptions = true,
    description = {
      "Write an inclusion proof of one record: the record, its leaf index and the batch's",
      "tree size, the RFC 9162 audit path, the root, the signed batch header and the",
      "anchor's transaction and block. Check it with `kefu audit check-proof`."
    })
final class AuditProveCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--log", required = true, paramLabel = "DIR", description = "The log directory.")
  Path log;

  @Option(names = "--seq", required = true, description = "Sequence of the record to prove.")
  long seq;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write proof.json.")
  Path out;

  @Override
  public Integer call() throws Exception {
    InclusionProof p = InclusionProof.build(log, seq);
    Files.write(out, p.toJson());
    spec.commandLine()
        .getOut()
        .printf(
            "proof of record %d (leaf %d of %d in batch %d, %d hashes) written to %s%s%n",
            seq,
            p.leafIndex(),
            p.treeSize(),
            p.batch().header().batchId(),
            p.auditPath().size(),
            out,
            p.anchor() == null
                ? " — batch not anchored yet"
                : ", anchored in tx " + p.anchor().get("tx_id"));
    return 0;
  }
}
