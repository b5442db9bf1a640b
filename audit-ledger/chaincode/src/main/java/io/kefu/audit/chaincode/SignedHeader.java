package io.kefu.audit.chaincode;

import static io.kefu.audit.chaincode.AnchorError.INVALID_BATCH;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * The argument of {@code AnchorBatch}, checked field by field: the signed batch header kefu sends,
 *
 * <pre>{"header":{batch_id,closed_at,count,first_seq,key_id,last_seq,log_id,prev_header_hash,
 * root,version},"header_hash":"<64 hex>","signature":"<base64>"}</pre>
 *
 * <p>{@code canonical} is the same object in canonical form, rebuilt from the checked values, so
 * what is stored never depends on how the client spaced or ordered its JSON. The signature itself
 * is not verified: the chaincode does not hold the log's public keys, auditors check it off chain.
 */
record SignedHeader(
    String logId,
    long batchId,
    String prevHeaderHash,
    String headerHash,
    Map<String, Object> canonical) {

  static final String NO_PREVIOUS = "0".repeat(64);

  private static final Pattern LOG_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern HEX_256 = Pattern.compile("[0-9a-f]{64}");
  private static final Set<String> FIELDS = Set.of("header", "header_hash", "signature");
  private static final Set<String> HEADER_FIELDS =
      Set.of(
          "batch_id",
          "closed_at",
          "count",
          "first_seq",
          "key_id",
          "last_seq",
          "log_id",
          "prev_header_hash",
          "root",
          "version");

  /** Parses and validates; every refusal is an {@code INVALID_BATCH} naming the field. */
  static SignedHeader parse(String json) {
    JsonNode signed;
    try {
      signed = Canonical.parse(json);
    } catch (JsonProcessingException e) {
      throw invalid("not a JSON document: " + e.getOriginalMessage());
    }
    requireObject(signed, "signed header", FIELDS);
    JsonNode h = signed.get("header");
    requireObject(h, "header", HEADER_FIELDS);

    long version = natural(h, "version");
    if (version != 1) {
      throw invalid("header.version must be 1, was " + version);
    }
    String logId = text(h, "log_id");
    if (!LOG_ID.matcher(logId).matches()) {
      throw invalid("header.log_id must be 1-64 of [A-Za-z0-9_.-], was \"" + logId + "\"");
    }
    long batchId = natural(h, "batch_id");
    long firstSeq = natural(h, "first_seq");
    long lastSeq = natural(h, "last_seq");
    long count = natural(h, "count");
    long closedAt = natural(h, "closed_at");
    if (lastSeq < firstSeq) {
      throw invalid("header.last_seq " + lastSeq + " is below header.first_seq " + firstSeq);
    }
    if (count != lastSeq - firstSeq + 1) {
      throw invalid(
          "header.count must be last_seq - first_seq + 1 = "
              + (lastSeq - firstSeq + 1)
              + ", was "
              + count);
    }
    String keyId = text(h, "key_id");
    String root = hex(h, "root", "header.root");
    String prevHeaderHash = hex(h, "prev_header_hash", "header.prev_header_hash");
    if (batchId == 0 && !prevHeaderHash.equals(NO_PREVIOUS)) {
      throw invalid("header.prev_header_hash of batch 0 must be 64 zeros, was " + prevHeaderHash);
    }

    Map<String, Object> header = new TreeMap<>();
    header.put("batch_id", batchId);
    header.put("closed_at", closedAt);
    header.put("count", count);
    header.put("first_seq", firstSeq);
    header.put("key_id", keyId);
    header.put("last_seq", lastSeq);
    header.put("log_id", logId);
    header.put("prev_header_hash", prevHeaderHash);
    header.put("root", root);
    header.put("version", version);

    String headerHash = hex(signed, "header_hash", "header_hash");
    String recomputed = sha256Hex(Canonical.json(header));
    if (!headerHash.equals(recomputed)) {
      throw invalid(
          "header_hash "
              + headerHash
              + " is not the SHA-256 of the canonical header, which is "
              + recomputed);
    }
    String signature = signature(signed);

    Map<String, Object> canonical = new TreeMap<>();
    canonical.put("header", header);
    canonical.put("header_hash", headerHash);
    canonical.put("signature", signature);
    return new SignedHeader(logId, batchId, prevHeaderHash, headerHash, canonical);
  }

  private static void requireObject(JsonNode node, String name, Set<String> fields) {
    if (node == null || !node.isObject()) {
      throw invalid(name + " must be a JSON object");
    }
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!fields.contains(field)) {
        throw invalid(name + " has an unknown field \"" + field + "\"");
      }
    }
    // Missing fields are reported by the typed readers below, which name them.
  }

  private static long natural(JsonNode header, String field) {
    JsonNode v = header.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw invalid("header." + field + " must be an integer ≥ 0, was " + v);
    }
    return v.asLong();
  }

  private static String text(JsonNode header, String field) {
    JsonNode v = header.get(field);
    if (v == null || !v.isTextual()) {
      throw invalid("header." + field + " must be a string, was " + v);
    }
    return v.asText();
  }

  private static String hex(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || !HEX_256.matcher(v.asText()).matches()) {
      throw invalid(path + " must be 64 lower-case hex digits, was " + v);
    }
    return v.asText();
  }

  /** Non-empty, padded base64 in its one canonical spelling, so the stored record is unique. */
  private static String signature(JsonNode signed) {
    JsonNode v = signed.get("signature");
    if (v == null || !v.isTextual() || !isCanonicalBase64(v.asText())) {
      throw invalid("signature must be non-empty padded base64, was " + v);
    }
    return v.asText();
  }

  private static boolean isCanonicalBase64(String text) {
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      return bytes.length > 0 && Base64.getEncoder().encodeToString(bytes).equals(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String sha256Hex(String canonical) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static ChaincodeException invalid(String detail) {
    return INVALID_BATCH.exception(detail);
  }
}
