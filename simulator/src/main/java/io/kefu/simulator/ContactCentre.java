package io.kefu.simulator;

import io.kefu.schemas.ActorRole;
import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.HandoffReason;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.QaRuleKind;
import io.kefu.schemas.ResolverRole;
import io.kefu.schemas.ResourceType;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A discrete-event simulation of the contact centre: conversations arrive, talk to the bot, wait in
 * first-come-first-served queues for agents on shift (leaving when their patience runs out), talk
 * to agents, are transferred to experts, resolved and closed, and answer surveys. Every event of a
 * conversation is generated with its event time; the {@link Emitter} delivers them.
 */
final class ContactCentre {

  private static final long SECOND = 1000;
  private static final long HOUR = 3_600_000;
  private static final long DAY = 24 * HOUR;

  enum Mood {
    ANGRY,
    NEGATIVE,
    NEUTRAL,
    POSITIVE
  }

  /** One experiment arm (or the only system when there is no experiment). */
  static final class Arm {
    final String variant;
    final SimulatorConfig.Behaviour behaviour;
    final Desk[] voice;
    final Desk[] digital;
    Desk expert;
    final ArmStats stats = new ArmStats();

    Arm(String variant, SimulatorConfig.Behaviour behaviour, int queues) {
      this.variant = variant;
      this.behaviour = behaviour;
      this.voice = new Desk[queues];
      this.digital = new Desk[queues];
    }
  }

  /** A queue for one medium, with the agents who serve it. */
  static final class Desk {
    final String queue;
    final Tier tier;
    final int slotsPerAgent;
    final List<Agent> agents = new ArrayList<>();
    final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    Desk(String queue, Tier tier, int slotsPerAgent) {
      this.queue = queue;
      this.tier = tier;
      this.slotsPerAgent = slotsPerAgent;
    }
  }

  static final class Agent {
    final String id;
    final String nameZh;
    final String nameEn;
    final Tier tier;
    final int startHour;
    final int endHour;
    final double violationRate;
    final String address;
    final Desk desk;
    int free;

    Agent(
        String id,
        String nameZh,
        String nameEn,
        Desk desk,
        SimulatorConfig.Shift shift,
        double violationRate,
        String address) {
      this.id = id;
      this.nameZh = nameZh;
      this.nameEn = nameEn;
      this.desk = desk;
      this.tier = desk.tier;
      this.startHour = shift.startHour;
      this.endHour = shift.endHour;
      this.violationRate = violationRate;
      this.address = address;
      this.free = desk.slotsPerAgent;
    }
  }

  static final class Waiting {
    final Conv conv;
    final Desk desk;
    boolean done;

    Waiting(Conv conv, Desk desk) {
      this.conv = conv;
      this.desk = desk;
    }
  }

  /** A conversation in progress. */
  static final class Conv {
    final String id;
    final long start;
    final Channel channel;
    final int queue;
    final Arm arm;
    final Customers.Customer customer;
    final String language;
    final SplittableRandom rnd;
    final Dialogues.Slots slots;
    Mood mood;
    int eventSeq;
    String piiKind;
    boolean piiMentioned;
    boolean phoneMentioned;
    boolean phoneRepeated;
    long legStart;
    long totalWait;
    boolean reachedExpert;
    boolean handedOff;
    boolean agentGreeted;

    Conv(
        String id,
        long start,
        Channel channel,
        int queue,
        Arm arm,
        Customers.Customer customer,
        SplittableRandom rnd,
        Dialogues.Slots slots) {
      this.id = id;
      this.start = start;
      this.channel = channel;
      this.queue = queue;
      this.arm = arm;
      this.customer = customer;
      this.language = customer.language();
      this.rnd = rnd;
      this.slots = slots;
    }

    String nextEventId() {
      return id + "-" + Ids.pad(++eventSeq, 2);
    }
  }

  /** What the simulator knows happened, per arm: the realised effect sizes of an experiment. */
  static final class ArmStats {
    long conversations;
    long botEntryClosed;
    long contained;
    long closed;
    long handedOff;
    long reachedExpert;
    long resolved;
    long legsAnswered;
    long legsAbandoned;
    long legsShortAbandoned;
    long answeredWithin20s;
    double waitAnsweredSeconds;
    long surveys;
    long csatCount;
    double csatSum;
    long csatTop2;
    long npsCount;
    long promoters;
    long detractors;
    double humanSeconds;

