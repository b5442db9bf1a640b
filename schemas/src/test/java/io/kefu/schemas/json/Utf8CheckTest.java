package io.kefu.schemas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8CheckTest {

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean weAccept(byte[] bytes) {
    try {
      RecordJsonCodec.checkUtf8(bytes, 0, bytes.length);
      return true;
    } catch (InvalidRecordException e) {
      return false;
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    Random random = new Random(42);
    byte[] alphabet = {
      'a',
      '"',
      (byte) 0x80,
      (byte) 0xBF,
      (byte) 0xC0,
      (byte) 0xC2,
      (byte) 0xDF,
      (byte) 0xE0,
      (byte) 0xE4,
      (byte) 0xED,
      (byte) 0xEF,
      (byte) 0xF0,
      (byte) 0xF4,
      (byte) 0xF5,
      (byte) 0xFF,
      (byte) 0x9F,
      (byte) 0xA0,
      (byte) 0x8F,
      (byte) 0x90
    };
    int accepted = 0;
    for (int n = 0; n < 200_000; n++) {
      byte[] bytes = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
      boolean expected = jdkAccepts(bytes);
      assertEquals(expected, weAccept(bytes), () -> java.util.HexFormat.of().formatHex(bytes));
      accepted += expected ? 1 : 0;
    }
    // Both outcomes must have been exercised for the comparison to mean anything.
    org.junit.jupiter.api.Assertions.assertTrue(accepted > 1000 && accepted < 199_000);
  }

  @Test
  void agreesWithTheJdkDecoderOnLongLinesWithBadBytesAnywhere() {
    // ASCII runs long enough for the eight-bytes-at-a-time path, around short random sequences
    Random random = new Random(7);
    byte[] tricky = {
      (byte) 0x80,
      (byte) 0xC2,
      (byte) 0xE4,
      (byte) 0xB8,
      (byte) 0xAD,
      (byte) 0xF0,
      (byte) 0x9F,
      (byte) 0x98,
      (byte) 0x80,
      (byte) 0xED,
      (byte) 0xA0,
      (byte) 0xFF
    };
    int accepted = 0;
    for (int n = 0; n < 50_000; n++) {
      int head = random.nextInt(20);
      int middle = random.nextInt(5);
      int tail = random.nextInt(20);
      byte[] bytes = new byte[head + middle + tail];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) ('a' + random.nextInt(26));
      }
      for (int i = head; i < head + middle; i++) {
        bytes[i] = tricky[random.nextInt(tricky.length)];
      }
      boolean expected = jdkAccepts(bytes);
      assertEquals(expected, weAccept(bytes), () -> java.util.HexFormat.of().formatHex(bytes));
      accepted += expected ? 1 : 0;
    }
    org.junit.jupiter.api.Assertions.assertTrue(accepted > 1000 && accepted < 49_000);
  }

  @Test
  void theOffsetOfABadByteAfterLongAsciiIsExact() {
    byte[] bytes = ("x".repeat(37) + "yz").getBytes(StandardCharsets.UTF_8);
    bytes[37] = (byte) 0xC0;
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class, () -> RecordJsonCodec.checkUtf8(bytes, 0, bytes.length));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("at byte 38"), "the 38th byte: " + e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"C080", "EDA080", "E4B8", "F5808080", "FF", "F48F", "E08080"})
  void rejectsOverlongsSurrogatesAndTruncations(String hex) {
    byte[] bytes = java.util.HexFormat.of().parseHex(hex);
    assertThrows(
        InvalidRecordException.class, () -> RecordJsonCodec.checkUtf8(bytes, 0, bytes.length));
  }

  @Test
  void acceptsChineseAndEmoji() throws Exception {
    byte[] bytes = "您好 😀 ok".getBytes(StandardCharsets.UTF_8);
    RecordJsonCodec.checkUtf8(bytes, 0, bytes.length);
  }

  @Test
  void chineseTextWithQuotesAndControlCharactersIsEscapedOnWrite() throws Exception {
    ConversationEventCodec codec = new ConversationEventCodec();
    String text = "他说\"退款\"\n然后\\走了\t😀";
    var e =
        codec.fromJson(
            "{\"event_id\":\"e\",\"conversation_id\":\"c\",\"event_type\":\"MESSAGE\","
                + "\"event_time\":1763881200000,\"tenant\":\"t\",\"role\":\"CUSTOMER\",\"text\":"
                + "\"他说\\\"退款\\\"\\n然后\\\\走了\\t😀\"}");
    assertEquals(text, e.getText());
    assertEquals(text, codec.fromJson(codec.toJson(e)).getText());
  }
}
