package io.kefu.core.qa;

import io.kefu.schemas.Channel;
import java.util.Map;

/**
 * One agent's part of a conversation's inspection: {@code score} = max(0, 100 − Σ penalties of the
 * violations attributed to the agent), the queue and channel the agent served in, and the violation
 * count per rule id (sorted by rule id).
 */
public record AgentQa(
    String agentId,
    String queue,
    Channel channel,
    double score,
    int violations,
    Map<String, Integer> byRule) {
  public AgentQa {
    byRule = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byRule));
  }
}
