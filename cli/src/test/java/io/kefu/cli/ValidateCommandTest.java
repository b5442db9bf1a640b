package io.kefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

  @TempDir Path tmp;

  private static final String GOOD =
      "{\"event_id\":\"e%d\",\"conversation_id\":\"c1\",\"event_type\":\"CLOSED\","
          + "\"event_time\":1763881200000,\"tenant\":\"acme\"}";

  private Path fileWithBrokenLines() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> lines =
        List.of(
            String.format(GOOD, 1),
            "{\"event_id\":\"e2\",\"conversation_id\":",
            "{\"event_id\":\"e3\",\"conversation_id\":\"c1\",\"event_type\":\"CLOSED\","
                + "\"event_time\":\"2026-11-23\",\"tenant\":\"acme\"}",
            "{\"event_id\":\"e4\",\"conversation_id\":\"c1\",\"event_type\":\"CLOSED\","
                + "\"event_time\":1763881200000,\"tenant\":\"acme\",\"channel\":\"FAX\"}",
            "{\"event_id\":\"e5\",\"event_type\":\"CLOSED\",\"event_time\":1763881200000,"
                + "\"tenant\":\"acme\"}",
            String.format(GOOD, 6));
    for (String l : lines) {
      bytes.write(l.getBytes(StandardCharsets.UTF_8));
      bytes.write('\n');
    }
    // line 7: invalid UTF-8 inside a message text
    bytes.write(
        ("{\"event_id\":\"e7\",\"conversation_id\":\"c1\",\"event_type\":\"MESSAGE\","
                + "\"event_time\":1763881200000,\"tenant\":\"acme\",\"role\":\"CUSTOMER\",\"text\":\"")
            .getBytes(StandardCharsets.UTF_8));
    bytes.write(new byte[] {(byte) 0xE4, (byte) 0xBD, 'x'});
    bytes.write("\"}\n".getBytes(StandardCharsets.UTF_8));
    // line 8: far too long
    bytes.write(("{\"event_id\":\"" + "x".repeat(3000) + "\"}\n").getBytes(StandardCharsets.UTF_8));
    Path file = tmp.resolve("events.jsonl");
    Files.write(file, bytes.toByteArray());
    return file;
  }

  @Test
  void namesEveryBadLineAndFieldAndExitsTwo() throws Exception {
    Path file = fileWithBrokenLines();
    CliRun run = CliRun.of("validate", "--max-line-bytes", "2048", file.toString());

    assertEquals(2, run.exitCode(), run.out() + run.err());
    String out = run.out();
    assertTrue(out.contains(file + ":2: malformed_json"), out);
    assertTrue(out.contains(file + ":3: wrong_type: field \"event_time\""), out);
    assertTrue(out.contains(file + ":4: unknown_enum: field \"channel\""), out);
    assertTrue(out.contains(file + ":5: missing_field: field \"conversation_id\""), out);
    assertTrue(out.contains(file + ":7: invalid_utf8"), out);
    assertTrue(out.contains(file + ":8: too_large"), out);
    assertTrue(!out.contains(":1:") && !out.contains(":6:"), "good lines are not reported: " + out);
    assertTrue(out.contains("8 records: 2 valid, 6 invalid"), out);
  }

  @Test
  void goodFileExitsZeroAndMissingFileIsNamed() throws Exception {
    Path good = tmp.resolve("good.jsonl");
    Files.writeString(good, String.format(GOOD, 1) + "\n" + String.format(GOOD, 2) + "\n");
    CliRun ok = CliRun.of("validate", good.toString());
    assertEquals(0, ok.exitCode(), ok.out() + ok.err());
    assertTrue(ok.out().contains("2 records: 2 valid, 0 invalid"), ok.out());

    CliRun missing = CliRun.of("validate", tmp.resolve("nope.jsonl").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("nope.jsonl: no such file or directory"), missing.err());
  }
}
