package io.kefu.audit.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.audit.anchor.Anchoring;
import io.kefu.audit.anchor.EmbeddedLedger;
import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.LogRecords;
import io.kefu.audit.log.OperationLog;
import io.kefu.audit.verify.LogVerifier;
import io.kefu.audit.verify.VerificationReport;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.Role;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest → vault → reveal, export, rotation and erasure on a real PostgreSQL, with every decision
 * in a real operation log that still verifies against its ledger afterwards.
 */
class SandboxTest {
  /** 10:00 in Shanghai (business hours) and 23:00 (outside). */
  static final Instant DAY = Instant.parse("2026-11-27T02:00:00Z");

  static final Instant NIGHT = Instant.parse("2026-11-27T15:00:00Z");
  static final String PHONE = "13812345678";

  static EmbeddedPostgres pg;
  @TempDir Path dir;
  Connection db;
  SandboxCrypto crypto;
  OperationLog log;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    String name = "sandbox_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    db = DriverManager.getConnection(pg.getJdbcUrl("postgres", name));
    new Vault(db).create();
    crypto = new SandboxCrypto(SandboxKeys.init(dir.resolve("keys"), null));
    log = OperationLog.open(dir.resolve("log"), LogOptions.defaults());
  }

  @AfterEach
  void tearDown() throws Exception {
    log.close();
    db.close();
  }

  private Sandbox sandbox(Instant now) {
    return sandbox(now, crypto);
  }

  private Sandbox sandbox(Instant now, SandboxCrypto c) {
    return new Sandbox(db, c, RevealPolicy.defaults(), log, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static Sandbox.Request supervisor(String purpose) {
    return new Sandbox.Request("li.na", ActorRole.SUPERVISOR, purpose, null, "10.0.0.7");
  }

  /** Runs two events of one conversation through the ingest and stores their vault rows. */
  private List<VaultEntry> ingest(String customer, String conversation, String text)
      throws Exception {
    EventSandbox es = new EventSandbox(crypto, PiiRedactor.patterns());
    List<VaultEntry> rows = new ArrayList<>();
    ConversationEvent start =
        ConversationEvent.newBuilder()
            .setEventId(conversation + "-1")
            .setConversationId(conversation)
            .setEventType(EventType.CONVERSATION_STARTED)
            .setEventTime(DAY)
            .setTenant("acme")
            .setCustomerId(customer)
            .build();
    ConversationEvent msg =
        ConversationEvent.newBuilder()
            .setEventId(conversation + "-2")
            .setConversationId(conversation)
            .setEventType(EventType.MESSAGE)
            .setEventTime(DAY)
            .setTenant("acme")
            .setRole(Role.CUSTOMER)
            .setText(text)
            .build();
    es.apply(start, DAY.toEpochMilli(), rows::add);
    es.apply(msg, DAY.toEpochMilli(), rows::add);
    assertEquals(crypto.pseudonym(customer), start.getCustomerId());
    assertFalse(msg.getText().contains(PHONE), msg.getText());
    Vault v = new Vault(db);
    for (VaultEntry e : rows) {
      v.insert(e);
    }
    return rows;
  }

  private static VaultEntry of(List<VaultEntry> rows, PiiType t) {
    return rows.stream().filter(e -> e.type() == t).findFirst().orElseThrow();
  }

  private List<OperationLogRecord> records() throws Exception {
    return LogRecords.between(dir.resolve("log"), 0, Long.MAX_VALUE);
  }

  @Test
  void allowedRoleWithPurposeGetsThePlaintextAndAnAllowedRecord() throws Exception {
    List<VaultEntry> rows = ingest("cust-42", "c-1", "我的手机号是" + PHONE);
    VaultEntry phone = of(rows, PiiType.PHONE);
    Sandbox.Revealed r = sandbox(DAY).reveal(phone.token, supervisor("callback for ticket"));
    assertEquals(PHONE, r.value());
    assertEquals(crypto.pseudonym("cust-42"), r.pseudonym());
    Sandbox.Revealed id =
        sandbox(DAY).reveal(of(rows, PiiType.CUSTOMER_ID).token, supervisor("callback"));
    assertEquals("cust-42", id.value());
    OperationLogRecord rec = records().get(0);
    assertEquals(OperationAction.REVEAL, rec.getAction());
    assertEquals(Outcome.ALLOWED, rec.getOutcome());
    assertEquals(io.kefu.schemas.ResourceType.VAULT, rec.getResourceType());
    assertEquals(phone.token, rec.getResourceId());
    assertEquals(crypto.pseudonym("cust-42"), rec.getCustomerPseudonym());
    assertEquals("callback for ticket", rec.getPurpose());
    assertEquals("PHONE", rec.getAttributes().get("field"));
    assertNoPlaintextInLog(PHONE, "cust-42");
  }

  @Test
  void refusalsAreLoggedDenied() throws Exception {
    String token = of(ingest("cust-42", "c-1", "call " + PHONE), PiiType.PHONE).token;
    Sandbox day = sandbox(DAY);
    assertDenied(
        () ->
            day.reveal(
                token, new Sandbox.Request("wang.fang", ActorRole.ANALYST, "curious", null, null)),
        "role ANALYST may not reveal PHONE");
    assertDenied(() -> day.reveal(token, supervisor(" ")), "a purpose or a ticket is required");
    assertDenied(
        () -> sandbox(NIGHT).reveal(token, supervisor("callback")), "outside business hours");
    assertDenied(() -> day.reveal("vnosuchtoken", supervisor("callback")), "no vault entry");
    List<OperationLogRecord> recs = records();
    assertEquals(4, recs.size());
    for (OperationLogRecord r : recs) {
      assertEquals(Outcome.DENIED, r.getOutcome());
      assertEquals(OperationAction.REVEAL, r.getAction());
      assertTrue(r.getAttributes().containsKey("reason"), r.toString());
    }
    assertEquals(ActorRole.ANALYST, recs.get(0).getActorRole());
    assertNoPlaintextInLog(PHONE, "cust-42");
  }

  @Test
  void alteredCiphertextOrMovedRowDoesNotDecrypt() throws Exception {
    List<VaultEntry> rows = ingest("cust-42", "c-1", "call " + PHONE + " or mail a.b@qq.com");
    VaultEntry phone = of(rows, PiiType.PHONE);
    VaultEntry email = of(rows, PiiType.EMAIL);
    byte[] flipped = phone.ciphertext.clone();
    flipped[flipped.length - 3] ^= 0x40;
    update("UPDATE vault SET ciphertext = ? WHERE token = ?", flipped, phone.token);
    assertDenied(
        () -> sandbox(DAY).reveal(phone.token, supervisor("callback")), "does not decrypt");
    // the e-mail's ciphertext copied under the phone's token: wrong associated data
    update("UPDATE vault SET ciphertext = ? WHERE token = ?", email.ciphertext, phone.token);
    assertDenied(
        () -> sandbox(DAY).reveal(phone.token, supervisor("callback")), "does not decrypt");
    // and moved to another field of the same row
    try (Statement s = db.createStatement()) {
      s.execute("UPDATE vault SET field = 'PHONE' WHERE token = '" + email.token + "'");
    }
    assertDenied(
        () -> sandbox(DAY).reveal(email.token, supervisor("callback")), "does not decrypt");
    assertEquals(
        "ciphertext does not authenticate", records().get(0).getAttributes().get("reason"));
  }

  @Test
  void rotationKeepsOldRowsReadableAndReencryptMovesThemToTheNewKey() throws Exception {
    List<VaultEntry> old = ingest("cust-1", "c-1", "call " + PHONE);
    int oldKey = crypto.aeadKeyId();
    crypto = new SandboxCrypto(crypto.keys().rotate());
    assertNotEquals(oldKey, crypto.aeadKeyId());
    List<VaultEntry> fresh = ingest("cust-2", "c-2", "call 13987654321");
    assertEquals(crypto.aeadKeyId(), of(fresh, PiiType.PHONE).keyId);
    assertEquals(PHONE, sandbox(DAY).reveal(of(old, PiiType.PHONE).token, supervisor("x")).value());
    Vault v = new Vault(db);
    assertEquals(2, v.counts(crypto.aeadKeyId())[1]); // cust-1's id and phone
    assertEquals(2, v.reencrypt(crypto, 1));
    assertEquals(0, v.counts(crypto.aeadKeyId())[1]);
    assertEquals(0, v.reencrypt(crypto, 100));
    assertEquals(PHONE, sandbox(DAY).reveal(of(old, PiiType.PHONE).token, supervisor("x")).value());
    assertEquals(
        "13987654321",
        sandbox(DAY).reveal(of(fresh, PiiType.PHONE).token, supervisor("x")).value());
  }

  @Test
  void erasureDeletesTheCustomersRowsAndTheLedgerStillVerifies() throws Exception {
    List<VaultEntry> a = ingest("cust-1", "c-1", "call " + PHONE + ", mail a.b@qq.com");
    List<VaultEntry> b = ingest("cust-2", "c-2", "call 13987654321");
    String p1 = crypto.pseudonym("cust-1");
    Sandbox s = sandbox(DAY);
    s.reveal(of(a, PiiType.PHONE).token, supervisor("before erasure"));
    assertEquals(3, s.tokens(p1).size());
    assertEquals(
        3, s.erase(p1, new Sandbox.Request("admin", ActorRole.ADMIN, "GDPR request", "T-9", null)));
    assertEquals(0, s.tokens(p1).size());
    assertNull(new Vault(db).find(of(a, PiiType.PHONE).token));
    RevealDeniedException e =
        assertThrows(
            RevealDeniedException.class,
            () -> s.reveal(of(a, PiiType.PHONE).token, supervisor("after erasure")));
    assertTrue(e.getMessage().contains("erased"), e.getMessage());
    // someone else's rows are untouched
    assertEquals("13987654321", s.reveal(of(b, PiiType.PHONE).token, supervisor("x")).value());
    OperationLogRecord erase =
        records().stream().filter(r -> r.getAction() == OperationAction.ERASE).findFirst().get();
    assertEquals(p1, erase.getCustomerPseudonym());
    assertEquals(3L, erase.getRecordCount());
    // seal, anchor, verify: the log holds pseudonyms only, erasure changed nothing in it
    log.closeBatches();
    log.close();
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"))) {
      Anchoring.anchorAll(dir.resolve("log"), ledger, null);
      VerificationReport r = LogVerifier.verify(dir.resolve("log"), ledger, null, null);
      assertTrue(r.intact(), r.summary());
      assertEquals(4, r.records());
    }
    log = OperationLog.open(dir.resolve("log"), LogOptions.defaults());
    assertNoPlaintextInLog(PHONE, "cust-1");
  }

  @Test
  void exportWritesPseudonymisedTablesOnlyAndLogsIt() throws Exception {
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE alerts (alert_id text, customer_pseudonym text, text text)");
      s.execute(
          "INSERT INTO alerts VALUES ('a1', '"
              + crypto.pseudonym("cust-1")
              + "', 'angry about [PHONE]')");
      s.execute("CREATE TABLE qa_violations (violation_id text, matched_text text)");
      s.execute("INSERT INTO qa_violations VALUES ('v1', 'call me on " + PHONE + "')");
    }
    ingest("cust-1", "c-1", "call " + PHONE);
    Path out = dir.resolve("alerts.csv");
    assertEquals(1, sandbox(DAY).export("alerts", out, supervisor("weekly review")));
    assertTrue(Files.readString(out, StandardCharsets.UTF_8).contains("angry about [PHONE]"));
    assertDenied(
        () -> sandbox(DAY).export("vault", dir.resolve("v.csv"), supervisor("x")),
        "is not pseudonymised");
    assertDenied(
        () ->
            sandbox(DAY)
                .export(
                    "alerts",
                    dir.resolve("a2.csv"),
                    new Sandbox.Request("x", ActorRole.ANALYST, "x", null, null)),
        "may not export");
    // a table that should be clean but is not: the last line of defence
    assertDenied(
        () -> sandbox(DAY).export("qa_violations", dir.resolve("q.csv"), supervisor("x")),
        "personal data found in column matched_text of row 1");
    assertFalse(Files.exists(dir.resolve("q.csv")));
    List<OperationLogRecord> recs = records();
    assertEquals(Outcome.ALLOWED, recs.get(0).getOutcome());
    assertEquals(OperationAction.EXPORT, recs.get(0).getAction());
    assertEquals(1L, recs.get(0).getRecordCount());
    assertEquals(
        List.of(Outcome.DENIED, Outcome.DENIED, Outcome.DENIED),
        recs.subList(1, 4).stream().map(OperationLogRecord::getOutcome).toList());
  }

  private void update(String sql, byte[] bytes, String token) throws Exception {
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      ps.setBytes(1, bytes);
      ps.setString(2, token);
      assertEquals(1, ps.executeUpdate());
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void assertDenied(Call call, String why) {
    RevealDeniedException e = assertThrows(RevealDeniedException.class, call::run);
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }

  private void assertNoPlaintextInLog(String... values) throws Exception {
    for (OperationLogRecord r : records()) {
      for (String v : values) {
        assertFalse(r.toString().contains(v), "plaintext " + v + " in the log: " + r);
      }
    }
  }
}
