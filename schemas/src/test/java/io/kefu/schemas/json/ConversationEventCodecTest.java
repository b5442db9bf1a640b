package io.kefu.schemas.json;

import static io.kefu.schemas.json.InvalidRecordException.Problem.INVALID_UTF8;
import static io.kefu.schemas.json.InvalidRecordException.Problem.INVALID_VALUE;
import static io.kefu.schemas.json.InvalidRecordException.Problem.MALFORMED_JSON;
import static io.kefu.schemas.json.InvalidRecordException.Problem.MISSING_FIELD;
import static io.kefu.schemas.json.InvalidRecordException.Problem.TOO_LARGE;
import static io.kefu.schemas.json.InvalidRecordException.Problem.UNKNOWN_ENUM;
import static io.kefu.schemas.json.InvalidRecordException.Problem.WRONG_TYPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import io.kefu.schemas.json.InvalidRecordException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConversationEventCodecTest {

  private final ConversationEventCodec codec = new ConversationEventCodec();

  private static String golden(EventType type) throws IOException {
    try (InputStream in =
        ConversationEventCodecTest.class.getResourceAsStream("/golden/events/" + type + ".json")) {
      if (in == null) {
        throw new AssertionError("no golden vector for " + type);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyEventTypeRoundTripsThroughJsonAndAvroBinary(EventType type) throws Exception {
    String line = golden(type);
    ConversationEvent event = codec.fromJson(line);

    assertEquals(type, event.getEventType());
    assertEquals(line, codec.toJson(event), "JSON -> record -> JSON must reproduce the vector");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new SpecificDatumWriter<>(ConversationEvent.class).write(event, encoder);
    encoder.flush();
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null);
    ConversationEvent decoded =
        new SpecificDatumReader<>(ConversationEvent.class).read(null, decoder);
    assertEquals(event, decoded);
  }

  @Test
  void goldenStartCarriesTypedFields() throws Exception {
    ConversationEvent e = codec.fromJson(golden(EventType.CONVERSATION_STARTED));
    assertEquals(Channel.WECHAT, e.getChannel());
    assertEquals(Entry.BOT, e.getEntry());
    assertEquals(Instant.ofEpochMilli(1763881200000L), e.getEventTime());
    assertEquals("billing", e.getQueue());
    assertEquals("new", e.getVariant());
  }

  @Test
  void chineseTextAndUnknownFieldsSurvive() throws Exception {
    ConversationEvent e = codec.fromJson(golden(EventType.MESSAGE));
    assertEquals(Role.CUSTOMER, e.getRole());
    assertEquals("我的订单还没到，已经等了一周了！", e.getText());
    assertEquals(-0.62, e.getSentiment());
    assertEquals("ios", e.getAttributes().get("device"));
  }

  @Test
  void nestedAndNumericUnknownFieldsAreKeptAsText() throws Exception {
    ConversationEvent e =
        codec.fromJson(
            "{\"event_id\":\"a\",\"conversation_id\":\"c\",\"event_type\":\"CLOSED\","
                + "\"event_time\":1763881200000,\"tenant\":\"t\",\"score\":12.5,"
                + "\"meta\":{\"k\":[1,\"x\"]},\"flag\":true,\"nothing\":null}");
    assertEquals("12.5", e.getAttributes().get("score"));
    assertEquals("{\"k\":[1,\"x\"]}", e.getAttributes().get("meta"));
    assertEquals("true", e.getAttributes().get("flag"));
    assertEquals("null", e.getAttributes().get("nothing"));
  }

  @Test
  void explicitNullForOptionalFieldIsAbsent() throws Exception {
    ConversationEvent e =
        codec.fromJson(
            "{\"event_id\":\"a\",\"conversation_id\":\"c\",\"event_type\":\"CLOSED\","
                + "\"event_time\":1763881200000,\"tenant\":\"t\",\"queue\":null}");
    assertNull(e.getQueue());
  }

  private static final String BASE =
      "\"event_id\":\"e1\",\"conversation_id\":\"c1\",\"event_time\":1763881200000,\"tenant\":\"t\"";

  static Stream<Arguments> badLines() {
    return Stream.of(
        Arguments.of("{\"event_id\":", MALFORMED_JSON, null),
        Arguments.of("not json at all", MALFORMED_JSON, null),
        Arguments.of("[1,2,3]", MALFORMED_JSON, null),
        Arguments.of("{" + BASE + ",\"event_type\":\"CLOSED\"} trailing", MALFORMED_JSON, null),
        Arguments.of(
            "{" + BASE + ",\"event_type\":\"CLOSED\",\"tenant\":\"x\"}", MALFORMED_JSON, "tenant"),
        Arguments.of(
            "{\"event_id\":\"e1\",\"conversation_id\":\"c1\",\"event_type\":\"CLOSED\","
                + "\"event_time\":\"2026-11-23T08:00:00Z\",\"tenant\":\"t\"}",
            WRONG_TYPE,
            "event_time"),
        Arguments.of(
            "{\"event_id\":7,\"conversation_id\":\"c1\",\"event_type\":\"CLOSED\","
                + "\"event_time\":1763881200000,\"tenant\":\"t\"}",
            WRONG_TYPE,
            "event_id"),
        Arguments.of(
            "{" + BASE + ",\"event_type\":\"SURVEY_SUBMITTED\",\"csat\":4.5}", WRONG_TYPE, "csat"),
        Arguments.of(
            "{" + BASE + ",\"event_type\":\"CLOSED\",\"channel\":\"FAX\"}",
            UNKNOWN_ENUM,
            "channel"),
        Arguments.of("{" + BASE + ",\"event_type\":\"closed\"}", UNKNOWN_ENUM, "event_type"),
        Arguments.of(
            "{\"event_id\":\"e1\",\"event_type\":\"CLOSED\",\"event_time\":1763881200000,"
                + "\"tenant\":\"t\"}",
            MISSING_FIELD,
            "conversation_id"),
        Arguments.of(
            "{"
                + BASE
                + ",\"event_type\":\"CONVERSATION_STARTED\",\"channel\":\"WEB\",\"queue\":\"q\"}",
            MISSING_FIELD,
            "entry"),
        Arguments.of(
            "{" + BASE + ",\"event_type\":\"MESSAGE\",\"text\":\"hi\"}", MISSING_FIELD, "role"),
        Arguments.of("{" + BASE + ",\"event_type\":\"AGENT_ASSIGNED\"}", MISSING_FIELD, "agent_id"),
        Arguments.of(
            "{" + BASE + ",\"event_type\":\"TRANSFERRED\"}", MISSING_FIELD, "target_queue"),
        Arguments.of("{" + BASE + ",\"event_type\":\"RESOLVED\"}", MISSING_FIELD, "resolver_role"),
        Arguments.of("{" + BASE + ",\"event_type\":\"SURVEY_SUBMITTED\"}", MISSING_FIELD, "csat"),
        Arguments.of(
            "{\"event_id\":\"e1\",\"conversation_id\":\"c1\",\"event_type\":\"CLOSED\","
                + "\"event_time\":1763881200000,\"tenant\":null}",
            WRONG_TYPE,
            "tenant"),
        Arguments.of(
            "{"
                + BASE
                + ",\"event_type\":\"MESSAGE\",\"role\":\"CUSTOMER\",\"text\":\"x\","
                + "\"sentiment\":1.5}",
            INVALID_VALUE,
            "sentiment"),
        Arguments.of(
            "{" + BASE + ",\"event_type\":\"SURVEY_SUBMITTED\",\"csat\":6}", INVALID_VALUE, "csat"),
        Arguments.of(
            "{" + BASE + ",\"event_type\":\"SURVEY_SUBMITTED\",\"nps\":1099511627776}",
            INVALID_VALUE,
            "nps"),
        Arguments.of(
            "{\"event_id\":\"e1\",\"conversation_id\":\"c1\",\"event_type\":\"CLOSED\","
                + "\"event_time\":-5,\"tenant\":\"t\"}",
            INVALID_VALUE,
            "event_time"),
        Arguments.of(
            "{\"event_id\":\"e1\",\"conversation_id\":\"c1\",\"event_type\":\"CLOSED\","
                + "\"event_time\":99999999999999,\"tenant\":\"t\"}",
            INVALID_VALUE,
            "event_time"),
        Arguments.of(
            "{\"event_id\":\" \",\"conversation_id\":\"c1\",\"event_type\":\"CLOSED\","
                + "\"event_time\":1763881200000,\"tenant\":\"t\"}",
            INVALID_VALUE,
            "event_id"));
  }

  @ParameterizedTest
  @MethodSource("badLines")
  void badLinesNameTheProblemAndField(String line, Problem problem, String field) {
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> codec.fromJson(line));
    assertEquals(problem, e.problem(), e.getMessage());
    assertEquals(field, e.field(), e.getMessage());
  }

  @Test
  void wrongTypeSaysWhatWasExpectedAndFound() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                codec.fromJson(
                    "{\"event_id\":\"e1\",\"conversation_id\":\"c1\",\"event_type\":\"CLOSED\","
                        + "\"event_time\":\"yesterday\",\"tenant\":\"t\"}"));
    assertEquals(
        "wrong_type: field \"event_time\", expected integer (epoch milliseconds, UTC), found string"
            + " \"yesterday\"",
        e.getMessage());
  }

  @Test
  void unknownEnumListsTheAllowedSymbols() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () -> codec.fromJson("{" + BASE + ",\"event_type\":\"CLOSED\",\"channel\":\"FAX\"}"));
    assertTrue(e.expected().contains("PHONE") && e.expected().contains("DOUYIN"), e.expected());
    assertEquals("string \"FAX\"", e.found());
  }

  @Test
  void invalidUtf8IsReportedWithItsPosition() {
    byte[] good =
        ("{" + BASE + ",\"event_type\":\"MESSAGE\",\"role\":\"CUSTOMER\",\"text\":\"你好XX\"}")
            .getBytes(StandardCharsets.UTF_8);
    int at = indexOf(good, (byte) 'X');
    good[at] = (byte) 0xC3; // a lead byte followed by an ASCII byte: malformed
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> codec.parseLine(good, 0, good.length, 17));
    assertEquals(INVALID_UTF8, e.problem());
    assertEquals(17, e.line());
    assertTrue(e.found().contains("byte " + (at + 1)), e.found());
  }

  @Test
  void overlongLineIsRejectedUnparsed() {
    ConversationEventCodec small = new ConversationEventCodec(64);
    byte[] line =
        ("{" + BASE + ",\"event_type\":\"CLOSED\",\"pad\":\"" + "x".repeat(100) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> small.parse(line));
    assertEquals(TOO_LARGE, e.problem());
  }

  @Test
  void writeLineAppendsNewline() throws Exception {
    ConversationEvent e = codec.fromJson(golden(EventType.CLOSED));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var gen = RecordJsonCodec.lineGenerator(out)) {
      codec.writeLine(e, gen);
      codec.writeLine(e, gen);
    }
    String expected = golden(EventType.CLOSED) + "\n";
    assertArrayEquals((expected + expected).getBytes(StandardCharsets.UTF_8), out.toByteArray());
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new AssertionError();
  }
}
