package io.kefu.audit.chaincode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * The chaincode's JSON: strict reading (no duplicate keys, nothing after the document) and the
 * canonical form kefu's {@code CanonicalJson} writes — keys sorted at every level, no whitespace,
 * integers as digits, UTF-8 without escapes for non-ASCII — so a header hash recomputed here
 * matches the client's byte for byte.
 */
final class Canonical {
  private Canonical() {}

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  static JsonNode parse(String json) throws JsonProcessingException {
    return MAPPER.readTree(json);
  }

  /** Canonical text of a map of strings, numbers and nested maps. */
  static String json(Map<String, ?> object) {
    try {
      return MAPPER.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + object.keySet(), e);
    }
  }
}
