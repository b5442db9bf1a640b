package io.kefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.audit.sandbox.EventSandbox;
import io.kefu.audit.sandbox.PiiRedactor;
import io.kefu.audit.sandbox.SandboxCrypto;
import io.kefu.audit.sandbox.SandboxKeys;
import io.kefu.audit.sandbox.Vault;
import io.kefu.audit.sandbox.VaultEntry;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kefu sandbox …} as an operator runs it, on a real PostgreSQL vault and a real log. */
class SandboxCommandTest {
  @TempDir static Path dir;
  static EmbeddedPostgres pg;
  static String jdbc;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    jdbc = pg.getJdbcUrl("postgres", "postgres");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  /** One conversation's customer id and phone number, through the ingest into the vault. */
  private static String ingest(Path keys, String customer, String conversation, String phone)
      throws Exception {
    EventSandbox es =
        new EventSandbox(new SandboxCrypto(SandboxKeys.load(keys)), PiiRedactor.patterns());
    List<VaultEntry> rows = new ArrayList<>();
    Instant t = Instant.parse("2026-11-27T02:00:00Z");
    ConversationEvent start =
        ConversationEvent.newBuilder()
            .setEventId(conversation + "-1")
            .setConversationId(conversation)
            .setEventType(EventType.CONVERSATION_STARTED)
            .setEventTime(t)
            .setTenant("acme")
            .setCustomerId(customer)
            .build();
    es.apply(start, 0L, rows::add);
    es.apply(
        ConversationEvent.newBuilder()
            .setEventId(conversation + "-2")
            .setConversationId(conversation)
            .setEventType(EventType.MESSAGE)
            .setEventTime(t)
            .setTenant("acme")
            .setRole(Role.CUSTOMER)
            .setText("call me on " + phone)
            .build(),
        0L,
        rows::add);
    try (Connection c = DriverManager.getConnection(jdbc)) {
      Vault v = new Vault(c);
      v.create();
      for (VaultEntry e : rows) {
        v.insert(e);
      }
    }
    return start.getCustomerId();
  }

  private static String token(String pseudonym, String field) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc)) {
      return new Vault(c)
          .tokens(pseudonym).stream()
              .filter(t -> t.field().equals(field))
              .findFirst()
              .orElseThrow()
              .token();
    }
  }

  @Test
  void keysRevealTokensExportEraseReencryptAndTheLogVerifies() throws Exception {
    Path keys = dir.resolve("keys");
    Path log = dir.resolve("oplog");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy,
        "zone: Asia/Shanghai\nhours: \"00:00-24:00\"\nrequire: purpose_or_ticket\n"
            + "reveal:\n  SUPERVISOR: [ALL]\nexport: [SUPERVISOR]\n");

    CliRun init = CliRun.of("sandbox", "keys", "init", "--keys", keys.toString());
    assertEquals(0, init.exitCode(), init.err());
    assertTrue(init.out().contains("vault-aead"), init.out());
    assertTrue(Files.exists(keys.resolve("master.json")));

    String p = ingest(keys, "cust-7", "c-7", "13812345678");
    String phone = token(p, "PHONE");
    CliRun tokens = CliRun.of("sandbox", "tokens", "--customer", p, "--jdbc", jdbc);
    assertEquals(0, tokens.exitCode(), tokens.err());
    assertTrue(
        tokens.out().contains(phone) && tokens.out().contains("2 vault entries"), tokens.out());
    assertFalse(tokens.out().contains("13812345678"), tokens.out());

    String[] common = {
      "--jdbc",
      jdbc,
      "--keys",
      keys.toString(),
      "--log",
      log.toString(),
      "--policy",
      policy.toString(),
      "--actor",
      "li.na"
    };
    CliRun allowed =
        CliRun.of(
            concat(
                new String[] {
                  "sandbox",
                  "reveal",
                  "--token",
                  phone,
                  "--role",
                  "SUPERVISOR",
                  "--purpose",
                  "call back"
                },
                common));
    assertEquals(0, allowed.exitCode(), allowed.err());
    assertTrue(allowed.out().contains("13812345678"), allowed.out());

    CliRun denied =
        CliRun.of(
            concat(
                new String[] {
                  "sandbox", "reveal", "--token", phone, "--role", "ANALYST", "--purpose", "curious"
                },
                common));
    assertEquals(SandboxCommand.REFUSED, denied.exitCode(), denied.out());
    assertTrue(denied.err().contains("may not reveal"), denied.err());

    CliRun rotate =
        CliRun.of("sandbox", "keys", "rotate", "--keys", keys.toString(), "--log", log.toString());
    assertEquals(0, rotate.exitCode(), rotate.err());
    CliRun re = CliRun.of("sandbox", "reencrypt", "--keys", keys.toString(), "--jdbc", jdbc);
    assertEquals(0, re.exitCode(), re.err());
    assertTrue(re.out().startsWith("2 of 2 vault entries re-encrypted"), re.out());
    CliRun list = CliRun.of("sandbox", "keys", "list", "--keys", keys.toString());
    assertEquals(3, list.out().lines().filter(l -> l.contains("ENABLED")).count(), list.out());

    CliRun export =
        CliRun.of(
            "sandbox",
            "export",
            "--table",
            "vault",
            "--out",
            dir.resolve("v.csv").toString(),
            "--jdbc",
            jdbc,
            "--actor",
            "li.na",
            "--role",
            "SUPERVISOR",
            "--purpose",
            "x",
            "--policy",
            policy.toString(),
            "--log",
            log.toString());
    assertEquals(SandboxCommand.REFUSED, export.exitCode(), export.out());

    CliRun erase =
        CliRun.of(
            "sandbox",
            "erase",
            "--customer",
            p,
            "--jdbc",
            jdbc,
            "--actor",
            "admin",
            "--role",
            "ADMIN",
            "--purpose",
            "erasure request",
            "--ticket",
            "GDPR-1",
            "--log",
            log.toString());
    assertEquals(0, erase.exitCode(), erase.err());
    assertTrue(erase.out().startsWith("2 vault entries"), erase.out());
    CliRun after =
        CliRun.of(
            concat(
                new String[] {
                  "sandbox",
                  "reveal",
                  "--token",
                  phone,
                  "--role",
                  "SUPERVISOR",
                  "--purpose",
                  "call back"
                },
                common));
    assertEquals(SandboxCommand.REFUSED, after.exitCode());
    assertTrue(after.err().contains("erased"), after.err());

    // every decision is in the log, which seals, anchors and verifies
    String ledger = "embedded:" + dir.resolve("ledger");
    assertEquals(
        0, CliRun.of("audit", "anchor", "--log", log.toString(), "--ledger", ledger).exitCode());
    CliRun verify = CliRun.of("audit", "verify", "--log", log.toString(), "--ledger", ledger);
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