    Map<String, Object> toMap() {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      long denominator = legsAnswered + legsAbandoned - legsShortAbandoned;
      m.put("conversations", conversations);
      m.put("closed", closed);
      m.put("bot_containment_rate", ratio(contained, botEntryClosed));
      m.put("transfer_rate", ratio(handedOff, closed));
      m.put("expert_rate", ratio(reachedExpert, closed));
      m.put("resolution_rate", ratio(resolved, closed));
      m.put("legs_answered", legsAnswered);
      m.put("legs_abandoned", legsAbandoned);
      m.put("legs_short_abandoned", legsShortAbandoned);
      m.put("connect_rate", ratio(legsAnswered, denominator));
      m.put("service_level_20s", ratio(answeredWithin20s, denominator));
      m.put("asa_seconds", legsAnswered == 0 ? null : waitAnsweredSeconds / legsAnswered);
      m.put("surveys", surveys);
      m.put("csat_mean", csatCount == 0 ? null : csatSum / csatCount);
      m.put("csat_top2", ratio(csatTop2, csatCount));
      m.put("nps", npsCount == 0 ? null : 100.0 * (promoters - detractors) / npsCount);
      m.put("human_minutes_per_conversation", closed == 0 ? null : humanSeconds / 60 / closed);
      return m;
    }

    private static Double ratio(long a, long b) {
      return b == 0 ? null : (double) a / b;
    }
  }

  private static final class Task implements Comparable<Task> {
    static final int JOIN = 0;
    static final int PATIENCE = 1;
    static final int RELEASE = 2;
    static final int SHIFT = 3;

    final long time;
    final long seq;
    final int kind;
    final Conv conv;
    final Desk desk;
    final Agent agent;
    final Waiting waiting;

    Task(long time, long seq, int kind, Conv conv, Desk desk, Agent agent, Waiting waiting) {
      this.time = time;
      this.seq = seq;
      this.kind = kind;
      this.conv = conv;
      this.desk = desk;
      this.agent = agent;
      this.waiting = waiting;
    }

    @Override
    public int compareTo(Task o) {
      return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
    }
  }

  private final SimulatorConfig cfg;
  private final Dialogues talk;
  private final Customers customers;
  private final Emitter emitter;
  private final SimulationOutput out;
  private final List<OperationLogRecord> operations;
  private final Arm[] arms;
  private final double[] armCumulative;
  private final String[] queueNames;
  private final double[] queueCumulative;
  private final Mood[] moods;
  private final double[] moodCumulative;
  private final String[] piiKinds;
  private final double[] piiCumulative;
  private final String[] violationKinds;
  private final double[] violationCumulative;
  private final long zoneOffsetMillis;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long taskSeq;
  private long now;
  private final double angryShare;

  ContactCentre(
      SimulatorConfig cfg,
      Dialogues talk,
      Customers customers,
      Emitter emitter,
      SimulationOutput out,
      List<OperationLogRecord> operations,
      Arm[] arms,
      long zoneOffsetMillis) {
    this.cfg = cfg;
    this.talk = talk;
    this.customers = customers;
    this.emitter = emitter;
    this.out = out;
    this.operations = operations;
    this.arms = arms;
    double[] shares = new double[arms.length];
    for (int i = 0; i < arms.length; i++) {
      shares[i] = arms[i].variant == null ? 1.0 : cfg.experiment.arms.get(arms[i].variant).share;
    }
    this.armCumulative = Rng.cumulative(shares);
    this.queueNames = cfg.queues.keySet().toArray(new String[0]);
    this.queueCumulative =
        Rng.cumulative(cfg.queues.values().stream().mapToDouble(d -> d).toArray());
    this.moods = new Mood[] {Mood.ANGRY, Mood.NEGATIVE, Mood.NEUTRAL, Mood.POSITIVE};
    double[] moodWeights = new double[4];
    for (int i = 0; i < 4; i++) {
      moodWeights[i] =
          cfg.messages.moods.getOrDefault(moods[i].name().toLowerCase(java.util.Locale.ROOT), 0.0);
    }
    this.moodCumulative = Rng.cumulative(moodWeights);
    this.angryShare = moodWeights[0] / moodCumulative[3];
    this.piiKinds = cfg.messages.piiKinds.keySet().toArray(new String[0]);
    this.piiCumulative =
        Rng.cumulative(cfg.messages.piiKinds.values().stream().mapToDouble(d -> d).toArray());
    this.violationKinds = cfg.violations.kinds.keySet().toArray(new String[0]);
    this.violationCumulative =
        Rng.cumulative(cfg.violations.kinds.values().stream().mapToDouble(d -> d).toArray());
    this.zoneOffsetMillis = zoneOffsetMillis;
  }

