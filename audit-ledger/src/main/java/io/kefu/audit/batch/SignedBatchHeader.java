package io.kefu.audit.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A batch header with its Ed25519 signature over the header's canonical bytes. The anchoring
 * payload sent to a ledger is {@link #toJsonBytes()}:
 *
 * <pre>{"header":{…},"header_hash":"<64 hex>","signature":"<base64>"}</pre>
 */
public record SignedBatchHeader(BatchHeader header, byte[] signature) {

  public SignedBatchHeader {
    if (header == null || signature == null || signature.length == 0) {
      throw new IllegalArgumentException("signed batch header: header and signature are required");
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public byte[] headerHash() {
    return header.hash();
  }

  public String headerHashHex() {
    return HexFormat.of().formatHex(header.hash());
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("header", header.toMap());
    m.put("header_hash", headerHashHex());
    m.put("signature", Base64.getEncoder().encodeToString(signature));
    return m;
  }

  public byte[] toJsonBytes() {
    return CanonicalJson.bytes(toMap());
  }

  /** Parses and checks that {@code header_hash} is the hash of {@code header}. */
  public static SignedBatchHeader fromJson(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("signed batch header: not a JSON object");
    }
    BatchHeader header = BatchHeader.fromJson(n.get("header"));
    String claimed = BatchHeader.text(n, "header_hash");
    if (!claimed.equals(HexFormat.of().formatHex(header.hash()))) {
      throw new IllegalArgumentException(
          "signed batch header: header_hash does not match the header of batch "
              + header.batchId());
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(BatchHeader.text(n, "signature"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signed batch header: signature is not base64");
    }
    return new SignedBatchHeader(header, signature);
  }

  public static SignedBatchHeader fromJson(byte[] json) {
    return fromJson(CanonicalJson.parse(json));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedBatchHeader s
        && header.equals(s.header)
        && java.util.Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return header.hashCode() * 31 + java.util.Arrays.hashCode(signature);
  }
}
