package io.kefu.streaming;

/**
 * A record the pipeline could not use, kept with its reason so that nothing is lost: the raw
 * payload (as text; invalid UTF-8 replaced), where it came from, and the problem (a {@code
 * InvalidRecordException.Problem} label, {@code duplicate_event_id} or {@code future_timestamp}).
 */
public final class DeadLetter {
  /** Longest raw payload kept, in characters; the original length is always recorded. */
  static final int MAX_RAW_CHARS = 16_384;

  public String origin;
  public String problem;
  public String field;
  public String message;
  public String raw;
  public long rawBytes;
  public long ingestTime;

  public DeadLetter() {}

  static DeadLetter of(
      String origin, String problem, String field, String message, String raw, long rawBytes) {
    DeadLetter d = new DeadLetter();
    d.origin = origin;
    d.problem = problem;
    d.field = field;
    d.message = message;
    d.raw =
        raw == null ? null : raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) : raw;
    d.rawBytes = rawBytes;
    d.ingestTime = System.currentTimeMillis();
    return d;
  }
}
