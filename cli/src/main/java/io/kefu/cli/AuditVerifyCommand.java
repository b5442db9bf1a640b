package io.kefu.cli;

import io.kefu.audit.anchor.Ledger;
import io.kefu.audit.verify.LogVerifier;
import io.kefu.audit.verify.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Re-hash the whole log and check it: the hash chain, gap-free sequences, every",
      "batch's signature and Merkle root, and every batch against its anchor.",
      "Exit 0 when intact; exit 1 with a report naming the first bad record and the",
      "kind of tampering (modified, deleted, inserted, reordered, truncated, forged anchor).",
      "With --jdbc, the outcome is also a row of audit_verifications (the exit code is the same)."
    })
final class AuditVerifyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--log", required = true, paramLabel = "DIR", description = "The log directory.")
  Path log;

  @Mixin AuditCommand.Trust trust;

  @Mixin AuditCommand.Tables tables;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path report;

  @Option(names = "--json", description = "Print the JSON report instead of the summary.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    VerificationReport r;
    try (Ledger ledger = trust.openLedger()) {
      ProgressLine progress =
          new ProgressLine(spec.commandLine().getErr(), java.time.ZoneId.systemDefault());
      r =
          LogVerifier.verify(
              log, ledger, trust.key(), n -> progress.counted("records verified", n));
      progress.done();
    }
    Instant verifiedAt = Instant.now();
    if (report != null) {
      Files.write(report, r.toJson());
    }
    out.println(
        json ? new String(r.toJson(), java.nio.charset.StandardCharsets.UTF_8) : r.summary());
    if (tables.given()) {
      try (Connection c = tables.connect()) {
        AuditCommand.Tables.on(c).writeVerification(r, verifiedAt);
      }
      // with --json, stdout stays one JSON document
      (json ? spec.commandLine().getErr() : out)
          .printf(
              "audit_verifications: 1 row (%s, log %s) written in %s%n",
              r.intact() ? "intact" : "tampered", r.logId(), tables.where());
    }
    return r.intact() ? 0 : 1;
  }
}