  /** Schedules a dispatch at every shift start of every day, so that queued customers move on. */
  void scheduleShiftChanges(long firstDayStart, int days) {
    for (Arm arm : arms) {
      List<Desk> desks = new ArrayList<>(List.of(arm.voice));
      desks.addAll(List.of(arm.digital));
      desks.add(arm.expert);
      for (int d = 0; d <= days; d++) {
        for (SimulatorConfig.Shift s : cfg.system.staffing.shifts) {
          for (Desk desk : desks) {
            schedule(
                firstDayStart + d * DAY + s.startHour * HOUR, Task.SHIFT, null, desk, null, null);
          }
        }
      }
    }
  }

  /**
   * Runs the simulation over arrivals packed as {@code (millis since base) << 4 | channel}, sorted.
   */
  void run(long base, long[] arrivals, Channel[] channels, Progress progress) throws IOException {
    int next = 0;
    long steps = 0;
    while (next < arrivals.length || !tasks.isEmpty()) {
      long arrival = next < arrivals.length ? base + (arrivals[next] >>> 4) : Long.MAX_VALUE;
      if (!tasks.isEmpty() && tasks.peek().time <= arrival) {
        Task t = tasks.poll();
        now = t.time;
        handle(t);
      } else {
        now = arrival;
        arrive(next, now, channels[(int) (arrivals[next] & 0xF)]);
        next++;
      }
      emitter.flushBefore(now);
      if ((++steps & 0x3FFF) == 0) {
        progress.update(now, emitter.written());
      }
    }
    emitter.flushAll();
  }

  private void handle(Task t) throws IOException {
    switch (t.kind) {
      case Task.JOIN:
        join(t.conv, t.desk);
        break;
      case Task.PATIENCE:
        abandon(t.waiting);
        break;
      case Task.RELEASE:
        t.agent.free++;
        dispatch(t.agent.desk);
        break;
      case Task.SHIFT:
        dispatch(t.desk);
        break;
      default:
        throw new IllegalStateException("task kind " + t.kind);
    }
  }

  private void schedule(long time, int kind, Conv conv, Desk desk, Agent agent, Waiting waiting) {
    tasks.add(new Task(time, taskSeq++, kind, conv, desk, agent, waiting));
  }

  // --- arrival and the bot ------------------------------------------------------------------

  private void arrive(int index, long start, Channel channel) throws IOException {
    SplittableRandom rnd = Rng.of(cfg.seed, Rng.Stream.CONVERSATION, index);
    Arm arm = arms[Rng.pick(rnd, armCumulative)];
    int queue = Rng.pick(rnd, queueCumulative);
    Customers.Customer customer = customers.get(customers.pick(rnd));
    Dialogues.Slots slots = talk.slots(customer.language(), customer.person(), start, rnd);
    Conv c =
        new Conv("c-" + Ids.pad(index + 1, 7), start, channel, queue, arm, customer, rnd, slots);
    c.mood = moods[Rng.pick(rnd, moodCumulative)];
    if (Rng.chance(rnd, cfg.messages.piiMentionRate)) {
      c.piiKind = piiKinds[Rng.pick(rnd, piiCumulative)];
    }
    arm.stats.conversations++;

    ConversationEvent started = event(c, EventType.CONVERSATION_STARTED, start);
    started.setChannel(channel);
    started.setQueue(queueNames[queue]);
    started.setCustomerId(customer.id());
    started.setVariant(arm.variant);
    boolean voice = channel == Channel.PHONE;
    started.setEntry(voice ? Entry.HUMAN : Entry.BOT);
    emit(c, started);

    if (voice) {
      long handoff =
          start + seconds(Rng.uniform(rnd, 0.5, 1.5) * arm.behaviour.handleTime.ivrSeconds);
      handoff(c, handoff, HandoffReason.DIRECT, arm.voice[queue]);
    } else {
      botPhase(c);
    }
  }

