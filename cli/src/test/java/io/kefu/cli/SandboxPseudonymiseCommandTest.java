package io.kefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kefu.audit.sandbox.EventSandbox;
import io.kefu.audit.sandbox.PiiRedactor;
import io.kefu.audit.sandbox.SandboxCrypto;
import io.kefu.audit.sandbox.SandboxKeys;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxPseudonymiseCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void ordersGetTheSamePseudonymsAsTheLake() throws Exception {
    Path keys = tmp.resolve("keys");
    assertEquals(0, CliRun.of("sandbox", "keys", "init", "--keys", keys.toString()).exitCode());
    Path orders = tmp.resolve("orders.jsonl");
    Files.writeString(
        orders,
        """
        {"order_id":"o-1","customer_id":"cust-0000001","product_id":"p-1","unit_price":12.5}

        {"order_id":"o-2","customer_id":"cust-0000002","product_id":"p-2","note":"王伟"}
        {"order_id":"o-3","customer_id":null,"product_id":"p-3"}
        """,
        StandardCharsets.UTF_8);
    Path out = tmp.resolve("sandboxed/orders.jsonl");
    Files.createDirectories(out.getParent());
    CliRun r =
        CliRun.of(
            "sandbox",
            "pseudonymise",
            "--in",
            orders.toString(),
            "--out",
            out.toString(),
            "--keys",
            keys.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("4 lines, 2 customer ids pseudonymised"), r.out());

    // The KPI job's sandbox, given an event of the same customer, names them the same.
    EventSandbox lake =
        new EventSandbox(new SandboxCrypto(SandboxKeys.load(keys)), PiiRedactor.patterns());
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      lines.add(JSON.readTree(l));
    }
    assertEquals(3, lines.size());
    for (int i = 0; i < 2; i++) {
      String raw = "cust-000000" + (i + 1);
      ConversationEvent e = event(raw);
      lake.apply(e, 0, null);
      String expected = e.getCustomerId();
      assertTrue(SandboxCrypto.isPseudonym(expected), expected);
      assertEquals(expected, lines.get(i).get("customer_id").asText());
      assertFalse(Files.readString(out).contains(raw));
    }
    assertEquals("王伟", lines.get(1).get("note").asText(), "other fields untouched, UTF-8 kept");
    assertEquals(12.5, lines.get(0).get("unit_price").asDouble());
    assertTrue(lines.get(2).get("customer_id").isNull());

    // Running it again on its own output changes nothing: pseudonyms are kept.
    Path again = tmp.resolve("again.jsonl.gz");
    CliRun twice =
        CliRun.of(
            "sandbox",
            "pseudonymise",
            "--in",
            out.toString(),
            "--out",
            again.toString(),
            "--keys",
            keys.toString());
    assertEquals(0, twice.exitCode(), twice.err());
    assertTrue(twice.out().contains("0 customer ids pseudonymised (2 already pseudonyms)"));
  }

  @Test
  void aBadLineNamesFileAndLineAndWritesNothing() throws Exception {
    Path keys = tmp.resolve("keys");
    CliRun.of("sandbox", "keys", "init", "--keys", keys.toString());
    Path in = tmp.resolve("oplog.jsonl");
    Files.writeString(
        in,
        "{\"customer_pseudonym\":\"c-1\"}\n{\"customer_pseudonym\":42}\n",
        StandardCharsets.UTF_8);
    Path out = tmp.resolve("out.jsonl");
    CliRun r =
        CliRun.of(
            "sandbox",
            "pseudonymise",
            "--in",
            in.toString(),
            "--out",
            out.toString(),
            "--keys",
            keys.toString(),
            "--field",
            "customer_pseudonym");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains(in + ":2: field customer_pseudonym: expected a string"), r.err());
    assertFalse(Files.exists(out));
    try (var files = Files.list(tmp)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
  }

  private static ConversationEvent event(String customer) {
    return ConversationEvent.newBuilder()
        .setEventId("e-" + customer)
        .setEventType(EventType.CONVERSATION_STARTED)
        .setEventTime(Instant.parse("2026-11-23T02:00:00Z"))
        .setConversationId("c-" + customer)
        .setTenant("acme")
        .setCustomerId(customer)
        .build();
  }
}
