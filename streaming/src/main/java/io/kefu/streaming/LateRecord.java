package io.kefu.streaming;

/**
 * Something that came after the allowed lateness: an event the sessioniser could no longer apply,
 * or a fact whose window was already closed for good. Kept for the batch reconciliation.
 */
public final class LateRecord {
  public String kind; // EVENT or FACT
  public String tenant;
  public String conversationId;
  public String eventId;
  public String eventType;
  public long eventTime;
  public String windowSize;
  public String detail;
  public long watermark;
  public long ingestTime;

  public LateRecord() {}
}
