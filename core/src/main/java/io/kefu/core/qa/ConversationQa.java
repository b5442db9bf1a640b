package io.kefu.core.qa;

import io.kefu.schemas.QaViolation;
import java.util.List;

/**
 * The quality inspection of one conversation: {@code score} = max(0, 100 − Σ penalties), the
 * violations in time order, and one entry per agent who sent a message.
 */
public record ConversationQa(
    String conversationId, double score, List<QaViolation> violations, List<AgentQa> agents) {
  public ConversationQa {
    violations = List.copyOf(violations);
    agents = List.copyOf(agents);
  }
}
