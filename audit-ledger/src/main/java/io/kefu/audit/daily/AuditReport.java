package io.kefu.audit.daily;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.kefu.audit.daily.Finding.Rule;
import io.kefu.audit.daily.Finding.Severity;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The daily audit report: the verdict, what verifying the ledger found, the rules' findings and the
 * day's operation counts, as {@code audit-YYYY-MM-DD.json} (the record to hash and anchor) and
 * {@code audit-YYYY-MM-DD.html} (the same for a compliance auditor to read: self-contained, no
 * scripts). Both are UTF-8 and byte-for-byte deterministic; nothing in them comes from the clock.
 *
 * @param date the audited local day
 * @param zone the zone whose midnights bound {@code date}
 * @param verification what verifying the ledger found
 * @param findings the findings, shown in the order given ({@link AuditRules#apply}'s)
 * @param counts the day's operations by action and role
 */
public record AuditReport(
    LocalDate date,
    ZoneId zone,
    VerificationSummary verification,
    List<Finding> findings,
    OperationCounts counts) {

  /** Version of the JSON layout, written as {@code format_version}. */
  public static final int FORMAT_VERSION = 1;

  /** The report's overall conclusion. */
  public enum Verdict {
    /** The ledger verified and no rule found anything. */
    PASS,
    /** The ledger verified and some findings need a person to review them. */
    REVIEW_REQUIRED,
    /** The ledger failed verification; the day's records cannot be trusted. */
    INTEGRITY_FAILURE
  }

  private static final JsonFactory JSON = JsonFactory.builder().build();

  public AuditReport {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(counts, "counts");
    findings = List.copyOf(findings);
  }

  public Verdict verdict() {
    if (!verification.intact()) {
      return Verdict.INTEGRITY_FAILURE;
    }
    return findings.isEmpty() ? Verdict.PASS : Verdict.REVIEW_REQUIRED;
  }

  /** {@code audit-YYYY-MM-DD.json}. */
  public String jsonFileName() {
    return "audit-" + date + ".json";
  }

  /** {@code audit-YYYY-MM-DD.html}. */
  public String htmlFileName() {
    return "audit-" + date + ".html";
  }

  /**
   * Writes both files into {@code dir} (each through a temporary file, so that a reader never sees
   * half a report) and returns the JSON bytes written, for the caller to hash and anchor.
   */
  public byte[] writeTo(Path dir) throws IOException {
    byte[] json = json();
    Files.createDirectories(dir);
    writeAtomically(dir.resolve(jsonFileName()), json);
    writeAtomically(dir.resolve(htmlFileName()), html(json).getBytes(StandardCharsets.UTF_8));
    return json;
  }

  /**
   * The JSON report: fields in a fixed order, two-space indentation, {@code \n} line ends and a
   * final newline, non-ASCII text written as UTF-8 (not escaped).
   */
  public byte[] json() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      DefaultPrettyPrinter pretty =
          new DefaultPrettyPrinter(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
              .withObjectIndenter(new DefaultIndenter("  ", "\n"));
      g.setPrettyPrinter(pretty);
      g.writeStartObject();
      g.writeStringField("report", "kefu daily operation-log audit");
      g.writeNumberField("format_version", FORMAT_VERSION);
      g.writeStringField("date", date.toString());
      g.writeStringField("zone", zone.getId());
      g.writeStringField("verdict", verdict().name());

      g.writeObjectFieldStart("verification");
      g.writeStringField("ledger", verification.ledger());
      g.writeBooleanField("intact", verification.intact());
      g.writeNumberField("records", verification.records());
      g.writeNumberField("batches", verification.batches());
      g.writeStringField("first_problem", verification.firstProblem());
      g.writeEndObject();

      g.writeObjectFieldStart("summary");
      g.writeNumberField("findings", findings.size());
      g.writeObjectFieldStart("by_severity");
      for (Map.Entry<Severity, Long> e : bySeverity().entrySet()) {
        g.writeNumberField(e.getKey().name(), e.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("by_rule");
      for (Map.Entry<Rule, Long> e : byRule().entrySet()) {
        g.writeNumberField(e.getKey().name(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();

      g.writeArrayFieldStart("findings");
      for (Finding f : findings) {
        g.writeStartObject();
        g.writeStringField("rule", f.rule().name());
        g.writeStringField("severity", f.severity().name());
        g.writeStringField("actor", f.actor());
        g.writeNumberField("first_sequence", f.firstSequence());
        g.writeNumberField("last_sequence", f.lastSequence());
        g.writeNumberField("count", f.count());
        g.writeArrayFieldStart("sequences");
        for (long s : f.sequences()) {
          g.writeNumber(s);
        }
        g.writeEndArray();
        g.writeStringField("description", f.description());
        g.writeEndObject();
      }
      g.writeEndArray();

      g.writeObjectFieldStart("operations");
      g.writeNumberField("total", counts.total());
      g.writeObjectFieldStart("by_action");
      for (Map.Entry<OperationAction, Long> e : counts.byAction().entrySet()) {
        g.writeNumberField(e.getKey().name(), e.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("by_role");
      for (Map.Entry<ActorRole, Long> e : counts.byRole().entrySet()) {
        g.writeNumberField(e.getKey().name(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();

      g.writeEndObject();
      g.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** The HTML report; it names the SHA-256 of {@link #json()} so a reader can tie the two. */
  public String html() {
    return html(json());
  }

  private String html(byte[] json) {
    StringBuilder h = new StringBuilder(16_384);
    String title = "Daily audit of the operation log, " + date + " (" + zone.getId() + ")";
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.append("<title>").append(esc(title)).append("</title>\n");
    h.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    h.append("<h1>").append(esc(title)).append("</h1>\n");

    Verdict verdict = verdict();
    h.append("<div class=\"verdict ")
        .append(verdict.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .append("\"><strong>")
        .append(verdict.name().replace('_', ' '))
        .append("</strong><br>")
        .append(esc(verdictText(verdict)))
        .append("</div>\n");

    h.append("<h2>Ledger verification</h2>\n<table class=\"kv\">\n");
    row(h, "Ledger", verification.ledger());
    row(h, "Result", verification.intact() ? "intact" : "FAILED");
    row(h, "Records verified", Long.toString(verification.records()));
    row(h, "Batches verified", Long.toString(verification.batches()));
    row(
        h,
        "First problem",
        verification.firstProblem() == null ? "none" : verification.firstProblem());
    h.append("</table>\n");

    h.append("<h2>Findings (").append(findings.size()).append(")</h2>\n");
    if (findings.isEmpty()) {
      h.append("<p>No rule found anything to review.</p>\n");
    } else {
      h.append("<p>");
      String sep = "";
      for (Map.Entry<Severity, Long> e : bySeverity().entrySet()) {
        h.append(sep)
            .append(e.getValue())
            .append(' ')
            .append(e.getKey().name().toLowerCase(Locale.ROOT));
        sep = ", ";
      }
      h.append(".</p>\n<table class=\"findings\">\n<thead><tr><th>#</th><th>Severity</th>")
          .append("<th>Rule</th><th>Actor</th><th>Operations</th><th>Sequences</th>")
          .append("<th>Description</th></tr></thead>\n<tbody>\n");
      int n = 0;
      for (Finding f : findings) {
        n++;
        h.append("<tr class=\"").append(f.severity().name().toLowerCase(Locale.ROOT)).append("\">");
        h.append("<td>").append(n).append("</td>");
        h.append("<td>").append(f.severity().name()).append("</td>");
        h.append("<td>").append(f.rule().name()).append("</td>");
        h.append("<td>").append(esc(f.actor())).append("</td>");
        h.append("<td class=\"num\">").append(f.count()).append("</td>");
        h.append("<td>").append(sequences(f)).append("</td>");
        h.append("<td>").append(esc(f.description())).append("</td>");
        h.append("</tr>\n");
      }
      h.append("</tbody>\n</table>\n");
    }

    h.append("<h2>About the rules</h2>\n<dl>\n");
    for (Rule rule : Rule.values()) {
      h.append("<dt>").append(rule.name()).append("</dt><dd>").append(esc(explain(rule)));
      h.append("</dd>\n");
    }
    h.append("</dl>\n");

    h.append("<h2>Operations on the day (").append(counts.total()).append(")</h2>\n");
    h.append("<div class=\"counts\">\n<table>\n<thead><tr><th>Action</th><th>Operations</th>");
    h.append("</tr></thead>\n<tbody>\n");
    counts.byAction().forEach((a, c) -> countRow(h, a.name(), c));
    h.append("</tbody>\n</table>\n<table>\n<thead><tr><th>Role</th><th>Operations</th>");
    h.append("</tr></thead>\n<tbody>\n");
    counts.byRole().forEach((r, c) -> countRow(h, r.name(), c));
    h.append("</tbody>\n</table>\n</div>\n");

    h.append("<footer>Machine-readable report: ")
        .append(esc(jsonFileName()))
        .append(" (format version ")
        .append(FORMAT_VERSION)
        .append("), SHA-256 <code>")
        .append(sha256(json))
        .append("</code>.</footer>\n");
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private String verdictText(Verdict verdict) {
    return switch (verdict) {
      case PASS ->
          "The ledger verified intact ("
              + verification.records()
              + " records in "
              + verification.batches()
              + " batches) and no audit rule found anything.";
      case REVIEW_REQUIRED ->
          "The ledger verified intact ("
              + verification.records()
              + " records in "
              + verification.batches()
              + " batches); "
              + findings.size()
              + (findings.size() == 1 ? " finding needs" : " findings need")
              + " review.";
      case INTEGRITY_FAILURE ->
          "The ledger failed verification: "
              + (verification.firstProblem() == null
                  ? "no problem was named"
                  : verification.firstProblem())
              + ". The day's records cannot be trusted; the findings below may be incomplete.";
    };
  }

  private static String explain(Rule rule) {
    return switch (rule) {
      case OFF_HOURS_DECRYPT_OR_EXPORT ->
          "A customer identity was revealed (decrypted) or data was exported outside business"
              + " hours.";
      case BULK_EXPORT -> "An export returned more rows than the bulk-export threshold.";
      case NO_PURPOSE ->
          "Customer data was accessed with neither a stated purpose nor a ticket; one finding per"
              + " person lists every such access of the day.";
      case ROLE_NOT_PERMITTED ->
          "Someone performed, or attempted, an action their role is not permitted; denied"
              + " attempts are listed too.";
      case READ_SPREE ->
          "One person read more distinct customers within a rolling window than the threshold;"
              + " the busiest window of the day is shown.";
    };
  }

  private Map<Severity, Long> bySeverity() {
    Map<Severity, Long> m = new LinkedHashMap<>();
    Severity[] all = Severity.values();
    for (int i = all.length - 1; i >= 0; i--) {
      m.put(all[i], 0L); // most urgent first
    }
    findings.forEach(f -> m.merge(f.severity(), 1L, Long::sum));
    return m;
  }

  private Map<Rule, Long> byRule() {
    Map<Rule, Long> m = new EnumMap<>(Rule.class);
    for (Rule r : Rule.values()) {
      m.put(r, 0L);
    }
    findings.forEach(f -> m.merge(f.rule(), 1L, Long::sum));
    return m;
  }

  private static String sequences(Finding f) {
    String range =
        f.firstSequence() == f.lastSequence()
            ? Long.toString(f.firstSequence())
            : f.firstSequence() + "–" + f.lastSequence();
    if (f.count() == 1) {
      return range;
    }
    StringBuilder list = new StringBuilder();
    for (long s : f.sequences()) {
      list.append(list.isEmpty() ? "" : ", ").append(s);
    }
    if (f.count() > f.sequences().size()) {
      list.append(", … (first ").append(f.sequences().size()).append(" of ").append(f.count());
      list.append(')');
    }
    return "<details><summary>" + range + "</summary>" + list + "</details>";
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value));
    h.append("</td></tr>\n");
  }

  private static void countRow(StringBuilder h, String key, long value) {
    h.append("<tr><td>").append(esc(key)).append("</td><td class=\"num\">").append(value);
    h.append("</td></tr>\n");
  }

  /** Escapes text for HTML element content and quoted attribute values. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static final String CSS =
      """
      body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em; \
      color: #1a1a1a; }
      h1 { font-size: 1.4em; }
      h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
      .verdict { padding: 0.8em 1em; border-radius: 4px; border: 2px solid; font-size: 1.05em; }
      .verdict.pass { background: #e6f4ea; border-color: #1e7e34; }
      .verdict.review-required { background: #fff4e0; border-color: #b26a00; }
      .verdict.integrity-failure { background: #fde8e8; border-color: #b00020; }
      table { border-collapse: collapse; margin: 0.5em 0; }
      th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; \
      vertical-align: top; }
      thead th, table.kv th { background: #f3f3f3; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      tr.high td:nth-child(2) { color: #b00020; font-weight: bold; }
      tr.medium td:nth-child(2) { color: #b26a00; font-weight: bold; }
      .counts { display: flex; gap: 2em; align-items: flex-start; }
      details summary { cursor: pointer; }
      dt { font-weight: bold; margin-top: 0.4em; }
      footer { margin-top: 2em; font-size: 0.85em; color: #555; }
      """;
}