  private void botPhase(Conv c) throws IOException {
    SplittableRandom rnd = c.rnd;
    SimulatorConfig.Behaviour b = c.arm.behaviour;
    String topic = topic(c);
    long t = c.start + seconds(Rng.uniform(rnd, 0.3, 1.5));
    message(c, Role.BOT, null, t, talk.pick("bot.greeting", c.language, c.slots, rnd), null);
    t += typing(c);
    customerMessage(c, t, "customer.opening." + topic);
    if (c.piiKind != null && Rng.chance(rnd, 0.6)) {
      t += typing(c);
      piiMessage(c, t);
    }
    t += seconds(Rng.uniform(rnd, 1, 3));
    message(c, Role.BOT, null, t, talk.pick("bot.answer." + topic, c.language, c.slots, rnd), null);
    int extra = rnd.nextInt(3);
    for (int i = 0; i < extra; i++) {
      t += typing(c);
      customerMessage(c, t, "customer.followup");
      t += seconds(Rng.uniform(rnd, 1, 3));
      message(
          c, Role.BOT, null, t, talk.pick("bot.answer." + topic, c.language, c.slots, rnd), null);
    }
    Desk desk = c.arm.digital[c.queue];

    if (c.mood == Mood.ANGRY) {
      t += typing(c);
      ConversationEvent angry = customerMessage(c, t, "customer.angry");
      long angryAt = t;
      if (Rng.chance(rnd, b.angerEscalation)) {
        t += seconds(Rng.uniform(rnd, 1, 3));
        message(c, Role.BOT, null, t, talk.pick("bot.handoff", c.language, c.slots, rnd), null);
        handoff(c, t + seconds(Rng.uniform(rnd, 0.5, 2)), HandoffReason.ANGER, desk);
        return;
      }
      // The bot keeps talking: the anger goes unescalated until the customer insists.
      long linger = seconds(Rng.uniform(rnd, 1.2, 3.5) * cfg.violations.unescalatedAngerSeconds);
      while (t < angryAt + linger - 20 * SECOND) {
        t += seconds(Rng.uniform(rnd, 1, 3));
        message(c, Role.BOT, null, t, talk.pick("bot.clarify", c.language, c.slots, rnd), null);
        t += Math.min(typing(c), 30 * SECOND);
        customerMessage(c, t, Rng.chance(rnd, 0.5) ? "customer.angry" : "customer.negative");
      }
      t = Math.max(t, angryAt + linger) + seconds(Rng.uniform(rnd, 1, 5));
      customerMessage(c, t, "customer.ask_human");
      long handoffAt = t + seconds(Rng.uniform(rnd, 1, 3));
      if (handoffAt - angryAt > cfg.violations.unescalatedAngerSeconds * SECOND) {
        truthViolation(
            c,
            angry.getEventId(),
            null,
            QaRuleKind.UNESCALATED_ANGER,
            Long.toString((handoffAt - angryAt) / SECOND),
            angryAt);
      }
      handoff(c, handoffAt, HandoffReason.CUSTOMER_ASKED, desk);
      return;
    }

    double calm = 1 - angryShare;
    double contain = Math.min(1, b.botContainment / calm);
    double drop = Math.min(1 - contain, b.botDrop / calm);
    double u = rnd.nextDouble();
    if (u < contain) {
      t += seconds(Rng.uniform(rnd, 1, 3));
      message(c, Role.BOT, null, t, talk.pick("bot.resolved", c.language, c.slots, rnd), null);
      if (Rng.chance(rnd, 0.7)) {
        t += typing(c);
        customerMessage(c, t, "customer.positive");
      }
      ConversationEvent resolved =
          event(c, EventType.RESOLVED, t + seconds(Rng.uniform(rnd, 0.5, 2)));
      resolved.setResolverRole(ResolverRole.BOT);
      emit(c, resolved);
      long closedAt = t + seconds(Rng.uniform(rnd, 5, 40));
      close(c, closedAt, true, false);
      c.arm.stats.contained++;
    } else if (u < contain + drop) {
      close(c, t + seconds(Rng.uniform(rnd, 60, 300)), false, false);
    } else {
      HandoffReason reason;
      if (Rng.chance(rnd, 0.55)) {
        t += typing(c);
        customerMessage(c, t, "customer.ask_human");
        reason = HandoffReason.CUSTOMER_ASKED;
      } else {
        t += seconds(Rng.uniform(rnd, 1, 3));
        message(c, Role.BOT, null, t, talk.pick("bot.clarify", c.language, c.slots, rnd), null);
        t += typing(c);
        customerMessage(c, t, "customer.followup");
        reason = HandoffReason.BOT_FAILED;
      }
      t += seconds(Rng.uniform(rnd, 1, 3));
      message(c, Role.BOT, null, t, talk.pick("bot.handoff", c.language, c.slots, rnd), null);
      handoff(c, t + seconds(Rng.uniform(rnd, 0.5, 2)), reason, desk);
    }
  }

  private void handoff(Conv c, long at, HandoffReason reason, Desk desk) throws IOException {
    ConversationEvent e = event(c, EventType.HANDOFF_REQUESTED, at);
    e.setQueue(desk.queue);
    e.setReason(reason);
    emit(c, e);
    c.handedOff = true;
    schedule(at, Task.JOIN, c, desk, null, null);
  }

  // --- queues -------------------------------------------------------------------------------

  private void join(Conv c, Desk desk) throws IOException {
    c.legStart = now;
    Waiting w = new Waiting(c, desk);
    if (desk.waiting.isEmpty()) {
      Agent agent = freeAgent(desk);
      if (agent != null) {
        assign(w, agent);
        return;
      }
    }
    desk.waiting.add(w);
    double patience = patienceSeconds(c);
    if (Double.isFinite(patience)) {
      schedule(now + seconds(patience), Task.PATIENCE, c, desk, null, w);
    }
  }

