package io.kefu.core.kpi;

import java.util.Objects;

/**
 * One countable thing that happened in a conversation, attributed to the time of the event that
 * completes it (KPIS.md): a queue leg at its answer or abandon, a conversation at CLOSED, a survey
 * at SURVEY_SUBMITTED, a customer message at its time, an agent's first response at that message. A
 * fact with {@code sign = -1} retracts one emitted earlier (a late event changed it).
 *
 * <p>A plain mutable class with public fields so that stream processors can ship it cheaply; absent
 * numbers are {@code NaN} (doubles) or {@code -1} (survey scores).
 */
public final class Fact {

  /** What a fact counts. */
  public enum Kind {
    LEG,
    CONVERSATION,
    SURVEY,
    MESSAGE,
    FIRST_RESPONSE,
    /** A conversation's quality inspection, at its close: overall, channel, queue, variant. */
    QA,
    /** One agent's share of a conversation's quality inspection: the agent dimension only. */
    AGENT_QA
  }

  /** How a queue leg ended. */
  public enum LegOutcome {
    ANSWERED,
    ABANDONED,
    FLOW_OUT
  }

  public Kind kind;
  public int sign = 1;
  public long time;
  public String id;
  public String tenant;
  public String conversationId;
  public String channel;
  public String queue;
  public String variant;
  public String agent;

  // LEG
  public LegOutcome outcome;
  public double waitSeconds = Double.NaN;

  // CONVERSATION
  public boolean botEntry;
  public boolean handedOff;
  public boolean reachedExpert;
  public boolean resolved;
  public boolean contained;
  public double ttrSeconds = Double.NaN;
  public double frtSeconds = Double.NaN;
  public double ahtSeconds = Double.NaN;
  public double sentimentChange = Double.NaN;

  // SURVEY
  public int csat = -1;
  public int nps = -1;

  // MESSAGE
  public double sentiment = Double.NaN;
  public double anger = Double.NaN;

  // FIRST_RESPONSE (human first response of a leg)
  public double firstResponseSeconds = Double.NaN;

  // QA, AGENT_QA: the score and the violations by rule kind (indexed by QaRuleKind ordinal)
  public double qaScore = Double.NaN;
  public int[] qaViolations;

  public Fact() {}

  /** A copy with the opposite sign, to retract this fact. */
  public Fact retraction() {
    Fact f = copy();
    f.sign = -sign;
    return f;
  }

  public Fact copy() {
    Fact f = new Fact();
    f.kind = kind;
    f.sign = sign;
    f.time = time;
    f.id = id;
    f.tenant = tenant;
    f.conversationId = conversationId;
    f.channel = channel;
    f.queue = queue;
    f.variant = variant;
    f.agent = agent;
    f.outcome = outcome;
    f.waitSeconds = waitSeconds;
    f.botEntry = botEntry;
    f.handedOff = handedOff;
    f.reachedExpert = reachedExpert;
    f.resolved = resolved;
    f.contained = contained;
    f.ttrSeconds = ttrSeconds;
    f.frtSeconds = frtSeconds;
    f.ahtSeconds = ahtSeconds;
    f.sentimentChange = sentimentChange;
    f.csat = csat;
    f.nps = nps;
    f.sentiment = sentiment;
    f.anger = anger;
    f.firstResponseSeconds = firstResponseSeconds;
    f.qaScore = qaScore;
    f.qaViolations = qaViolations == null ? null : qaViolations.clone();
    return f;
  }

  /**
   * Same content, ignoring the sign: a re-computed fact equal to the emitted one needs no update.
   */
  public boolean sameAs(Fact o) {
    return kind == o.kind
        && time == o.time
        && Objects.equals(id, o.id)
        && Objects.equals(tenant, o.tenant)
        && Objects.equals(channel, o.channel)
        && Objects.equals(queue, o.queue)
        && Objects.equals(variant, o.variant)
        && Objects.equals(agent, o.agent)
        && outcome == o.outcome
        && same(waitSeconds, o.waitSeconds)
        && botEntry == o.botEntry
        && handedOff == o.handedOff
        && reachedExpert == o.reachedExpert
        && resolved == o.resolved
        && contained == o.contained
        && same(ttrSeconds, o.ttrSeconds)
        && same(frtSeconds, o.frtSeconds)
        && same(ahtSeconds, o.ahtSeconds)
        && same(sentimentChange, o.sentimentChange)
        && csat == o.csat
        && nps == o.nps
        && same(sentiment, o.sentiment)
        && same(anger, o.anger)
        && same(firstResponseSeconds, o.firstResponseSeconds)
        && same(qaScore, o.qaScore)
        && java.util.Arrays.equals(qaViolations, o.qaViolations);
  }

  private static boolean same(double a, double b) {
    return Double.compare(a, b) == 0;
  }

  @Override
  public String toString() {
    return (sign < 0 ? "-" : "+")
        + kind
        + "["
        + id
        + " @"
        + time
        + " "
        + channel
        + "/"
        + queue
        + "/"
        + agent
        + "]";
  }
}
