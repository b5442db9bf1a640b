package io.kefu.streaming;

import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.json.ConversationEventCodec;
import io.kefu.schemas.json.InvalidRecordException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Turns raw bytes into an {@link Envelope}: a validated event, or a dead letter with the reason.
 * Also refuses events dated too far ahead of the wall clock — a broken client clock would otherwise
 * drag the watermark into the future and make every later event late.
 */
final class Parsing implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int maxBytes;
  private final long maxFutureMillis;
  private transient ConversationEventCodec codec;

  Parsing(int maxBytes, long maxFutureMillis) {
    this.maxBytes = maxBytes;
    this.maxFutureMillis = maxFutureMillis;
  }

  Envelope parse(byte[] bytes, int len, long originalLength, String origin) {
    if (codec == null) {
      codec = new ConversationEventCodec(maxBytes);
    }
    if (originalLength > maxBytes) {
      return Envelope.of(
          DeadLetter.of(
              origin,
              "too_large",
              null,
              "too_large: expected at most "
                  + maxBytes
                  + " bytes, found "
                  + originalLength
                  + " bytes",
              raw(bytes, Math.min(len, 4096)),
              originalLength));
    }
    try {
      ConversationEvent e = codec.parse(bytes, 0, len);
      long ahead = e.getEventTime().toEpochMilli() - System.currentTimeMillis();
      if (maxFutureMillis > 0 && ahead > maxFutureMillis) {
        return Envelope.of(
            DeadLetter.of(
                origin,
                "future_timestamp",
                "event_time",
                "future_timestamp: field \"event_time\" is "
                    + ahead / 1000
                    + " s ahead of the clock"
                    + " (at most "
                    + maxFutureMillis / 1000
                    + " s allowed)",
                raw(bytes, len),
                originalLength));
      }
      return Envelope.of(e);
    } catch (InvalidRecordException ex) {
      return Envelope.of(
          DeadLetter.of(
              origin,
              ex.problem().label(),
              ex.field(),
              ex.getMessage(),
              raw(bytes, len),
              originalLength));
    }
  }

  private static String raw(byte[] bytes, int len) {
    return new String(bytes, 0, len, StandardCharsets.UTF_8);
  }
}