  private double patienceSeconds(Conv c) {
    SimulatorConfig.Patience p = c.arm.behaviour.patience;
    if (c.channel == Channel.EMAIL) {
      return Double.POSITIVE_INFINITY; // e-mail customers do not hang up
    }
    double median = c.channel == Channel.PHONE ? p.voiceMedianSeconds : p.digitalMedianSeconds;
    return Rng.logNormal(c.rnd, median * p.multiplier, p.sigma);
  }

  private void dispatch(Desk desk) throws IOException {
    while (!desk.waiting.isEmpty()) {
      Waiting w = desk.waiting.peek();
      if (w.done) {
        desk.waiting.poll();
        continue;
      }
      Agent agent = freeAgent(desk);
      if (agent == null) {
        return;
      }
      desk.waiting.poll();
      assign(w, agent);
    }
  }

  private Agent freeAgent(Desk desk) {
    int hour = (int) (((now + zoneOffsetMillis) % DAY + DAY) % DAY / HOUR);
    Agent best = null;
    for (Agent a : desk.agents) {
      if (a.free > 0
          && hour >= a.startHour
          && hour < a.endHour
          && (best == null || a.free > best.free)) {
        best = a;
      }
    }
    return best;
  }

  private void abandon(Waiting w) throws IOException {
    if (w.done) {
      return;
    }
    w.done = true;
    Conv c = w.conv;
    long wait = now - c.legStart;
    ArmStats s = c.arm.stats;
    s.legsAbandoned++;
    if (wait < 5 * SECOND) {
      s.legsShortAbandoned++;
    }
    c.totalWait += wait;
    ConversationEvent e = event(c, EventType.ABANDONED, now);
    e.setQueue(w.desk.queue);
    emit(c, e);
    close(c, now + seconds(Rng.uniform(c.rnd, 0.2, 2)), false, true);
  }

  private void assign(Waiting w, Agent agent) throws IOException {
    w.done = true;
    agent.free--;
    Conv c = w.conv;
    SplittableRandom rnd = c.rnd;
    boolean voice = c.channel == Channel.PHONE;
    long at = now + seconds(voice ? Rng.uniform(rnd, 2, 6) : Rng.uniform(rnd, 0.5, 3));
    long wait = at - c.legStart;
    c.totalWait += wait;
    ArmStats s = c.arm.stats;
    s.legsAnswered++;
    s.waitAnsweredSeconds += wait / 1000.0;
    if (wait <= 20 * SECOND) {
      s.answeredWithin20s++;
    }
    if (agent.tier == Tier.EXPERT) {
      c.reachedExpert = true;
    }
    if (wait > 300 * SECOND && c.mood != Mood.ANGRY) {
      c.mood = Mood.ANGRY; // a long wait makes anyone angry
    } else if (wait > 120 * SECOND && c.mood.ordinal() > Mood.NEGATIVE.ordinal()) {
      c.mood = Mood.NEGATIVE;
    }

    ConversationEvent assigned = event(c, EventType.AGENT_ASSIGNED, at);
    assigned.setQueue(w.desk.queue);
    assigned.setAgentId(agent.id);
    assigned.setTier(agent.tier);
    emit(c, assigned);
    operations.add(
        new OperationLogRecord(
            0L,
            Instant.ofEpochMilli(at + seconds(Rng.uniform(rnd, 1, 5))),
            agent.id,
            ActorRole.AGENT,
            OperationAction.VIEW,
            ResourceType.CUSTOMER_RECORD,
            c.customer.id(),
            c.customer.id(),
            c.language.equals("zh") ? "处理客户会话" : "handle conversation",
            c.id,
            Outcome.ALLOWED,
            agent.address,
            1L,
            Map.of()));

    humanPhase(c, agent, at);
  }

  // --- agents -------------------------------------------------------------------------------

