package io.kefu.streaming;

import io.kefu.core.sentiment.MessageScore;
import io.kefu.core.sentiment.SentimentScorer;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Gives a customer message that arrives without {@code sentiment} or {@code anger} the scores of
 * the core scorer (KPIS.md: "scored if absent"); scores set upstream are kept. It runs before
 * anything else sees the event, so changing it in place is safe under object reuse.
 */
final class ScoreMessages extends RichMapFunction<ConversationEvent, ConversationEvent> {
  private static final long serialVersionUID = 1L;

  private transient SentimentScorer scorer;
  private transient Counter scored;

  @Override
  public void open(OpenContext context) {
    scorer = SentimentScorer.defaults();
    scored = getRuntimeContext().getMetricGroup().counter("scoredMessages");
  }

  @Override
  public ConversationEvent map(ConversationEvent e) {
    if (e.getEventType() == EventType.MESSAGE
        && e.getRole() == Role.CUSTOMER
        && (e.getSentiment() == null || e.getAnger() == null)) {
      MessageScore s = scorer.score(e.getText());
      if (e.getSentiment() == null) {
        e.setSentiment(s.sentiment());
      }
      if (e.getAnger() == null) {
        e.setAnger(s.anger());
      }
      scored.inc();
    }
    return e;
  }
}
