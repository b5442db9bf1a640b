package io.kefu.audit.batch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one byte form of the JSON objects that are hashed and signed (batch headers, anchors, audit
 * reports): keys sorted by code point at every level, no whitespace, integers as plain digits,
 * strings as UTF-8 with only the escapes JSON requires. The chaincode produces the same bytes with
 * the same rules, so a header hash computed here matches the one on the ledger.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(SerializationFeature.INDENT_OUTPUT)
          .disable(JsonGenerator.Feature.ESCAPE_NON_ASCII)
          .build();

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Canonical bytes of a map of strings, numbers, booleans, lists and nested maps. */
  public static byte[] bytes(Map<String, ?> object) {
    try {
      return MAPPER.writeValueAsBytes(new TreeMap<>(object));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Canonical bytes of a parsed tree (object keys re-sorted at every level). */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(MAPPER.treeToValue(node, Object.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }
}
