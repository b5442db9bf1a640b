package io.kefu.audit.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Signed batch headers read back equal from their canonical JSON, whatever the values, including
 * key ids that need escapes.
 */
class SignedBatchHeaderRoundTripTest {

  private static final String[] KEY_IDS = {
    "ed25519:0123456789abcdef",
    "",
    "with \"quote\"",
    "back\\slash",
    "tab\there",
    "line\nbreak",
    "\u0001\u001f\u007f",
    "ünïcode 中文 😀",
    "lone \uD800 surrogate",
    "slash/and ~tilde"
  };

  private static BatchHeader header(SplittableRandom rnd, String keyId) {
    byte[] root = new byte[32];
    byte[] prev = new byte[32];
    for (int i = 0; i < 32; i++) {
      root[i] = (byte) rnd.nextInt();
      prev[i] = (byte) rnd.nextInt();
    }
    long first = rnd.nextBoolean() ? rnd.nextLong(1_000_000) : rnd.nextLong(Long.MAX_VALUE / 2);
    long count = 1 + rnd.nextLong(100_000);
    long closedAt = rnd.nextBoolean() ? rnd.nextLong() : 1_763_881_200_000L + rnd.nextInt();
    String logId = rnd.nextBoolean() ? "ops" : "A-z_0.9-" + rnd.nextInt(1000);
    return new BatchHeader(
        BatchHeader.VERSION,
        logId,
        rnd.nextLong(Long.MAX_VALUE),
        first,
        first + count - 1,
        count,
        root,
        prev,
        closedAt,
        keyId);
  }

  @Test
  void signedHeadersRoundTripThroughTheirCanonicalJson() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < 2_000; i++) {
      BatchHeader h = header(rnd, KEY_IDS[i % KEY_IDS.length]);
      byte[] signature = new byte[1 + rnd.nextInt(80)];
      rnd.nextBytes(signature);
      SignedBatchHeader s = new SignedBatchHeader(h, signature);
      assertEquals(s, SignedBatchHeader.fromJson(s.toJsonBytes()), h.toMap().toString());
    }
  }
}
