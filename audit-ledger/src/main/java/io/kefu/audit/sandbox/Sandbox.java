package io.kefu.audit.sandbox;

import io.kefu.audit.log.OperationLog;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox for services and the CLI: reveal a vault token, export a pseudonymised table, erase a
 * customer. Every call — allowed or refused — is first an operation-log record (appended and
 * durable before the call returns or throws), so what was disclosed is always on the record.
 */
public final class Sandbox {

  /** Who asks, and why. */
  public record Request(
      String actor, ActorRole role, String purpose, String ticket, String clientAddress) {}

  /** A revealed value, and the log record that says so. */
  public record Revealed(
      String token, PiiType field, String pseudonym, String value, long sequence) {}

  /** Tables that hold pseudonymised data only: the ones {@link #export} accepts. */
  public static final Set<String> EXPORTABLE =
      Set.of("kpi_windows", "kpi_rows", "alerts", "qa_violations", "late_records");

  private final Vault vault;
  private final Connection connection;
  private final SandboxCrypto crypto;
  private final RevealPolicy policy;
  private final OperationLog log;
  private final Clock clock;

  public Sandbox(
      Connection connection,
      SandboxCrypto crypto,
      RevealPolicy policy,
      OperationLog log,
      Clock clock) {
    this.connection = connection;
    this.vault = new Vault(connection);
    this.crypto = crypto;
    this.policy = policy;
    this.log = log;
    this.clock = clock;
  }

  /**
   * Decrypts the value behind {@code token} if the policy allows it, logging REVEAL on VAULT as
   * ALLOWED (then returning it) or DENIED (then throwing).
   */
  public Revealed reveal(String token, Request r)
      throws RevealDeniedException, IOException, SQLException {
    Instant now = clock.instant();
    VaultEntry e = vault.find(token);
    if (e == null) {
      long seq =
          append(
              r,
              now,
              OperationAction.REVEAL,
              token,
              null,
              Outcome.DENIED,
              0L,
              Map.of("reason", "no such token (unknown, or erased)"));
      throw new RevealDeniedException(
          "no vault entry for token " + token + ": it never existed or the customer was erased",
          seq);
    }
    PiiType field = e.type();
    String refusal = policy.revealRefusal(r.role(), field, r.purpose(), r.ticket(), now);
    if (refusal != null) {
      long seq =
          append(
              r,
              now,
              OperationAction.REVEAL,
              token,
              e.pseudonym,
              Outcome.DENIED,
              0L,
              Map.of("field", field.name(), "reason", refusal));
      throw new RevealDeniedException("reveal of " + token + " refused: " + refusal, seq);
    }
    String value;
    try {
      value = crypto.decrypt(field, token, e.ciphertext);
    } catch (GeneralSecurityException ex) {
      long seq =
          append(
              r,
              now,
              OperationAction.REVEAL,
              token,
              e.pseudonym,
              Outcome.DENIED,
              0L,
              Map.of("field", field.name(), "reason", "ciphertext does not authenticate"));
      throw new RevealDeniedException(
          "vault entry " + token + " does not decrypt: altered, moved, or under a deleted key",
          seq);
    }
    long seq =
        append(
            r,
            now,
            OperationAction.REVEAL,
            token,
            e.pseudonym,
            Outcome.ALLOWED,
            1L,
            Map.of("field", field.name(), "key_id", Integer.toUnsignedString(e.keyId)));
    return new Revealed(token, field, e.pseudonym, value, seq);
  }

