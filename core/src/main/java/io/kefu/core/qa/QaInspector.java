package io.kefu.core.qa;

import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.QaRuleKind;
import io.kefu.schemas.QaViolation;
import io.kefu.schemas.Role;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Inspects one conversation's events against a {@link QaRuleSet}. Pure and deterministic: the same
 * events in any order give the same result. Serializable so that Flink and Spark can ship it to
 * their tasks; the automaton and regexes are rebuilt from the rule text where it is read.
 *
 * <p>Definitions (shared with the simulator's ground truth):
 *
 * <ul>
 *   <li>phrase rules: one violation per (rule, message) in scope, evidence the first phrase or
 *       regex hit that no exception of the rule overlaps;
 *   <li>required phrase, {@code first}: the first message of every speaker in scope (each agent)
 *       must hit; {@code last}: the last message in scope must hit if the conversation closed while
 *       its speaker was serving (for an agent: no transfer, handoff or abandon after the agent's
 *       leg was answered);
 *   <li>slow reply: a message in scope more than {@code seconds} after the first customer message
 *       it answers, the clock starting no earlier than the leg's answer ({@code AGENT_ASSIGNED});
 *   <li>unescalated anger: the first customer message with anger ≥ {@code threshold} while the
 *       conversation is with the bot (before any handoff), not followed by {@code
 *       HANDOFF_REQUESTED} within {@code seconds}; one per stretch with the bot, no agent.
 * </ul>
 */
public final class QaInspector implements Serializable {
  private static final long serialVersionUID = 1L;

  private final QaRuleSet rules;
  private final AngerScore anger;
  private transient QaMatcher matcher;

  /** Inspects with anger taken from the events only (a message without one is not angry). */
  public QaInspector(QaRuleSet rules) {
    this(rules, null);
  }

  /**
   * Inspects with {@code anger} scoring customer messages whose event has no anger value. It is
   * serialized with the inspector, so it must be Serializable (see {@link AngerScore}).
   */
  public QaInspector(QaRuleSet rules, AngerScore anger) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.anger = anger;
    this.matcher = new QaMatcher(rules.rules());
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    matcher = new QaMatcher(rules.rules());
  }

  public QaRuleSet rules() {
    return rules;
  }

  /** Inspects one conversation's events (in any order; duplicates by event id are ignored). */
  public ConversationQa inspect(List<ConversationEvent> events) {
    List<ConversationEvent> sorted = sorted(events);
    if (sorted.isEmpty()) {
      return new ConversationQa(null, 100, List.of(), List.of());
    }
    return new Run(sorted).inspect();
  }

  private static final Comparator<ConversationEvent> ORDER =
      Comparator.comparing(ConversationEvent::getEventTime)
          .thenComparing(ConversationEvent::getEventId);

  private static List<ConversationEvent> sorted(List<ConversationEvent> events) {
    Set<String> unique = new HashSet<>();
    List<ConversationEvent> list = new ArrayList<>(events.size());
    boolean inOrder = true;
    for (ConversationEvent e : events) {
      if (e != null && unique.add(e.getEventId())) {
        inOrder &= list.isEmpty() || ORDER.compare(list.get(list.size() - 1), e) <= 0;
        list.add(e);
      }
    }
    if (!inOrder) {
      list.sort(ORDER);
    }
    return list;
  }

  /** One conversation's inspection in event-time order. */
  private final class Run {
    final List<ConversationEvent> events;
    final List<QaRule> ruleList = rules.rules();
    final int n = ruleList.size();
    final String conversationId;
    final String tenant;
    Channel channel;
    String queue;
    boolean withBot;
    boolean closed;
    long lastAnswer = Long.MIN_VALUE;
    String servingAgent;
    long servingSince = Long.MIN_VALUE;
    long lastTime;

    final Map<String, Set<String>> violationIds = new HashMap<>();
    final List<Found> found = new ArrayList<>();
    final Map<String, AgentSeen> agents = new LinkedHashMap<>();
    final Set<String> spokeFirst = new HashSet<>();

    /** Per rule: time of the first customer message not yet answered (slow reply), or MIN. */
    final long[] pending;

    /** Per rule: the angry message of the current bot stretch (unescalated anger), or null. */
    final ConversationEvent[] angry;

    final boolean[] stretchDone;

    /** Per last-position rule: the last message in scope and its hits. */
    final Msg[] lastInScope;

    Run(List<ConversationEvent> events) {
      this.events = events;
      ConversationEvent first = events.get(0);
      this.conversationId = first.getConversationId();
      this.tenant = first.getTenant();
      this.pending = new long[n];
      java.util.Arrays.fill(pending, Long.MIN_VALUE);
      this.angry = new ConversationEvent[n];
      this.stretchDone = new boolean[n];
      this.lastInScope = new Msg[n];
      for (ConversationEvent e : events) {
        if (e.getEventType() == EventType.CONVERSATION_STARTED) {
          channel = e.getChannel();
          queue = e.getQueue();
          withBot = e.getEntry() != Entry.HUMAN;
          break;
        }
      }
      if (channel == null) {
        withBot = true;
        for (ConversationEvent e : events) {
          if (e.getChannel() != null) {
            channel = e.getChannel();
            break;
          }
        }
      }
    }

    ConversationQa inspect() {
      for (ConversationEvent e : events) {
        long t = e.getEventTime().toEpochMilli();
        lastTime = t;
        switch (e.getEventType()) {
          case MESSAGE -> message(e, t);
          case HANDOFF_REQUESTED -> {
            for (int r = 0; r < n; r++) {
              if (angry[r] != null) {
                long delay = t - angry[r].getEventTime().toEpochMilli();
                if (delay > ruleList.get(r).seconds() * 1000) {
                  add(r, angry[r], null, angry[r].getText(), queueAt(angry[r]));
                }
                angry[r] = null;
              }
              stretchDone[r] = false;
            }
            withBot = false;
            servingAgent = null;
            if (e.getQueue() != null) {
              queue = e.getQueue();
            }
          }
          case AGENT_ASSIGNED -> {
            lastAnswer = t;
            servingAgent = e.getAgentId();
            servingSince = t;
            if (e.getQueue() != null) {
              queue = e.getQueue();
            }
          }
          case TRANSFERRED -> {
            servingAgent = null;
            if (e.getTargetQueue() != null) {
              queue = e.getTargetQueue();
            }
          }
          case ABANDONED -> servingAgent = null;
          case CLOSED -> closed = true;
          default -> {}
        }
      }
      for (int r = 0; r < n; r++) {
        if (angry[r] != null) {
          long at = angry[r].getEventTime().toEpochMilli();
          if (closed || lastTime - at > ruleList.get(r).seconds() * 1000) {
            add(r, angry[r], null, angry[r].getText(), queueAt(angry[r]));
          }
        }
        Msg last = lastInScope[r];
        if (last != null && closed && servedAtClose(last) && !last.hits.hit(r)) {
          add(r, last.event, last.event.getAgentId(), null, last.queue);
        }
      }
      return result();
    }

    private final Map<String, String> queueOfMessage = new HashMap<>();

    private String queueAt(ConversationEvent e) {
      return queueOfMessage.getOrDefault(e.getEventId(), queue);
    }

    private boolean servedAtClose(Msg last) {
      if (last.role == Role.AGENT) {
        return servingAgent != null
            && servingAgent.equals(last.event.getAgentId())
            && last.time >= servingSince;
      }
      if (last.role == Role.BOT) {
        return withBot;
      }
      return true;
    }

    private void message(ConversationEvent e, long t) {
      Role role = e.getRole();
      if (role == null) {
        return;
      }
      queueOfMessage.put(e.getEventId(), queue);
      QaMatcher.Hits hits = matcher.match(e.getText(), role, channel, queue);
      String agentId = role == Role.AGENT ? e.getAgentId() : null;
      if (agentId != null) {
        agents.putIfAbsent(agentId, new AgentSeen(queue, channel));
      }
      String speaker = role == Role.AGENT ? "agent:" + agentId : role.name();
      boolean firstOfSpeaker = spokeFirst.add(speaker);
      Msg msg = new Msg(e, role, t, queue, hits);
      for (int r = 0; r < n; r++) {
        QaRule rule = ruleList.get(r);
        boolean applies = rule.applies(role, channel, queue);
        switch (rule.kind()) {
          case REQUIRED_PHRASE -> {
            if (!applies) {
              break;
            }
            if (rule.position() == QaRule.Position.FIRST) {
              if (firstOfSpeaker && !hits.hit(r)) {
                add(r, e, agentId, null, queue);
              }
            } else {
              lastInScope[r] = msg;
            }
          }
          case SLOW_REPLY -> {
            if (role == Role.CUSTOMER) {
              if (pending[r] == Long.MIN_VALUE) {
                pending[r] = t;
              }
            } else if (applies) {
              if (pending[r] != Long.MIN_VALUE) {
                long start = Math.max(pending[r], lastAnswer);
                if (t - start > rule.seconds() * 1000) {
                  add(r, e, agentId, null, queue);
                }
              }
              pending[r] = Long.MIN_VALUE;
            }
          }
          case UNESCALATED_ANGER -> {
            if (role == Role.CUSTOMER
                && applies
                && withBot
                && angry[r] == null
                && !stretchDone[r]
                && angerOf(e) >= rule.threshold()) {
              angry[r] = e;
              stretchDone[r] = true;
            }
          }
          default -> {
            if (hits.hit(r)) {
              add(r, e, agentId, hits.matched(r), queue);
            }
          }
        }
      }
    }

    private double angerOf(ConversationEvent e) {
      Double a = e.getAnger();
      if (a != null) {
        return a;
      }
      if (anger != null && e.getText() != null) {
        return anger.anger(e.getText());
      }
      return Double.NEGATIVE_INFINITY;
    }

    private void add(int r, ConversationEvent msg, String agentId, String matched, String q) {
      QaRule rule = ruleList.get(r);
      String messageId = msg == null ? null : msg.getEventId();
      String id = conversationId + ":" + rule.id() + ":" + (messageId == null ? "-" : messageId);
      if (!violationIds.computeIfAbsent(rule.id(), k -> new HashSet<>()).add(id)) {
        return;
      }
      Instant at = msg == null ? Instant.ofEpochMilli(lastTime) : msg.getEventTime();
      // The all-fields constructor: the Avro builder validates and deep-copies every field.
      QaViolation v =
          new QaViolation(
              id,
              tenant,
              conversationId,
              messageId,
              agentId,
              channel,
              q,
              rule.id(),
              rule.kind(),
              rules.version(),
              rule.kind() == QaRuleKind.SENSITIVE_DATA ? masked(matched) : matched,
              rule.penalty(),
              at);
      found.add(new Found(v, r));
    }

    private ConversationQa result() {
      found.sort(
          Comparator.comparing((Found f) -> f.violation.getEventTime())
              .thenComparing(f -> Objects.toString(f.violation.getMessageId(), ""))
              .thenComparingInt(f -> f.rule));
      List<QaViolation> violations = new ArrayList<>(found.size());
      double penalties = 0;
      for (Found f : found) {
        violations.add(f.violation);
        penalties += f.violation.getPenalty();
      }
      List<AgentQa> agentResults = new ArrayList<>();
      List<String> ids = new ArrayList<>(agents.keySet());
      ids.sort(null);
      for (String agentId : ids) {
        AgentSeen seen = agents.get(agentId);
        double agentPenalties = 0;
        int count = 0;
        Map<String, Integer> byRule = new LinkedHashMap<>();
        for (QaViolation v : violations) {
          if (agentId.equals(v.getAgentId())) {
            agentPenalties += v.getPenalty();
            count++;
            byRule.merge(v.getRuleId(), 1, Integer::sum);
          }
        }
        agentResults.add(
            new AgentQa(
                agentId,
                seen.queue,
                seen.channel,
                Math.max(0, 100 - agentPenalties),
                count,
                byRule));
      }
      return new ConversationQa(
          conversationId, Math.max(0, 100 - penalties), violations, agentResults);
    }
  }

  /**
   * The evidence of a sensitive-data hit without the data itself (violations are stored and shown
   * to QA staff): a number keeps its last 4 digits (a Chinese mobile number also its first 3, as
   * {@code 138****5678}); separators are kept.
   */
  static String masked(String matched) {
    if (matched == null) {
      return null;
    }
    int digits = 0;
    for (int i = 0; i < matched.length(); i++) {
      if (isDigitLike(matched.charAt(i))) {
        digits++;
      }
    }
    int keepHead = digits == 11 ? 3 : 0; // a Chinese mobile number, shown as 138****5678
    int keepTail = Math.min(4, digits / 2);
    StringBuilder out = new StringBuilder(matched.length());
    int seen = 0;
    for (int i = 0; i < matched.length(); i++) {
      char c = matched.charAt(i);
      if (isDigitLike(c)) {
        seen++;
        out.append(seen <= keepHead || seen > digits - keepTail ? c : '*');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isDigitLike(char c) {
    return Character.isDigit(c) || c == 'X' || c == 'x';
  }

  private record Found(QaViolation violation, int rule) {}

  private record AgentSeen(String queue, Channel channel) {}

  private record Msg(
      ConversationEvent event, Role role, long time, String queue, QaMatcher.Hits hits) {}
}
