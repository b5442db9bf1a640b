package io.kefu.schemas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesTest {

  private static List<String> read(String input, int max) throws Exception {
    List<String> out = new ArrayList<>();
    try (JsonLines lines =
        new JsonLines(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), max)) {
      while (lines.next()) {
        String text = new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8);
        out.add(
            lines.lineNumber()
                + ":"
                + (lines.truncated() ? "TRUNCATED " + lines.originalLength() : text));
      }
    }
    return out;
  }

  @Test
  void numbersLinesCountingBlanksAndStripsCarriageReturns() throws Exception {
    assertEquals(List.of("1:a", "3:b", "5:c"), read("a\r\n\nb\n  \nc", 100));
  }

  @Test
  void overlongLinesAreSkippedToTheirEndAndFlagged() throws Exception {
    assertEquals(
        List.of("1:ok", "2:TRUNCATED 20", "3:next"),
        read("ok\n" + "y".repeat(20) + "\nnext\n", 10));
  }

  @Test
  void emptyInputHasNoLines() throws Exception {
    assertTrue(read("", 10).isEmpty());
    assertFalse(read("\n\n", 10).iterator().hasNext());
  }
}
