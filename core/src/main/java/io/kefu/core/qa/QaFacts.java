package io.kefu.core.qa;

import io.kefu.core.kpi.Fact;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.QaRuleKind;
import io.kefu.schemas.QaViolation;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation's inspection as KPI facts, the same for the streaming job and the batch report:
 * first a {@code QA} fact with the conversation's score (counted for overall, channel, queue and
 * variant, taken from the conversation's start as its other facts are), then one {@code AGENT_QA}
 * fact per agent with that agent's own score and violations.
 */
public final class QaFacts {
  private static final int KINDS = QaRuleKind.values().length;

  private QaFacts() {}

  /**
   * @param events the conversation's events (any order)
   * @param at the time the facts count at: the conversation's close, or its last activity when it
   *     never closed
   */
  public static List<Fact> of(ConversationQa qa, List<ConversationEvent> events, long at) {
    ConversationEvent start = start(events);
    List<Fact> facts = new ArrayList<>(1 + qa.agents().size());
    Fact conversation = fact(Fact.Kind.QA, "qa:" + qa.conversationId(), at, start, events);
    conversation.qaScore = qa.score();
    conversation.qaViolations = byKind(qa.violations(), null);
    facts.add(conversation);
    for (AgentQa agent : qa.agents()) {
      Fact f =
          fact(
              Fact.Kind.AGENT_QA,
              "qa:" + qa.conversationId() + ":" + agent.agentId(),
              at,
              start,
              events);
      f.agent = agent.agentId();
      f.queue = agent.queue();
      f.qaScore = agent.score();
      f.qaViolations = byKind(qa.violations(), agent.agentId());
      facts.add(f);
    }
    return facts;
  }

  /** The conversation's start event, or its earliest event when the start is missing. */
  private static ConversationEvent start(List<ConversationEvent> all) {
    ConversationEvent first = null;
    for (ConversationEvent e : all) {
      if (e.getEventType() == EventType.CONVERSATION_STARTED) {
        return e;
      }
      if (first == null || e.getEventTime().isBefore(first.getEventTime())) {
        first = e;
      }
    }
    return first;
  }

  private static Fact fact(
      Fact.Kind kind, String id, long at, ConversationEvent start, List<ConversationEvent> all) {
    Fact f = new Fact();
    f.kind = kind;
    f.id = id;
    f.time = at;
    f.tenant = start.getTenant();
    f.conversationId = start.getConversationId();
    f.channel = start.getChannel() == null ? null : start.getChannel().name();
    f.queue = start.getQueue();
    f.variant = start.getVariant();
    if (f.channel == null) {
      for (ConversationEvent e : all) {
        if (e.getChannel() != null) {
          f.channel = e.getChannel().name();
          break;
        }
      }
    }
    return f;
  }

  /** Violations per rule kind; of one agent, or of the whole conversation when agent is null. */
  private static int[] byKind(List<QaViolation> violations, String agent) {
    int[] counts = new int[KINDS];
    for (QaViolation v : violations) {
      if (agent == null || agent.equals(v.getAgentId())) {
        counts[v.getRuleKind().ordinal()]++;
      }
    }
    return counts;
  }
}
