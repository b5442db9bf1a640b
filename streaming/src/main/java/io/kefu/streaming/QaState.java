package io.kefu.streaming;

import io.kefu.schemas.ConversationEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What quality inspection keeps per conversation, in one state entry: its events until they are
 * inspected, the latest CLOSED and the latest other event ({@link Long#MIN_VALUE} when none), the
 * time until which later events are counted as late once inspected ({@link Long#MIN_VALUE} before
 * inspection), and its one registered timer ({@link Long#MAX_VALUE} when none).
 */
final class QaState {
  final List<ConversationEvent> events = new ArrayList<>();
  long closedAt = Long.MIN_VALUE;
  long lastActivity = Long.MIN_VALUE;
  long inspectedUntil = Long.MIN_VALUE;
  long timer = Long.MAX_VALUE;

  boolean inspected() {
    return inspectedUntil != Long.MIN_VALUE;
  }
}
