package io.kefu.streaming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.UncheckedIOException;

/** Dead letters as JSON (snake_case), for files and logs. */
final class DeadLetterJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private DeadLetterJson() {}

  static String toJson(DeadLetter d) {
    try {
      return JSON.writeValueAsString(d);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
