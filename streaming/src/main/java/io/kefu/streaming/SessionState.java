package io.kefu.streaming;

import io.kefu.core.conversation.ConversationTimeline;

/**
 * What the sessioniser keeps per conversation, in one state entry so that an event costs one state
 * look-up: the core timeline, the time of the latest event, and the two timers it has registered
 * and that have not fired yet ({@link Long#MAX_VALUE} when none).
 *
 * <p>Two timers at most per conversation: one at the next watermark that releases facts, one for
 * its life (compaction after close, forgetting). A timer is only ever moved earlier (the later one
 * deleted); when one fires, the next is computed from the state. An event later than the registered
 * timer needs nothing, which is the usual case, and a watermark that jumps over many events' times
 * releases all their facts in one firing.
 */
final class SessionState {
  ConversationTimeline timeline = new ConversationTimeline();
  long lastActivity = Long.MIN_VALUE;
  long factsTimer = Long.MAX_VALUE;
  long lifeTimer = Long.MAX_VALUE;
}
