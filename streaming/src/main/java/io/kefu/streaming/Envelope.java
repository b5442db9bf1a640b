package io.kefu.streaming;

import io.kefu.schemas.ConversationEvent;

/**
 * What a source delivers: a parsed, validated event, or the reason a record could not be one, with
 * the raw payload and where it came from (file and line, or topic/partition/offset).
 */
public final class Envelope {
  public ConversationEvent event;
  public DeadLetter dead;

  public Envelope() {}

  static Envelope of(ConversationEvent event) {
    Envelope e = new Envelope();
    e.event = event;
    return e;
  }

  static Envelope of(DeadLetter dead) {
    Envelope e = new Envelope();
    e.dead = dead;
    return e;
  }

  /** Event time for watermarks; dead letters carry none and do not move the watermark. */
  long timestamp() {
    return event != null ? event.getEventTime().toEpochMilli() : Long.MIN_VALUE;
  }
}