  /**
   * Writes a pseudonymised table as CSV, logging EXPORT. Refused (and logged DENIED): tables other
   * than {@link #EXPORTABLE} (the vault, dead letters with raw input), roles the policy does not
   * let export, and any table in which the PII detector still finds something. Returns the rows
   * written.
   */
  public long export(String table, Path out, Request r)
      throws RevealDeniedException, IOException, SQLException {
    Instant now = clock.instant();
    String t = table.strip().toLowerCase(java.util.Locale.ROOT);
    String refusal =
        !EXPORTABLE.contains(t)
            ? "table " + table + " is not pseudonymised (exportable: " + EXPORTABLE + ")"
            : policy.exportRefusal(r.role(), r.purpose(), r.ticket(), now);
    if (refusal != null) {
      long seq =
          append(
              r,
              now,
              OperationAction.EXPORT,
              table,
              null,
              Outcome.DENIED,
              0L,
              Map.of("reason", refusal));
      throw new RevealDeniedException("export of " + table + " refused: " + refusal, seq);
    }
    PiiRedactor detector = PiiRedactor.patterns();
    Path tmp = out.resolveSibling(out.getFileName() + ".partial");
    long rows = 0;
    String leak = null;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + t);
        BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      for (int i = 1; i <= n; i++) {
        w.write((i > 1 ? "," : "") + csv(md.getColumnLabel(i)));
      }
      w.write('\n');
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          String v = rs.getString(i);
          if (v != null && leak == null && !detector.find(v).isEmpty()) {
            leak = "column " + md.getColumnLabel(i) + " of row " + (rows + 1);
          }
          w.write((i > 1 ? "," : "") + (v == null ? "" : csv(v)));
        }
        w.write('\n');
        rows++;
      }
    }
    if (leak != null) {
      Files.deleteIfExists(tmp);
      long seq =
          append(
              r,
              now,
              OperationAction.EXPORT,
              table,
              null,
              Outcome.DENIED,
              0L,
              Map.of("reason", "personal data found in " + leak));
      throw new RevealDeniedException(
          "export of " + table + " refused: personal data found in " + leak, seq);
    }
    append(
        r,
        now,
        OperationAction.EXPORT,
        table,
        null,
        Outcome.ALLOWED,
        rows,
        Map.of("file", out.getFileName().toString()));
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return rows;
  }

  /**
   * Deletes every vault entry of a customer (right to be forgotten) and logs ERASE of the
   * CUSTOMER_RECORD with the pseudonym. Returns the entries deleted. The operation log and the
   * ledger are untouched: they hold pseudonyms only, so every proof still verifies.
   */
  public int erase(String pseudonym, Request r)
      throws RevealDeniedException, IOException, SQLException {
    if (r.role() != ActorRole.ADMIN && r.role() != ActorRole.SYSTEM) {
      long seq =
          append(
              r,
              clock.instant(),
              OperationAction.ERASE,
              "customer:" + pseudonym,
              pseudonym,
              Outcome.DENIED,
              0L,
              Map.of("reason", "only ADMIN or SYSTEM may erase"));
      throw new RevealDeniedException(
          "erasure refused: role " + r.role() + " may not erase (ADMIN or SYSTEM)", seq);
    }
    int n = vault.erase(pseudonym);
    append(
        r,
        clock.instant(),
        OperationAction.ERASE,
        "customer:" + pseudonym,
        pseudonym,
        Outcome.ALLOWED,
        (long) n,
        Map.of());
    return n;
  }

  /** Every token of a customer (no values): what an analyst quotes to ask for a reveal. */
  public List<Vault.TokenInfo> tokens(String pseudonym) throws SQLException {
    return vault.tokens(pseudonym);
  }

  private long append(
      Request r,
      Instant now,
      OperationAction action,
      String resource,
      String pseudonym,
      Outcome outcome,
      Long count,
      Map<String, String> attributes)
      throws IOException {
    Map<String, String> attrs = new LinkedHashMap<>(attributes);
    attrs.put("tool", "kefu sandbox");
    return log.append(
        OperationLogRecord.newBuilder()
            .setSequence(0)
            .setTime(now)
            .setActor(r.actor())
            .setActorRole(r.role())
            .setAction(action)
            .setResourceType(resourceType(action))
            .setResourceId(resource)
            .setCustomerPseudonym(pseudonym)
            .setPurpose(blankToNull(r.purpose()))
            .setTicketRef(blankToNull(r.ticket()))
            .setOutcome(outcome)
            .setClientAddress(r.clientAddress())
            .setRecordCount(count)
            .setAttributes(attrs)
            .build());
  }

  /** As the audit's permission table names them: EXPORT of a KPI table, ERASE of a customer. */
  private static ResourceType resourceType(OperationAction action) {
    switch (action) {
      case EXPORT:
        return ResourceType.KPI_TABLE;
      case ERASE:
        return ResourceType.CUSTOMER_RECORD;
      default:
        return ResourceType.VAULT;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String csv(String v) {
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }
}