  private void humanPhase(Conv c, Agent agent, long at) throws IOException {
    SplittableRandom rnd = c.rnd;
    SimulatorConfig.Behaviour b = c.arm.behaviour;
    boolean voice = c.channel == Channel.PHONE;
    String topic = topic(c);
    c.slots.agent = c.language.equals("zh") ? agent.nameZh : agent.nameEn;
    double turnSeconds = voice ? b.handleTime.voiceTurnSeconds : b.handleTime.digitalTurnSeconds;
    boolean expert = agent.tier == Tier.EXPERT;
    int turns = 1 + Rng.poisson(rnd, Math.max(0, b.handleTime.meanTurns * (expert ? 1.3 : 1) - 1));
    boolean transfer = !expert && Rng.chance(rnd, b.expertTransfer);
    int turnsBeforeTransfer = transfer ? Math.max(1, turns / 2) : turns;

    long t = at + seconds(voice ? Rng.uniform(rnd, 1, 4) : Rng.uniform(rnd, 2, 12));
    ConversationEvent first;
    if (Rng.chance(rnd, cfg.violations.missingGreeting)) {
      first =
          agentMessage(c, agent, t, talk.pick("agent.answer." + topic, c.language, c.slots, rnd));
      truthViolation(c, first.getEventId(), agent.id, QaRuleKind.REQUIRED_PHRASE, "greeting", t);
    } else {
      first = agentMessage(c, agent, t, talk.pick("agent.greeting", c.language, c.slots, rnd));
    }

    for (int turn = 0; turn < turnsBeforeTransfer; turn++) {
      t += typing(c, turnSeconds);
      String kind;
      if (c.piiKind != null && !c.piiMentioned) {
        piiMessage(c, t);
        kind = null;
      } else {
        kind =
            turn == 0 && c.mood == Mood.ANGRY
                ? "customer.angry"
                : turn == 0 && c.reachedExpert
                    ? "customer.opening." + topic
                    : c.mood == Mood.NEGATIVE && Rng.chance(rnd, 0.4)
                        ? "customer.negative"
                        : c.mood == Mood.ANGRY && Rng.chance(rnd, 0.3)
                            ? "customer.angry"
                            : "customer.followup";
        customerMessage(c, t, kind);
      }
      long customerAt = t;
      boolean slow = Rng.chance(rnd, cfg.violations.slowReply);
      double threshold = cfg.violations.slowReplySeconds;
      t +=
          seconds(
              slow
                  ? Rng.uniform(rnd, 1.5, 4) * threshold
                  : voice ? Rng.uniform(rnd, 2, 8) : Rng.uniform(rnd, 0.1, 0.7) * threshold);
      ConversationEvent reply = agentReply(c, agent, t, topic, turn);
      if (slow) {
        truthViolation(
            c,
            reply.getEventId(),
            agent.id,
            QaRuleKind.SLOW_REPLY,
            Long.toString((t - customerAt) / SECOND),
            t);
      }
    }

    if (transfer) {
      t += seconds(voice ? Rng.uniform(rnd, 2, 6) : Rng.uniform(rnd, 5, 20));
      agentMessage(c, agent, t, talk.pick("agent.transfer", c.language, c.slots, rnd));
      long transferAt = t + seconds(Rng.uniform(rnd, 1, 3));
      ConversationEvent e = event(c, EventType.TRANSFERRED, transferAt);
      e.setAgentId(agent.id);
      e.setTargetQueue(c.arm.expert.queue);
      e.setTargetTier(Tier.EXPERT);
      emit(c, e);
      c.arm.stats.humanSeconds += (transferAt - at) / 1000.0;
      release(agent, transferAt + seconds(b.handleTime.wrapUpSeconds / 2));
      schedule(transferAt, Task.JOIN, c, c.arm.expert, null, null);
      return;
    }

    boolean resolved = Rng.chance(rnd, expert ? b.expertResolution : b.agentResolution);
    t += seconds(voice ? Rng.uniform(rnd, 2, 6) : Rng.uniform(rnd, 5, 20));
    if (Rng.chance(rnd, cfg.violations.missingClosing)) {
      ConversationEvent last =
          agentMessage(c, agent, t, talk.pick("agent.followup", c.language, c.slots, rnd));
      truthViolation(c, last.getEventId(), agent.id, QaRuleKind.REQUIRED_PHRASE, "closing", t);
    } else {
      agentMessage(c, agent, t, talk.pick("agent.closing", c.language, c.slots, rnd));
    }
    if (Rng.chance(rnd, resolved ? 0.6 : 0.5)) {
      t += typing(c, turnSeconds);
      customerMessage(c, t, resolved ? "customer.positive" : "customer.negative");
    }
    if (resolved) {
      ConversationEvent e = event(c, EventType.RESOLVED, t + seconds(Rng.uniform(rnd, 0.5, 3)));
      e.setResolverRole(ResolverRole.AGENT);
      emit(c, e);
    }
    long closedAt = t + seconds(Rng.uniform(rnd, 3, 20));
    c.arm.stats.humanSeconds += (closedAt - at) / 1000.0;
    close(c, closedAt, resolved, false);
    release(agent, closedAt + seconds(b.handleTime.wrapUpSeconds));
  }

