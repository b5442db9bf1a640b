package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.json.ConversationEventCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventCodecTest {

  /** The schemas module's golden vector of an event type. */
  static ConversationEvent golden(EventType type) throws Exception {
    String line =
        Files.readString(
                Path.of("../schemas/src/test/resources/golden/events/" + type + ".json"),
                StandardCharsets.UTF_8)
            .strip();
    return new ConversationEventCodec().fromJson(line);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyGoldenEventRoundTrips(EventType type) throws Exception {
    ConversationEvent e = golden(type);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EventCodec.write(new DataOutputStream(bytes), e);
    ConversationEvent back =
        EventCodec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(e, back);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void envelopesOfEventsRoundTripThroughTheirSerializer(EventType type) throws Exception {
    Envelope back = roundTrip(Envelope.of(golden(type)));
    assertEquals(golden(type), back.event);
    assertNull(back.dead);
  }

  @org.junit.jupiter.api.Test
  void envelopesOfDeadLettersRoundTripWithLongAndMissingFields() throws Exception {
    DeadLetter d =
        DeadLetter.of(
            "events.jsonl:17",
            "broken_json",
            null,
            "broken_json: 坏了",
            "{\"x\":" + "数".repeat(30_000),
            90_007);
    Envelope back = roundTrip(Envelope.of(d));
    assertNull(back.event);
    assertEquals(d.origin, back.dead.origin);
    assertEquals(d.problem, back.dead.problem);
    assertNull(back.dead.field);
    assertEquals(d.message, back.dead.message);
    assertEquals(
        d.raw, back.dead.raw, "16,384 characters of three-byte UTF-8: past writeUTF's limit");
    assertEquals(90_007, back.dead.rawBytes);
    assertEquals(d.ingestTime, back.dead.ingestTime);
  }

  private static Envelope roundTrip(Envelope e) throws Exception {
    org.apache.flink.core.memory.DataOutputSerializer out =
        new org.apache.flink.core.memory.DataOutputSerializer(64);
    StateSerializers.EnvelopeSerializer.INSTANCE.serialize(e, out);
    return StateSerializers.EnvelopeSerializer.INSTANCE.deserialize(
        new org.apache.flink.core.memory.DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
