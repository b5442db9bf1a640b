package io.kefu.core.sentiment;

/**
 * The deterministic split of the corpus. A review's bucket is {@code mix(FNV-1a-64(text)) mod 5},
 * over the UTF-16 units of the review with BOMs and zero-width characters removed and surrounding
 * whitespace trimmed ({@link #key}). Bucket 0 (20 %) is the held-out test set, never used in
 * training; bucket 1 is the validation slice used when tuning hyper-parameters; the final model
 * trains on buckets 1-4. Hashing the text (not the row number) keeps duplicate reviews on one side.
 */
public final class HeldOutSplit {
  public static final int BUCKETS = 5;
  public static final int TEST_BUCKET = 0;
  public static final int VALIDATION_BUCKET = 1;

  /** The rule in words, as recorded in the model's provenance. */
  public static final String RULE =
      "bucket = splitmix64(FNV-1a-64(UTF-16 of review, BOM/zero-width removed, trimmed)) mod 5;"
          + " bucket 0 = held-out test (20 %), never trained on; bucket 1 = validation when tuning";

  private HeldOutSplit() {}

  /** The text that is hashed: BOM and zero-width characters removed, whitespace trimmed. */
  public static String key(String review) {
    StringBuilder sb = new StringBuilder(review.length());
    for (int i = 0; i < review.length(); i++) {
      char c = review.charAt(i);
      if (c != 0xFEFF && !(c >= 0x200B && c <= 0x200F)) {
        sb.append(c);
      }
    }
    return sb.toString().strip();
  }

  public static int bucket(String review) {
    return (int) Long.remainderUnsigned(Hashing.mix(Hashing.text(key(review))), BUCKETS);
  }

  public static boolean isTest(String review) {
    return bucket(review) == TEST_BUCKET;
  }
}