  private ConversationEvent agentReply(Conv c, Agent agent, long t, String topic, int turn)
      throws IOException {
    SplittableRandom rnd = c.rnd;
    if (c.phoneMentioned && !c.phoneRepeated && Rng.chance(rnd, cfg.violations.repeatPhone)) {
      c.phoneRepeated = true;
      ConversationEvent e =
          agentMessage(c, agent, t, talk.pick("violations.pii_repeat", c.language, c.slots, rnd));
      truthViolation(c, e.getEventId(), agent.id, QaRuleKind.SENSITIVE_DATA, c.slots.phone, t);
      return e;
    }
    if (Rng.chance(rnd, agent.violationRate)) {
      String kind = violationKinds[Rng.pick(rnd, violationCumulative)];
      PhraseBank.Violation v = talk.violation(kind, c.language, rnd);
      ConversationEvent e = agentMessage(c, agent, t, v.text());
      truthViolation(c, e.getEventId(), agent.id, ruleKind(kind), v.phrase(), t);
      return e;
    }
    String path = turn % 3 == 1 ? "agent.followup" : "agent.answer." + topic;
    return agentMessage(c, agent, t, talk.pick(path, c.language, c.slots, rnd));
  }

  private static QaRuleKind ruleKind(String kind) {
    switch (kind) {
      case "forbidden":
        return QaRuleKind.FORBIDDEN_PHRASE;
      case "promise":
        return QaRuleKind.UNKEPT_PROMISE;
      case "jargon":
        return QaRuleKind.JARGON;
      case "hidden_process":
        return QaRuleKind.HIDDEN_PROCESS;
      default:
        throw new IllegalArgumentException("unknown violation kind " + kind);
    }
  }

  private void release(Agent agent, long at) {
    schedule(at, Task.RELEASE, null, agent.desk, agent, null);
  }

  // --- ending -------------------------------------------------------------------------------

  private void close(Conv c, long at, boolean resolved, boolean abandoned) throws IOException {
    emit(c, event(c, EventType.CLOSED, at));
    ArmStats s = c.arm.stats;
    s.closed++;
    if (c.channel != Channel.PHONE) {
      s.botEntryClosed++;
    }
    if (c.handedOff) {
      s.handedOff++;
    }
    if (c.reachedExpert) {
      s.reachedExpert++;
    }
    if (resolved) {
      s.resolved++;
    }
    survey(c, at, resolved, abandoned);
  }

  private void survey(Conv c, long closedAt, boolean resolved, boolean abandoned)
      throws IOException {
    SplittableRandom rnd = c.rnd;
    SimulatorConfig.Surveys cfgSurveys = cfg.surveys;
    double rate = cfgSurveys.responseRate.getOrDefault(c.channel, cfgSurveys.defaultResponseRate);
    if (!Rng.chance(rnd, abandoned ? rate * 0.3 : rate)) {
      return;
    }
    double latent =
        cfgSurveys.baseCsat
            + (resolved ? 0.6 : -1.2)
            - Math.min(c.totalWait / 1000.0 / 180.0, 1.2)
            + (c.mood == Mood.ANGRY
                ? -1.0
                : c.mood == Mood.NEGATIVE ? -0.4 : c.mood == Mood.POSITIVE ? 0.3 : 0)
            + c.arm.behaviour.csatShift
            + 0.6 * Rng.normal(rnd);
    int csat = (int) Math.max(1, Math.min(5, Math.round(latent)));
    int nps = (int) Math.max(0, Math.min(10, Math.round(2 * csat - 0.5 + 1.2 * Rng.normal(rnd))));
    double u = rnd.nextDouble();
    boolean withCsat = u >= cfgSurveys.npsOnly;
    boolean withNps = u < cfgSurveys.npsOnly || u >= cfgSurveys.npsOnly + cfgSurveys.csatOnly;
    double delayMinutes =
        rnd.nextDouble() < 0.7
            ? Rng.uniform(rnd, 0.5, 10)
            : rnd.nextDouble() < 0.83
                ? Rng.uniform(rnd, 10, 24 * 60)
                : Rng.uniform(rnd, 24 * 60, 3 * 24 * 60);
    ConversationEvent e =
        event(c, EventType.SURVEY_SUBMITTED, closedAt + seconds(delayMinutes * 60));
    ArmStats s = c.arm.stats;
    s.surveys++;
    if (withCsat) {
      e.setCsat(csat);
      s.csatCount++;
      s.csatSum += csat;
      if (csat >= 4) {
        s.csatTop2++;
      }
    }
    if (withNps) {
      e.setNps(nps);
      s.npsCount++;
      if (nps >= 9) {
        s.promoters++;
      } else if (nps <= 6) {
        s.detractors++;
      }
    }
    emit(c, e);
  }

  // --- messages -----------------------------------------------------------------------------

  private ConversationEvent customerMessage(Conv c, long t, String path) throws IOException {
    String text = talk.pick(path, c.language, c.slots, c.rnd);
    if (Rng.chance(c.rnd, cfg.messages.mixedLanguage)) {
      String other = c.language.equals("zh") ? "en" : "zh";
      text = text + " " + talk.pick("customer.followup", other, c.slots, c.rnd);
    }
    return message(c, Role.CUSTOMER, null, t, text, path);
  }

