package io.kefu.audit.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.kefu.audit.merkle.Merkle;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The header of one closed batch of the operation log: which records (sequence range), their RFC
 * 9162 Merkle root, and the hash of the previous batch's header, so the headers form a chain of
 * their own. Its canonical JSON (see {@link CanonicalJson}) is what is signed, hashed and anchored:
 *
 * <pre>{"batch_id":3,"closed_at":1763881200000,"count":1000,"first_seq":3000,"key_id":"…",
 * "last_seq":3999,"log_id":"ops","prev_header_hash":"<64 hex>","root":"<64 hex>","version":1}</pre>
 *
 * Batch 0's {@code prev_header_hash} is 64 zeros. No customer data is ever in a header.
 */
public record BatchHeader(
    int version,
    String logId,
    long batchId,
    long firstSeq,
    long lastSeq,
    long count,
    byte[] root,
    byte[] prevHeaderHash,
    long closedAt,
    String keyId) {

  public static final int VERSION = 1;
  public static final byte[] NO_PREVIOUS = new byte[Merkle.HASH_BYTES];
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern LOG_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public BatchHeader {
    require(version == VERSION, "version must be " + VERSION + ", was " + version);
    require(logId != null && LOG_ID.matcher(logId).matches(), "log_id: 1-64 of [A-Za-z0-9_.-]");
    require(batchId >= 0, "batch_id must be ≥ 0");
    require(firstSeq >= 0 && lastSeq >= firstSeq, "first_seq ≤ last_seq, both ≥ 0");
    require(count == lastSeq - firstSeq + 1, "count must equal last_seq - first_seq + 1");
    require(root != null && root.length == Merkle.HASH_BYTES, "root must be 32 bytes");
    require(
        prevHeaderHash != null && prevHeaderHash.length == Merkle.HASH_BYTES,
        "prev_header_hash must be 32 bytes");
    require(keyId != null, "key_id is required");
    root = root.clone();
    prevHeaderHash = prevHeaderHash.clone();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("batch header: " + message);
    }
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public byte[] prevHeaderHash() {
    return prevHeaderHash.clone();
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batch_id", batchId);
    m.put("closed_at", closedAt);
    m.put("count", count);
    m.put("first_seq", firstSeq);
    m.put("key_id", keyId);
    m.put("last_seq", lastSeq);
    m.put("log_id", logId);
    m.put("prev_header_hash", HEX.formatHex(prevHeaderHash));
    m.put("root", HEX.formatHex(root));
    m.put("version", version);
    return m;
  }

  /** The bytes that are signed and hashed. */
  public byte[] canonicalBytes() {
    return CanonicalJson.bytes(toMap());
  }

  /** SHA-256 of the canonical bytes: what the next header points back to. */
  public byte[] hash() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(canonicalBytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a header from JSON, refusing unknown or missing fields. */
  public static BatchHeader fromJson(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("batch header: not a JSON object");
    }
    var names = n.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException("batch header: unknown field " + f);
      }
    }
    return new BatchHeader(
        (int) integer(n, "version"),
        text(n, "log_id"),
        integer(n, "batch_id"),
        integer(n, "first_seq"),
        integer(n, "last_seq"),
        integer(n, "count"),
        hex(n, "root"),
        hex(n, "prev_header_hash"),
        integer(n, "closed_at"),
        text(n, "key_id"));
  }

  private static final java.util.Set<String> FIELDS =
      java.util.Set.of(
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

  static long integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("batch header: " + field + " must be an integer");
    }
    return v.asLong();
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("batch header: " + field + " must be a string");
    }
    return v.asText();
  }

  static byte[] hex(JsonNode n, String field) {
    String s = text(n, field);
    if (!s.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("batch header: " + field + " must be 64 lower-case hex");
    }
    return HEX.parseHex(s);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchHeader h
        && java.util.Arrays.equals(canonicalBytes(), h.canonicalBytes());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(canonicalBytes());
  }

  @Override
  public String toString() {
    return new String(canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
