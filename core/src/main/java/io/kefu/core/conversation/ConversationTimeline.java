package io.kefu.core.conversation;

import io.kefu.core.kpi.Fact;
import io.kefu.core.kpi.FactCodec;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.ResolverRole;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conversation state machine (KPIS.md): the events of one conversation, in any arrival order,
 * turned into facts — queue legs, the conversation at close, surveys, customer messages and human
 * first responses — each attributed to the time of the event that completes it.
 *
 * <p>Facts are released by event time: {@link #due} returns the facts whose time the watermark has
 * passed, so that events still in flight (jittered) are in before a fact is computed. When a late
 * event changes a fact already released, {@code due} returns a retraction of the old fact and the
 * new one. A fact needs the conversation's start (channel, queue, variant); without it the fact
 * waits, and is released with unknown dimensions once the allowed lateness has passed.
 *
 * <p>Definitions chosen where KPIS.md is silent: a leg starts at HANDOFF_REQUESTED or TRANSFERRED
 * and ends at the next AGENT_ASSIGNED, ABANDONED, CLOSED (flow-out) or leg start (flow-out); an
 * AGENT_ASSIGNED without an open leg sets the agent but is not a queue leg (its wait is unknown);
 * the conversation's queue is the one it started in, a leg's queue is the one it waited in; a
 * conversation's agent is the last agent assigned before it closed; sentiment change uses quarters
 * of {@code floor(n / 4)} scored customer messages.
 *
 * <p>Not thread-safe; one instance per conversation, owned by one stream task.
 */
public final class ConversationTimeline {

  /** The part of an event the metrics need (no message text). */
  static final class Step {
    String id;
    long time;
    long seq;
    EventType type;
    Role role;
    String queue;
    String agent;
    Tier tier;
    ResolverRole resolver;
    double sentiment = Double.NaN;
    double anger = Double.NaN;
    int csat = -1;
    int nps = -1;
    // from CONVERSATION_STARTED
    String channel;
    String variant;
    Entry entry;
  }

  private String conversationId;
  private String tenant;
  private final List<Step> steps = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private final Map<String, Fact> emitted = new LinkedHashMap<>();
  private long nextSeq;
  // Facts of the events as they are now, and the fold that made them (see Walk); the facts made
  // since the last release; whether current was recomputed from scratch since then.
  private Map<String, Fact> current;
  private Walk walk;
  private List<Fact> pending = new ArrayList<>();
  private boolean recomputed;

  // after compaction: what later surveys need
  private boolean compacted;
  private String channel;
  private String queue;
  private String variant;
  private String lastAgent;
  private String customerId;
  private long closedAt = Long.MIN_VALUE;

  public ConversationTimeline() {}

  /** Adds an event; false when its event_id was seen before (a duplicate, to drop). */
  public boolean add(ConversationEvent e) {
    if (!seen.add(e.getEventId())) {
      return false;
    }
    if (conversationId == null) {
      conversationId = e.getConversationId();
      tenant = e.getTenant();
    }
    Step s = new Step();
    s.id = e.getEventId();
    s.time = e.getEventTime().toEpochMilli();
    s.seq = nextSeq++;
    s.type = e.getEventType();
    s.role = e.getRole();
    s.queue = s.type == EventType.TRANSFERRED ? e.getTargetQueue() : e.getQueue();
    s.agent = e.getAgentId();
    s.tier = e.getTier();
    s.resolver = e.getResolverRole();
    s.sentiment = e.getSentiment() == null ? Double.NaN : e.getSentiment();
    s.anger = e.getAnger() == null ? Double.NaN : e.getAnger();
    s.csat = e.getCsat() == null ? -1 : e.getCsat();
    s.nps = e.getNps() == null ? -1 : e.getNps();
    if (s.type == EventType.CONVERSATION_STARTED) {
      s.channel = e.getChannel() == null ? null : e.getChannel().name();
      s.variant = e.getVariant();
      s.entry = e.getEntry();
      if (channel == null) {
        channel = s.channel;
        queue = s.queue;
        variant = s.variant;
        customerId = e.getCustomerId();
      }
    }
    if (s.type == EventType.CLOSED && (closedAt == Long.MIN_VALUE || s.time < closedAt)) {
      closedAt = s.time;
    }
    if (compacted) {
      current = null;
      // Only surveys are still expected once compacted; they need no history.
      if (s.type == EventType.SURVEY_SUBMITTED) {
        steps.add(s);
      }
      return true;
    }
    // Keep steps ordered by time, then arrival: almost always an append.
    int i = steps.size();
    while (i > 0 && steps.get(i - 1).time > s.time) {
      i--;
    }
    boolean append = i == steps.size();
    steps.add(i, s);
    if (append && current != null && walk != null && (walk.start != null || !isStart(s))) {
      walk.step(s, current); // continue the fold
    } else {
      current = null; // recompute from the start
      walk = null;
    }
    return true;
  }

  private static boolean isStart(Step s) {
    return s.type == EventType.CONVERSATION_STARTED;
  }

  /** Time of the first CLOSED seen, or {@link Long#MIN_VALUE}. */
  public long closedAt() {
    return closedAt;
  }

  public boolean isCompacted() {
    return compacted;
  }

  public String conversationId() {
    return conversationId;
  }

  /** The channel the conversation started on, or null before CONVERSATION_STARTED arrived. */
  public String channel() {
    return channel;
  }

  /** The queue the conversation started in, or null. */
  public String queue() {
    return queue;
  }

  public String customerId() {
    return customerId;
  }

  /**
   * True when, at {@code time}, the conversation is with the bot: it did not start with a human,
   * and no leg started and no agent was assigned at or before that time.
   */
  public boolean withBot(long time) {
    if (compacted) {
      return false;
    }
    for (Step s : steps) {
      if (s.time > time) {
        break;
      }
      if (s.type == EventType.CONVERSATION_STARTED && s.entry == Entry.HUMAN) {
        return false;
      }
      if (s.type == EventType.HANDOFF_REQUESTED
          || s.type == EventType.TRANSFERRED
          || s.type == EventType.AGENT_ASSIGNED) {
        return false;
      }
    }
    return true;
  }

  /**
   * The fact changes to release now: every fact attributed at or before {@code watermark} that was
   * not released yet, or that changed since (as a retraction followed by the new fact), and
   * retractions of released facts that no longer hold. A fact missing the conversation's start
   * waits until {@code watermark >= fact time + lateness}.
   */
  public List<Fact> due(long watermark, long latenessMillis) {
    Map<String, Fact> current = currentFacts();
    List<Fact> out = new ArrayList<>();
    // Only facts made since the last release can need releasing (see pending).
    List<Fact> waiting = new ArrayList<>();
    for (Fact f : pending) {
      if (current.get(f.id) != f) {
        continue; // replaced by a newer version, which is pending too
      }
      if (f.time > watermark
          || (f.channel == null && !compacted && watermark < f.time + latenessMillis)) {
        waiting.add(f); // not due, or waiting for CONVERSATION_STARTED
        continue;
      }
      Fact before = emitted.get(f.id);
      if (before == null) {
        out.add(f);
        emitted.put(f.id, f);
      } else if (before != f && !before.sameAs(f)) {
        out.add(before.retraction());
        out.add(f);
        emitted.put(f.id, f);
      } else if (before != f) {
        emitted.put(f.id, f); // same content: nothing to send
      }
    }
    pending = waiting;
    if (recomputed && !compacted) {
      List<String> gone = new ArrayList<>();
      for (Map.Entry<String, Fact> e : emitted.entrySet()) {
        if (!current.containsKey(e.getKey())) {
          out.add(e.getValue().retraction());
          gone.add(e.getKey());
        }
      }
      gone.forEach(emitted::remove);
    }
    recomputed = false;
    return out;
  }

  /** Earliest attribution time of a fact not yet released, or {@link Long#MAX_VALUE}. */
  public long nextDue() {
    currentFacts();
    long next = Long.MAX_VALUE;
    for (Fact f : pending) {
      next = Math.min(next, f.time);
    }
    return next;
  }

  /**
   * The lowest watermark at which {@link #due} releases something not yet released, or {@link
   * Long#MAX_VALUE}: a fact's time, or time + lateness for a fact waiting for the conversation's
   * start. A caller that wakes at this watermark never releases a fact later than it would by
   * calling {@code due} on every watermark.
   */
  public long nextRelease(long latenessMillis) {
    Map<String, Fact> current = currentFacts();
    long next = Long.MAX_VALUE;
    for (Fact f : pending) {
      if (current.get(f.id) != f) {
        continue; // replaced by a newer version, which is pending too
      }
      long at = f.channel == null && !compacted ? saturatedAdd(f.time, latenessMillis) : f.time;
      next = Math.min(next, at);
    }
    return next;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
  }

  /**
   * Drops the history once the conversation is closed and beyond lateness: only what later surveys
   * need (dimensions, last agent) and the event ids seen are kept.
   */
  public void compact() {
    if (compacted) {
      return;
    }
    lastAgent = null;
    for (Step s : steps) {
      if (s.type == EventType.AGENT_ASSIGNED && s.time <= closedAt) {
        lastAgent = s.agent;
      }
    }
    Map<String, Fact> surveys = new LinkedHashMap<>();
    for (Map.Entry<String, Fact> e : emitted.entrySet()) {
      if (e.getValue().kind == Fact.Kind.SURVEY) {
        surveys.put(e.getKey(), e.getValue());
      }
    }
    steps.removeIf(s -> s.type != EventType.SURVEY_SUBMITTED);
    emitted.clear();
    emitted.putAll(surveys);
    // Remember only survey ids: any other event of a compacted conversation is late anyway.
    seen.clear();
    for (Step s : steps) {
      seen.add(s.id);
    }
    compacted = true;
    current = null;
    walk = null;
  }

  private Map<String, Fact> currentFacts() {
    if (current == null) {
      current = compacted ? compactedFacts() : facts();
      pending = new ArrayList<>(current.values());
      recomputed = true;
    }
    return current;
  }

  private Map<String, Fact> compactedFacts() {
    Map<String, Fact> facts = new LinkedHashMap<>();
    for (Step s : steps) {
      Fact f = survey(s, channel, queue, variant, lastAgent);
      facts.put(f.id, f);
    }
    return facts;
  }

  private Step first(EventType type) {
    for (Step s : steps) {
      if (s.type == type) {
        return s;
      }
    }
    return null;
  }

  /** Every fact the known events define, by fact id. */
  Map<String, Fact> facts() {
    Map<String, Fact> facts = new LinkedHashMap<>();
    walk = new Walk(first(EventType.CONVERSATION_STARTED));
    for (Step s : steps) {
      walk.step(s, facts);
    }
    return facts;
  }

  /**
   * The left-to-right fold over a conversation's steps that defines its facts. Kept between events:
   * an event appended at the end (the usual case) only continues the fold; one that lands earlier
   * restarts it. Before the first CLOSED every step counts as "before close", exactly as in a fold
   * that knew the close time in advance, since steps are in time order.
   */
  private final class Walk {
    final Step start;
    final String ch;
    final String startQueue;
    final String var;
    Step close;
    long closeTime = Long.MAX_VALUE;
    Step openLeg;
    Step answeredLeg;
    String answeredAgent;
    boolean answeredResponded;
    String agent;
    String agentAtClose;
    long firstAssigned = Long.MIN_VALUE;
    long firstResolved = Long.MIN_VALUE;
    boolean resolvedByBot;
    boolean handedOff;
    boolean expert;
    long firstCustomer = Long.MIN_VALUE;
    double frt = Double.NaN;
    final List<Double> sentiments = new ArrayList<>();

    Walk(Step start) {
      this.start = start;
      this.ch = start == null ? null : start.channel;
      this.startQueue = start == null ? null : start.queue;
      this.var = start == null ? null : start.variant;
    }

    void step(Step s, Map<String, Fact> facts) {
      switch (s.type) {
        case HANDOFF_REQUESTED:
        case TRANSFERRED:
          if (openLeg != null) {
            put(facts, leg(openLeg, Fact.LegOutcome.FLOW_OUT, s.time, null, ch, startQueue, var));
          }
          openLeg = s;
          answeredLeg = null;
          if (s.time <= closeTime) {
            handedOff = true;
          }
          break;
        case AGENT_ASSIGNED:
          agent = s.agent;
          if (s.time <= closeTime) {
            agentAtClose = s.agent;
            if (firstAssigned == Long.MIN_VALUE) {
              firstAssigned = s.time;
            }
            if (s.tier == Tier.EXPERT) {
              expert = true;
            }
          }
          if (openLeg != null) {
            put(
                facts,
                leg(openLeg, Fact.LegOutcome.ANSWERED, s.time, s.agent, ch, startQueue, var));
            answeredLeg = openLeg;
            answeredAgent = s.agent;
            answeredResponded = false;
            openLeg = null;
          }
          break;
        case ABANDONED:
          if (openLeg != null) {
            put(facts, leg(openLeg, Fact.LegOutcome.ABANDONED, s.time, null, ch, startQueue, var));
            openLeg = null;
          }
          break;
        case MESSAGE:
          if (s.role == Role.CUSTOMER) {
            Fact m = base(Fact.Kind.MESSAGE, "msg:" + s.id, s.time, ch, startQueue, var, null);
            m.sentiment = s.sentiment;
            m.anger = s.anger;
            put(facts, m);
            if (s.time <= closeTime) {
              if (firstCustomer == Long.MIN_VALUE) {
                firstCustomer = s.time;
              }
              if (!Double.isNaN(s.sentiment)) {
                sentiments.add(s.sentiment);
              }
            }
          } else if (s.role != null) {
            if (firstCustomer != Long.MIN_VALUE && Double.isNaN(frt) && s.time <= closeTime) {
              frt = (s.time - firstCustomer) / 1000.0;
            }
            if (s.role == Role.AGENT && answeredLeg != null && !answeredResponded) {
              answeredResponded = true;
              Fact r =
                  base(
                      Fact.Kind.FIRST_RESPONSE,
                      "frt:" + answeredLeg.id,
                      s.time,
                      ch,
                      legQueue(answeredLeg, startQueue),
                      var,
                      answeredAgent);
              r.firstResponseSeconds = (s.time - answeredLeg.time) / 1000.0;
              put(facts, r);
            }
          }
          break;
        case RESOLVED:
          if (s.time <= closeTime) {
            if (firstResolved == Long.MIN_VALUE) {
              firstResolved = s.time;
            }
            if (s.resolver == ResolverRole.BOT) {
              resolvedByBot = true;
            }
          }
          break;
        case CLOSED:
          if (close == null) {
            close = s;
            closeTime = s.time;
            if (openLeg != null) {
              put(facts, leg(openLeg, Fact.LegOutcome.FLOW_OUT, s.time, null, ch, startQueue, var));
              openLeg = null;
            }
            Fact c =
                base(Fact.Kind.CONVERSATION, "conv", s.time, ch, startQueue, var, agentAtClose);
            c.botEntry = start != null && start.entry == Entry.BOT;
            c.handedOff = handedOff;
            c.reachedExpert = expert;
            c.resolved = firstResolved != Long.MIN_VALUE;
            c.contained = c.botEntry && !handedOff && resolvedByBot;
            c.ttrSeconds =
                c.resolved && start != null ? (firstResolved - start.time) / 1000.0 : Double.NaN;
            c.frtSeconds = frt;
            c.ahtSeconds =
                firstAssigned == Long.MIN_VALUE ? Double.NaN : (s.time - firstAssigned) / 1000.0;
            c.sentimentChange = sentimentChange(sentiments);
            put(facts, c);
          }
          break;
        case SURVEY_SUBMITTED:
          put(facts, survey(s, ch, startQueue, var, agent));
          break;
        default:
          break;
      }
    }
  }

  private void put(Map<String, Fact> facts, Fact f) {
    facts.put(f.id, f);
    if (facts == current) {
      pending.add(f); // made by continuing the fold: release it next
    }
  }

  private static String legQueue(Step leg, String startQueue) {
    return leg.queue != null ? leg.queue : startQueue;
  }

  private Fact leg(
      Step leg,
      Fact.LegOutcome outcome,
      long end,
      String agent,
      String ch,
      String startQueue,
      String var) {
    Fact f = base(Fact.Kind.LEG, "leg:" + leg.id, end, ch, legQueue(leg, startQueue), var, agent);
    f.outcome = outcome;
    f.waitSeconds = (end - leg.time) / 1000.0;
    return f;
  }

  private Fact survey(Step s, String ch, String q, String var, String agent) {
    Fact f = base(Fact.Kind.SURVEY, "survey:" + s.id, s.time, ch, q, var, agent);
    f.csat = s.csat;
    f.nps = s.nps;
    return f;
  }

  private Fact base(
      Fact.Kind kind, String id, long time, String ch, String q, String var, String agent) {
    Fact f = new Fact();
    f.kind = kind;
    f.id = id;
    f.time = time;
    f.tenant = tenant;
    f.conversationId = conversationId;
    f.channel = ch;
    f.queue = q;
    f.variant = var;
    f.agent = agent;
    return f;
  }

  /** Mean of the last quarter of scores minus mean of the first quarter (KPIS.md). */
  static double sentimentChange(List<Double> scores) {
    int n = scores.size();
    if (n == 0) {
      return Double.NaN;
    }
    if (n < 4) {
      return scores.get(n - 1) - scores.get(0);
    }
    int q = n / 4;
    double first = 0;
    double last = 0;
    for (int i = 0; i < q; i++) {
      first += scores.get(i);
      last += scores.get(n - 1 - i);
    }
    return (last - first) / q;
  }

  // --- serialisation (for stream-processor state) -------------------------------------------

  private static final int FORMAT = 1;

  public void writeTo(DataOutput out) throws IOException {
    out.writeByte(FORMAT);
    writeString(out, conversationId);
    writeString(out, tenant);
    out.writeLong(nextSeq);
    out.writeBoolean(compacted);
    writeString(out, channel);
    writeString(out, queue);
    writeString(out, variant);
    writeString(out, lastAgent);
    writeString(out, customerId);
    out.writeLong(closedAt);
    out.writeInt(seen.size());
    for (String id : seen) {
      out.writeUTF(id);
    }
    out.writeInt(steps.size());
    for (Step s : steps) {
      out.writeUTF(s.id);
      out.writeLong(s.time);
      out.writeLong(s.seq);
      out.writeByte(s.type.ordinal());
      out.writeByte(s.role == null ? -1 : s.role.ordinal());
      writeString(out, s.queue);
      writeString(out, s.agent);
      out.writeByte(s.tier == null ? -1 : s.tier.ordinal());
      out.writeByte(s.resolver == null ? -1 : s.resolver.ordinal());
      out.writeDouble(s.sentiment);
      out.writeDouble(s.anger);
      out.writeInt(s.csat);
      out.writeInt(s.nps);
      writeString(out, s.channel);
      writeString(out, s.variant);
      out.writeByte(s.entry == null ? -1 : s.entry.ordinal());
    }
    out.writeInt(emitted.size());
    for (Fact f : emitted.values()) {
      FactCodec.write(out, f);
    }
  }

  public static ConversationTimeline readFrom(DataInput in) throws IOException {
    int format = in.readByte();
    if (format != FORMAT) {
      throw new IOException("unknown conversation state format " + format);
    }
    ConversationTimeline t = new ConversationTimeline();
    t.conversationId = readString(in);
    t.tenant = readString(in);
    t.nextSeq = in.readLong();
    t.compacted = in.readBoolean();
    t.channel = readString(in);
    t.queue = readString(in);
    t.variant = readString(in);
    t.lastAgent = readString(in);
    t.customerId = readString(in);
    t.closedAt = in.readLong();
    int seen = in.readInt();
    for (int i = 0; i < seen; i++) {
      t.seen.add(in.readUTF());
    }
    int steps = in.readInt();
    for (int i = 0; i < steps; i++) {
      Step s = new Step();
      s.id = in.readUTF();
      s.time = in.readLong();
      s.seq = in.readLong();
      s.type = EventType.values()[in.readByte()];
      int role = in.readByte();
      s.role = role < 0 ? null : Role.values()[role];
      s.queue = readString(in);
      s.agent = readString(in);
      int tier = in.readByte();
      s.tier = tier < 0 ? null : Tier.values()[tier];
      int resolver = in.readByte();
      s.resolver = resolver < 0 ? null : ResolverRole.values()[resolver];
      s.sentiment = in.readDouble();
      s.anger = in.readDouble();
      s.csat = in.readInt();
      s.nps = in.readInt();
      s.channel = readString(in);
      s.variant = readString(in);
      int entry = in.readByte();
      s.entry = entry < 0 ? null : Entry.values()[entry];
      t.steps.add(s);
    }
    int emitted = in.readInt();
    for (int i = 0; i < emitted; i++) {
      Fact f = FactCodec.read(in);
      t.emitted.put(f.id, f);
    }
    return t;
  }

  static void writeString(DataOutput out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  static String readString(DataInput in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
