package io.kefu.cli;

import io.kefu.audit.anchor.Anchoring;
import io.kefu.audit.anchor.Ledger;
import io.kefu.audit.daily.AuditReport;
import io.kefu.audit.daily.AuditRuleSettings;
import io.kefu.audit.daily.AuditRules;
import io.kefu.audit.daily.Finding;
import io.kefu.audit.daily.OperationCounts;
import io.kefu.audit.daily.VerificationSummary;
import io.kefu.audit.log.LogFormat;
import io.kefu.audit.log.LogMeta;
import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.LogRecords;
import io.kefu.audit.log.OperationLog;
import io.kefu.audit.tables.AuditTables;
import io.kefu.audit.verify.LogVerifier;
import io.kefu.audit.verify.Problem;
import io.kefu.audit.verify.VerificationReport;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "daily",
    mixinStandardHelpOptions = true,
    description = {
      "The daily audit: verify the whole log, apply the audit rules to one day's",
      "operations (decrypts or exports outside business hours, bulk exports, access",
      "without purpose or ticket, roles doing what they may not, read sprees), write",
      "audit-DATE.html and audit-DATE.json, record the report's SHA-256 in the log and",
      "anchor it. Exit 0 when the log is intact, 1 when verification fails.",
      "With --jdbc, also writes the verification to audit_verifications, replaces the",
      "day's rows of audit_findings and refreshes audit_batches (the report is a new batch).",
      "Schedule it once a day, e.g. cron: 15 1 * * *  bin/kefu audit daily --log … --ledger …"
    })
final class AuditDailyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--log", required = true, paramLabel = "DIR", description = "The log directory.")
  Path log;

  @Mixin AuditCommand.Trust trust;

  @Option(
      names = "--date",
      description = "The day to audit, yyyy-mm-dd (default: yesterday in --zone).")
  LocalDate date;

  @Option(names = "--zone", description = "Time zone of the business day (default Asia/Shanghai).")
  ZoneId zone;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Report directory (default: LOG/reports).")
  Path out;

  @Option(
      names = "--bulk-rows",
      description = "An export of more rows than this is bulk (default 10000).")
  Long bulkRows;

  @Option(
      names = "--spree-customers",
      description =
          "Distinct customers per actor per hour above which reading is a spree (default 100).")
  Integer spreeCustomers;

  @Mixin AuditCommand.Tables tables;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    AuditRuleSettings settings = AuditRuleSettings.DEFAULTS;
    if (zone != null) {
      settings = settings.withZone(zone);
    }
    if (bulkRows != null) {
      settings = settings.withBulkExportRows(bulkRows);
    }
    if (spreeCustomers != null) {
      settings = settings.withReadSpree(spreeCustomers, settings.readSpreeWindow());
    }
    ZoneId z = settings.zone();
    LocalDate day = date != null ? date : LocalDate.now(z).minusDays(1);
    Path reports = out != null ? out : log.resolve("reports");

    VerificationReport v;
    try (Ledger ledger = trust.openLedger()) {
      v = LogVerifier.verify(log, ledger, trust.key(), null);
    }
    Instant verifiedAt = Instant.now();
    Problem first = v.firstProblem();
    VerificationSummary summary =
        new VerificationSummary(
            v.intact(),
            v.records(),
            v.batches(),
            first == null ? null : first.toString(),
            // without --ledger the chain, roots and signatures are checked, the anchors are not
            v.ledger() == null ? "none (no --ledger: anchors not checked)" : v.ledger());

    long from = day.atStartOfDay(z).toInstant().toEpochMilli();
    long to = day.plusDays(1).atStartOfDay(z).toInstant().toEpochMilli();
    List<OperationLogRecord> records = LogRecords.between(log, from, to);
    List<Finding> findings = AuditRules.apply(records, settings);
    AuditReport report = new AuditReport(day, z, summary, findings, OperationCounts.of(records));
    byte[] json = report.writeTo(reports);
    String sha = HexFormat.of().formatHex(LogFormat.sha256().digest(json));

    o.printf("%s  %s: %s%n", report.verdict(), day, v.summary().lines().findFirst().orElse(""));
    o.printf("  %,d operations on %s, %d finding(s)%n", records.size(), day, findings.size());
    for (Finding f : findings.subList(0, Math.min(10, findings.size()))) {
      o.printf("  %-6s %-28s %s%n", f.severity(), f.rule(), f.description());
    }
    if (findings.size() > 10) {
      o.printf("  … %d more in the report%n", findings.size() - 10);
    }
    o.printf(
        "  report: %s and %s (sha256 %s)%n",
        reports.resolve(report.htmlFileName()), reports.resolve(report.jsonFileName()), sha);
    recordReport(o, day, report, sha);
    if (tables.given()) {
      writeTables(o, v, verifiedAt, report);
    }
    return v.intact() ? 0 : 1;
  }

  /** The verification, the day's findings and, with a ledger, every batch with its anchor. */
  private void writeTables(
      PrintWriter o, VerificationReport v, Instant verifiedAt, AuditReport report)
      throws Exception {
    try (Connection c = tables.connect()) {
      AuditTables t = AuditCommand.Tables.on(c);
      t.writeVerification(v, verifiedAt);
      int findings = t.writeFindings(LogMeta.read(log), report);
      String batches = "audit_batches not refreshed (no --ledger)";
      if (trust.ledger != null) {
        try (Ledger ledger = trust.openLedger()) {
          batches = "audit_batches " + AuditCommand.Tables.describe(t.writeBatches(log, ledger));
        }
      }
      o.printf(
          "  written in %s: audit_verifications 1 row, audit_findings %d row(s) for %s, %s%n",
          tables.where(), findings, report.date(), batches);
    }
  }

  /** The report's hash becomes an operation-log record of its own, sealed and anchored. */
  private void recordReport(PrintWriter o, LocalDate day, AuditReport report, String sha) {
    OperationLogRecord r =
        OperationLogRecord.newBuilder()
            .setSequence(0)
            .setTime(Instant.now())
            .setActor("kefu-audit-daily")
            .setActorRole(ActorRole.SYSTEM)
            .setAction(OperationAction.VIEW)
            .setResourceType(ResourceType.REPORT)
            .setResourceId(report.jsonFileName())
            .setPurpose("daily audit")
            .setTicketRef("audit-" + day)
            .setOutcome(Outcome.ALLOWED)
            .setAttributes(Map.of("report_sha256", sha, "verdict", report.verdict().name()))
            .build();
    try {
      long seq;
      try (OperationLog oplog = OperationLog.open(log, LogOptions.defaults())) {
        seq = oplog.append(r);
        oplog.closeBatches();
      }
      String where = "sealed in the log as record " + seq;
      if (trust.ledger != null) {
        try (Ledger ledger = trust.openLedger()) {
          Anchoring.anchorAll(log, ledger, null);
          where += " and anchored on " + ledger.describe();
        }
      }
      o.println("  report hash " + where);
    } catch (Exception e) {
      o.println("  the report hash could not be recorded in the log: " + e.getMessage());
    }
  }
}
