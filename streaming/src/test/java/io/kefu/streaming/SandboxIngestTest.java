package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.audit.sandbox.SandboxCrypto;
import io.kefu.audit.sandbox.SandboxKeys;
import io.kefu.audit.sandbox.VaultEntry;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox operator in a harness: what goes downstream, and what goes to the vault. */
class SandboxIngestTest {
  static final Instant T = Instant.parse("2026-11-27T02:00:00Z");

  @TempDir Path dir;

  private static ConversationEvent started() {
    return ConversationEvent.newBuilder()
        .setEventId("c-1-1")
        .setConversationId("c-1")
        .setEventType(EventType.CONVERSATION_STARTED)
        .setEventTime(T)
        .setTenant("acme")
        .setCustomerId("cust-1")
        .build();
  }

  private static ConversationEvent message(String text) {
    return ConversationEvent.newBuilder()
        .setEventId("c-1-2")
        .setConversationId("c-1")
        .setEventType(EventType.MESSAGE)
        .setEventTime(T)
        .setTenant("acme")
        .setRole(Role.CUSTOMER)
        .setText(text)
        .setAttributes(Map.of("callback", "+86 139 8765 4321", "source", "app"))
        .build();
  }

  private SandboxIngest operator(boolean vault) throws Exception {
    SandboxKeys.init(dir.resolve("keys"), null);
    Files.writeString(
        dir.resolve("customers.jsonl"),
        "{\"customer_id\":\"cust-1\",\"name\":\"王伟\",\"phone\":\"13812345678\"}\n");
    return new SandboxIngest(
        dir.resolve("keys").toString(), dir.resolve("customers.jsonl").toString(), vault);
  }

  @Test
  void pseudonymisesRedactsAndHandsTheOriginalsToTheVault() throws Exception {
    try (OneInputStreamOperatorTestHarness<ConversationEvent, ConversationEvent> h =
        ProcessFunctionTestHarnesses.forProcessFunction(operator(true))) {
      h.processElement(started(), T.toEpochMilli());
      h.processElement(message("我叫王伟，手机13812345678"), T.toEpochMilli());
      List<ConversationEvent> out = h.extractOutputValues();
      String pseudonym =
          new SandboxCrypto(SandboxKeys.load(dir.resolve("keys"))).pseudonym("cust-1");
      assertEquals(pseudonym, out.get(0).getCustomerId());
      assertEquals("我叫[NAME]，手机[PHONE]", out.get(1).getText());
      assertEquals("[PHONE]", out.get(1).getAttributes().get("callback"));
      assertEquals("app", out.get(1).getAttributes().get("source"));
      List<VaultEntry> vault =
          h.getSideOutput(SandboxIngest.VAULT).stream().map(StreamRecord::getValue).toList();
      assertEquals(
          List.of("CUSTOMER_ID", "NAME", "PHONE", "PHONE"),
          vault.stream().map(v -> v.field).sorted().toList());
      for (VaultEntry v : vault) {
        assertEquals("c-1", v.conversationId);
        assertTrue(
            !new String(v.ciphertext, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("13812345678"));
      }
    }
  }

  @Test
  void withoutAVaultTheOriginalsAreDropped() throws Exception {
    try (OneInputStreamOperatorTestHarness<ConversationEvent, ConversationEvent> h =
        ProcessFunctionTestHarnesses.forProcessFunction(operator(false))) {
      h.processElement(started(), T.toEpochMilli());
      h.processElement(message("手机13812345678"), T.toEpochMilli());
      assertEquals("手机[PHONE]", h.extractOutputValues().get(1).getText());
      assertNull(h.getSideOutput(SandboxIngest.VAULT));
    }
  }

  @Test
  void deadLettersKeepNoRawCustomerIdAndNoPersonalData() throws Exception {
    operator(false); // creates the keys and the CRM file
    SandboxIngest.RedactDeadLetters redact =
        new SandboxIngest.RedactDeadLetters(
            dir.resolve("keys").toString(), dir.resolve("customers.jsonl").toString());
    redact.open(null);
    String pseudonym = new SandboxCrypto(SandboxKeys.load(dir.resolve("keys"))).pseudonym("cust-1");

    // valid JSON that is not a valid event, quoting the id in its message
    DeadLetter bad =
        DeadLetter.of(
            "events.jsonl:7",
            "MISSING_FIELD",
            "conversation_id",
            "no conversation_id (customer cust-1)",
            "{\"customer_id\": \"cust-1\", \"text\": \"我叫王伟，手机13812345678\"}",
            60);
    DeadLetter out = redact.map(bad);
    assertEquals(
        "{\"customer_id\": \"" + pseudonym + "\", \"text\": \"我叫[NAME]，手机[PHONE]\"}", out.raw);
    assertEquals("no conversation_id (customer " + pseudonym + ")", out.message);

    // a line cut short inside the id, and an id of the wrong type: both pseudonymised
    assertEquals(
        "{\"event_id\":\"e\",\"customer_id\":\"" + pseudonym + "\"",
        redact.map(
                DeadLetter.of(
                    "f:1",
                    "BAD_JSON",
                    null,
                    "x",
                    "{\"event_id\":\"e\",\"customer_id\":\"cust-1",
                    30))
            .raw);
    String numeric =
        redact.map(
                DeadLetter.of("f:2", "WRONG_TYPE", "customer_id", "x", "{\"customer_id\":42}", 20))
            .raw;
    assertTrue(numeric.matches("\\{\"customer_id\":\"p[0-9a-f]+-[a-z2-7]+\"}"), numeric);

    // already a pseudonym, or null: unchanged
    String kept = "{\"customer_id\":\"" + pseudonym + "\",\"x\":null}";
    assertEquals(kept, redact.map(DeadLetter.of("f:3", "P", null, "m", kept, 1)).raw);
    String none = "{\"customer_id\":null}";
    assertEquals(none, redact.map(DeadLetter.of("f:4", "P", null, "m", none, 1)).raw);
  }
}
