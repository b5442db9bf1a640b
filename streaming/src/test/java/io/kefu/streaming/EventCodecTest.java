package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyGoldenEventRoundTrips(EventType type) throws Exception {
    // the schemas module's golden vectors, one per event type
    String line =
        Files.readString(
                Path.of("../schemas/src/test/resources/golden/events/" + type + ".json"),
                StandardCharsets.UTF_8)
            .strip();
    ConversationEvent e = new ConversationEventCodec().fromJson(line);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EventCodec.write(new DataOutputStream(bytes), e);
    ConversationEvent back =
        EventCodec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(e, back);
  }
}