  private void piiMessage(Conv c, long t) throws IOException {
    c.piiMentioned = true;
    String kind = c.piiKind;
    ConversationEvent e = customerMessage(c, t, "customer.pii." + kind);
    if (kind.equals("phone")) {
      c.phoneMentioned = true;
    }
    String written;
    String value;
    switch (kind) {
      case "phone":
        written = c.slots.phone;
        value = c.customer.person().phone();
        break;
      case "email":
        written = c.slots.email;
        value = written;
        break;
      case "id_number":
        written = c.slots.idNumber;
        value = written;
        break;
      case "card":
        written = c.slots.card;
        value = written;
        break;
      default:
        written = c.slots.name;
        value = written;
        break;
    }
    out.truth(
        "pii.jsonl",
        new GroundTruth.Pii(c.customer.id(), kind, value, written, c.id, e.getEventId()));
  }

  private ConversationEvent agentMessage(Conv c, Agent agent, long t, String text)
      throws IOException {
    return message(c, Role.AGENT, agent.id, t, text, null);
  }

  private ConversationEvent message(
      Conv c, Role role, String agentId, long t, String text, String path) throws IOException {
    ConversationEvent e = event(c, EventType.MESSAGE, t);
    e.setRole(role);
    e.setText(text);
    e.setLanguage(c.language);
    e.setAgentId(agentId);
    if (role == Role.CUSTOMER && cfg.messages.includeScores) {
      scores(e, path, c);
    }
    emit(c, e);
    return e;
  }

  /** The simulator's own scores for a customer message, as an upstream NLU would attach. */
  private static void scores(ConversationEvent e, String path, Conv c) {
    SplittableRandom rnd = c.rnd;
    double sentiment;
    double anger;
    if (path.equals("customer.angry")) {
      sentiment = Rng.uniform(rnd, -1, -0.65);
      anger = Rng.uniform(rnd, 0.8, 1);
    } else if (path.equals("customer.negative")) {
      sentiment = Rng.uniform(rnd, -0.75, -0.35);
      anger = Rng.uniform(rnd, 0.15, 0.55);
    } else if (path.equals("customer.positive")) {
      sentiment = Rng.uniform(rnd, 0.45, 0.95);
      anger = Rng.uniform(rnd, 0, 0.05);
    } else if (c.mood == Mood.NEGATIVE || c.mood == Mood.ANGRY) {
      sentiment = Rng.uniform(rnd, -0.6, -0.2);
      anger = Rng.uniform(rnd, 0.1, 0.5);
    } else {
      sentiment = Rng.uniform(rnd, -0.15, 0.25);
      anger = Rng.uniform(rnd, 0, 0.2);
    }
    e.setSentiment(Rng.round3(sentiment));
    e.setAnger(Rng.round3(anger));
  }

  private ConversationEvent event(Conv c, EventType type, long t) {
    ConversationEvent e = new ConversationEvent();
    e.setEventId(c.nextEventId());
    e.setConversationId(c.id);
    e.setEventType(type);
    e.setEventTime(Instant.ofEpochMilli(t));
    e.setTenant(cfg.tenant);
    e.setAttributes(Map.of());
    return e;
  }

  private void emit(Conv c, ConversationEvent e) throws IOException {
    emitter.emit(e, c.rnd);
  }

  private void truthViolation(
      Conv c, String messageId, String agentId, QaRuleKind kind, String detail, long t)
      throws IOException {
    out.truth(
        "violations.jsonl",
        new GroundTruth.Violation(c.id, messageId, agentId, kind.name(), detail, t, c.language));
  }

  /** The phrase-bank topic of a conversation: its queue when that is a known topic. */
  private String topic(Conv c) {
    String queue = queueNames[c.queue];
    for (String topic : Dialogues.TOPICS) {
      if (topic.equals(queue)) {
        return topic;
      }
    }
    return Dialogues.TOPICS[c.queue % Dialogues.TOPICS.length];
  }

  private long typing(Conv c) {
    return typing(c, c.arm.behaviour.handleTime.digitalTurnSeconds);
  }

  private static long typing(Conv c, double turnSeconds) {
    double s = Rng.logNormal(c.rnd, turnSeconds * 0.7, 0.5);
    return seconds(Math.max(3, Math.min(s, 5 * turnSeconds)));
  }

  private static long seconds(double s) {
    return Math.round(s * 1000);
  }

  Arm[] arms() {
    return arms;
  }

  /** Progress callback: simulated time reached and events written so far. */
  interface Progress {
    void update(long simulatedMillis, long events);
  }
}
