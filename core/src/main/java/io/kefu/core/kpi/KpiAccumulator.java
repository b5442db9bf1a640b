package io.kefu.core.kpi;

import io.kefu.schemas.QaRuleKind;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ObjDoubleConsumer;

/**
 * Running totals of one window and dimension value, from which every metric of KPIS.md is read.
 * Facts are added as they arrive (incremental aggregation) and retracted with {@code sign = -1};
 * counts and sums are exact. Wait and resolution-time quantiles come from mergeable KLL sketches
 * (Apache DataSketches, k = 200: about 1.3 % normalised rank error); a sketch cannot forget a
 * value, so a retraction leaves quantiles as they were — retractions change a fact's flags far more
 * often than its durations (a late RESOLVED adds a resolution time, it does not replace one).
 */
public final class KpiAccumulator {

  /** Relative accuracy of quantiles: the value returned is within 1 % of a value of that rank. */
  public static final double QUANTILE_ACCURACY = 0.01;

  /** Metrics shown for the agent dimension (KPIS.md, agent metrics). */
  public static final List<String> AGENT_METRICS =
      List.of(
          "answered",
          "closed",
          "resolved",
          "resolution_rate",
          "aht_mean_seconds",
          "human_frt_mean_seconds",
          "surveys",
          "csat_mean",
          "csat_top2",
          "nps",
          "qa_inspected",
          "qa_score_mean",
          "qa_violations",
          "qa_violations_forbidden_phrase",
          "qa_violations_required_phrase",
          "qa_violations_unkept_promise",
          "qa_violations_jargon",
          "qa_violations_hidden_process",
          "qa_violations_slow_reply",
          "qa_violations_unescalated_anger",
          "qa_violations_sensitive_data");

  /** Rule kinds, in the order of their {@code qa_violations_<kind>} metrics. */
  private static final QaRuleKind[] RULE_KINDS = QaRuleKind.values();

  /** The {@code qa_violations_<kind>} metric names, by rule kind. */
  private static final String[] RULE_METRICS =
      java.util.Arrays.stream(RULE_KINDS)
          .map(k -> "qa_violations_" + k.name().toLowerCase(Locale.ROOT))
          .toArray(String[]::new);

  /** Every metric name, in the order of {@link #metrics} and {@link #values}. */
  public static final List<String> METRICS =
      List.copyOf(new KpiAccumulator().metrics(KpiSettings.defaults()).keySet());

  /** Whether each of {@link #METRICS} is an agent metric. */
  private static final boolean[] AGENT_INDEX = agentIndex();

  private static boolean[] agentIndex() {
    boolean[] agent = new boolean[METRICS.size()];
    for (int i = 0; i < agent.length; i++) {
      agent[i] = AGENT_METRICS.contains(METRICS.get(i));
    }
    return agent;
  }

  // queue legs
  long answered;
  long abandoned;
  long shortAbandoned;
  long flowOut;
  long waitSumAnswered; // milliseconds
  long answeredWithinLevel;
  double waitMax = Double.NaN;
  final Quantiles waits;

  // conversations
  long closed;
  long botEntryClosed;
  long contained;
  long handedOff;
  long reachedExpert;
  long resolved;
  long ttrSum; // milliseconds
  long ttrCount;
  final Quantiles ttrs;
  long frtSum; // milliseconds
  long frtCount;
  long ahtSum; // milliseconds
  long ahtCount;
  long sentimentChangeSum; // units of 1e-12
  long sentimentChangeCount;

  // surveys
  long surveys;
  long csatCount;
  long csatSum;
  long csatTop2;
  long npsCount;
  long promoters;
  long detractors;

  // customer messages
  long customerMessages;
  long scoredMessages;
  long sentimentSum; // units of 1e-12
  long negative;
  long angerEvents;

  // human first responses
  long firstResponseSum; // milliseconds
  long firstResponseCount;

  // quality inspection: conversations (or, in the agent dimension, agents' shares) inspected
  long qaInspected;
  long qaScoreSum; // units of 1e-12
  final long[] qaViolations = new long[RULE_KINDS.length];

  public KpiAccumulator() {
    this(new Quantiles(), new Quantiles());
  }

  private KpiAccumulator(Quantiles waits, Quantiles ttrs) {
    this.waits = waits;
    this.ttrs = ttrs;
  }

  /** Adds (or, with {@code sign = -1}, retracts) one fact. */
  public void add(Fact f, KpiSettings s) {
    int n = f.sign;
    switch (f.kind) {
      case LEG:
        switch (f.outcome) {
          case ANSWERED:
            answered += n;
            waitSumAnswered += n * millis(f.waitSeconds);
            if (f.waitSeconds <= s.serviceLevelSeconds()) {
              answeredWithinLevel += n;
            }
            waits.add(f.waitSeconds, n);
            if (n > 0) {
              waitMax = Double.isNaN(waitMax) ? f.waitSeconds : Math.max(waitMax, f.waitSeconds);
            }
            break;
          case ABANDONED:
            abandoned += n;
            if (f.waitSeconds < s.shortAbandonSeconds()) {
              shortAbandoned += n;
            }
            break;
          case FLOW_OUT:
            flowOut += n;
            break;
          default:
            throw new IllegalArgumentException("leg outcome " + f.outcome);
        }
        break;
      case CONVERSATION:
        closed += n;
        if (f.botEntry) {
          botEntryClosed += n;
        }
        contained += f.contained ? n : 0;
        handedOff += f.handedOff ? n : 0;
        reachedExpert += f.reachedExpert ? n : 0;
        resolved += f.resolved ? n : 0;
        if (!Double.isNaN(f.ttrSeconds)) {
          ttrSum += n * millis(f.ttrSeconds);
          ttrCount += n;
          ttrs.add(f.ttrSeconds, n);
        }
        if (!Double.isNaN(f.frtSeconds)) {
          frtSum += n * millis(f.frtSeconds);
          frtCount += n;
        }
        if (!Double.isNaN(f.ahtSeconds)) {
          ahtSum += n * millis(f.ahtSeconds);
          ahtCount += n;
        }
        if (!Double.isNaN(f.sentimentChange)) {
          sentimentChangeSum += n * pico(f.sentimentChange);
          sentimentChangeCount += n;
        }
        break;
      case SURVEY:
        surveys += n;
        if (f.csat >= 1) {
          csatCount += n;
          csatSum += (long) n * f.csat;
          if (f.csat >= 4) {
            csatTop2 += n;
          }
        }
        if (f.nps >= 0) {
          npsCount += n;
          if (f.nps >= 9) {
            promoters += n;
          } else if (f.nps <= 6) {
            detractors += n;
          }
        }
        break;
      case MESSAGE:
        customerMessages += n;
        if (!Double.isNaN(f.sentiment)) {
          scoredMessages += n;
          sentimentSum += n * pico(f.sentiment);
          if (f.sentiment <= s.negativeThreshold()) {
            negative += n;
          }
        }
        if (!Double.isNaN(f.anger) && f.anger >= s.angerThreshold()) {
          angerEvents += n;
        }
        break;
      case FIRST_RESPONSE:
        firstResponseSum += n * millis(f.firstResponseSeconds);
        firstResponseCount += n;
        break;
      case QA:
      case AGENT_QA:
        qaInspected += n;
        qaScoreSum += n * pico(f.qaScore);
        if (f.qaViolations != null) {
          for (int i = 0; i < qaViolations.length && i < f.qaViolations.length; i++) {
            qaViolations[i] += (long) n * f.qaViolations[i];
          }
        }
        break;
      default:
        throw new IllegalArgumentException("fact kind " + f.kind);
    }
  }

  /** True when nothing has been counted (everything added was retracted, or nothing came). */
  public boolean isEmpty() {
    return answered == 0
        && abandoned == 0
        && flowOut == 0
        && closed == 0
        && surveys == 0
        && customerMessages == 0
        && firstResponseCount == 0
        && qaInspected == 0;
  }

  /**
   * Every metric by its snake_case name, in a stable order; a rate or mean whose denominator is 0
   * is {@code null} (KPIS.md). Durations are seconds.
   */
  public Map<String, Double> metrics(KpiSettings s) {
    Map<String, Double> m = new LinkedHashMap<>();
    write(s, (name, value) -> m.put(name, Double.isNaN(value) ? null : value));
    return m;
  }

  /**
   * Every metric as an array aligned with {@link #METRICS}, {@code NaN} where the value is
   * undefined; for the agent dimension only {@link #AGENT_METRICS} are filled.
   */
  public double[] values(KpiSettings s, boolean agent) {
    double[] v = new double[METRICS.size()];
    int[] next = {0};
    write(s, (name, value) -> v[next[0]++] = value);
    if (agent) {
      for (int i = 0; i < v.length; i++) {
        if (!AGENT_INDEX[i]) {
          v[i] = Double.NaN;
        }
      }
    }
    return v;
  }

  /**
   * The one definition of every metric: hands each name and value to {@code out}, in the order of
   * {@link #METRICS}; {@code NaN} for a rate or mean whose denominator is 0.
   */
  private void write(KpiSettings s, ObjDoubleConsumer<String> out) {
    long countedAbandons = s.includeShortAbandons() ? abandoned : abandoned - shortAbandoned;
    long denominator = answered + countedAbandons;
    out.accept("offered", (double) (answered + abandoned + flowOut));
    out.accept("answered", (double) answered);
    out.accept("abandoned", (double) abandoned);
    out.accept("short_abandoned", (double) shortAbandoned);
    out.accept("flow_out", (double) flowOut);
    out.accept("connect_rate", ratio(answered, denominator));
    out.accept("abandon_rate", ratio(countedAbandons, denominator));
    out.accept("asa_seconds", mean(waitSumAnswered / 1000.0, answered));
    out.accept("wait_p50_seconds", quantile(waits, 0.5, answered));
    out.accept("wait_p90_seconds", quantile(waits, 0.9, answered));
    out.accept("wait_max_seconds", answered > 0 ? waitMax : Double.NaN);
    out.accept("service_level", ratio(answeredWithinLevel, denominator));
    out.accept("closed", (double) closed);
    out.accept("handed_off", (double) handedOff);
    out.accept("reached_expert", (double) reachedExpert);
    out.accept("resolved", (double) resolved);
    out.accept("resolution_rate", ratio(resolved, closed));
    out.accept("bot_containment_rate", ratio(contained, botEntryClosed));
    out.accept("transfer_rate", ratio(handedOff, closed));
    out.accept("expert_rate", ratio(reachedExpert, closed));
    out.accept("ttr_mean_seconds", mean(ttrSum / 1000.0, ttrCount));
    out.accept("ttr_p50_seconds", quantile(ttrs, 0.5, ttrCount));
    out.accept("ttr_p90_seconds", quantile(ttrs, 0.9, ttrCount));
    out.accept("frt_mean_seconds", mean(frtSum / 1000.0, frtCount));
    out.accept("aht_mean_seconds", mean(ahtSum / 1000.0, ahtCount));
    out.accept("human_frt_mean_seconds", mean(firstResponseSum / 1000.0, firstResponseCount));
    out.accept("sentiment_change_mean", mean(sentimentChangeSum / 1e12, sentimentChangeCount));
    out.accept("surveys", (double) surveys);
    out.accept("csat_mean", mean(csatSum, csatCount));
    out.accept("csat_top2", ratio(csatTop2, csatCount));
    out.accept("nps", npsCount == 0 ? Double.NaN : 100.0 * (promoters - detractors) / npsCount);
    out.accept("customer_messages", (double) customerMessages);
    out.accept("sentiment_mean", mean(sentimentSum / 1e12, scoredMessages));
    out.accept("negative_share", ratio(negative, scoredMessages));
    out.accept("anger_count", (double) angerEvents);
    out.accept("qa_inspected", (double) qaInspected);
    out.accept("qa_score_mean", mean(qaScoreSum / 1e12, qaInspected));
    long violations = 0;
    for (long v : qaViolations) {
      violations += v;
    }
    out.accept("qa_violations", (double) violations);
    for (QaRuleKind kind : RULE_KINDS) {
      out.accept(RULE_METRICS[kind.ordinal()], (double) qaViolations[kind.ordinal()]);
    }
  }

  /** The agent dimension's subset of {@link #metrics}. */
  public Map<String, Double> agentMetrics(KpiSettings s) {
    Map<String, Double> all = metrics(s);
    Map<String, Double> m = new LinkedHashMap<>();
    for (String name : AGENT_METRICS) {
      m.put(name, all.get(name));
    }
    return m;
  }

  /**
   * Durations are differences of millisecond timestamps, so they are summed exactly in integer
   * milliseconds, and scores in integer units of 1e-12: totals do not depend on the order facts
   * arrive in, and a replay after a failure gives the very same numbers.
   */
  private static long millis(double seconds) {
    return Math.round(seconds * 1000);
  }

  private static long pico(double x) {
    return Math.round(x * 1e12);
  }

  private static double ratio(long a, long b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  private static double mean(double sum, long count) {
    return count == 0 ? Double.NaN : sum / count;
  }

  private static double quantile(Quantiles quantiles, double q, long count) {
    return count <= 0 ? Double.NaN : quantiles.at(q);
  }

  /** Adds another accumulator's totals (both windows' facts, as if added here). */
  public void merge(KpiAccumulator o) {
    answered += o.answered;
    abandoned += o.abandoned;
    shortAbandoned += o.shortAbandoned;
    flowOut += o.flowOut;
    waitSumAnswered += o.waitSumAnswered;
    answeredWithinLevel += o.answeredWithinLevel;
    if (!Double.isNaN(o.waitMax)) {
      waitMax = Double.isNaN(waitMax) ? o.waitMax : Math.max(waitMax, o.waitMax);
    }
    waits.merge(o.waits);
    closed += o.closed;
    botEntryClosed += o.botEntryClosed;
    contained += o.contained;
    handedOff += o.handedOff;
    reachedExpert += o.reachedExpert;
    resolved += o.resolved;
    ttrSum += o.ttrSum;
    ttrCount += o.ttrCount;
    ttrs.merge(o.ttrs);
    frtSum += o.frtSum;
    frtCount += o.frtCount;
    ahtSum += o.ahtSum;
    ahtCount += o.ahtCount;
    sentimentChangeSum += o.sentimentChangeSum;
    sentimentChangeCount += o.sentimentChangeCount;
    surveys += o.surveys;
    csatCount += o.csatCount;
    csatSum += o.csatSum;
    csatTop2 += o.csatTop2;
    npsCount += o.npsCount;
    promoters += o.promoters;
    detractors += o.detractors;
    customerMessages += o.customerMessages;
    scoredMessages += o.scoredMessages;
    sentimentSum += o.sentimentSum;
    negative += o.negative;
    angerEvents += o.angerEvents;
    firstResponseSum += o.firstResponseSum;
    firstResponseCount += o.firstResponseCount;
    qaInspected += o.qaInspected;
    qaScoreSum += o.qaScoreSum;
    for (int i = 0; i < qaViolations.length; i++) {
      qaViolations[i] += o.qaViolations[i];
    }
  }

  // --- serialisation (for stream-processor state) -------------------------------------------

  private static final int FORMAT = 4;

  public void writeTo(DataOutput out) throws IOException {
    out.writeByte(FORMAT);
    long[] longs = {
      answered,
      abandoned,
      shortAbandoned,
      flowOut,
      answeredWithinLevel,
      closed,
      botEntryClosed,
      contained,
      handedOff,
      reachedExpert,
      resolved,
      ttrCount,
      frtCount,
      ahtCount,
      sentimentChangeCount,
      surveys,
      csatCount,
      csatSum,
      csatTop2,
      npsCount,
      promoters,
      detractors,
      customerMessages,
      scoredMessages,
      negative,
      angerEvents,
      firstResponseCount,
      waitSumAnswered,
      ttrSum,
      frtSum,
      ahtSum,
      sentimentChangeSum,
      sentimentSum,
      firstResponseSum,
      qaInspected,
      qaScoreSum
    };
    for (long v : longs) {
      out.writeLong(v);
    }
    out.writeByte(qaViolations.length);
    for (long v : qaViolations) {
      out.writeLong(v);
    }
    out.writeDouble(waitMax);
    writeSketch(out, waits);
    writeSketch(out, ttrs);
  }

  public static KpiAccumulator readFrom(DataInput in) throws IOException {
    int format = in.readByte();
    if (format != FORMAT) {
      throw new IOException("unknown KPI accumulator format " + format);
    }
    long[] l = new long[36];
    for (int i = 0; i < l.length; i++) {
      l[i] = in.readLong();
    }
    long[] qa = new long[in.readByte()];
    for (int i = 0; i < qa.length; i++) {
      qa[i] = in.readLong();
    }
    double waitMax = in.readDouble();
    KpiAccumulator a = new KpiAccumulator(readSketch(in), readSketch(in));
    a.answered = l[0];
    a.abandoned = l[1];
    a.shortAbandoned = l[2];
    a.flowOut = l[3];
    a.answeredWithinLevel = l[4];
    a.closed = l[5];
    a.botEntryClosed = l[6];
    a.contained = l[7];
    a.handedOff = l[8];
    a.reachedExpert = l[9];
    a.resolved = l[10];
    a.ttrCount = l[11];
    a.frtCount = l[12];
    a.ahtCount = l[13];
    a.sentimentChangeCount = l[14];
    a.surveys = l[15];
    a.csatCount = l[16];
    a.csatSum = l[17];
    a.csatTop2 = l[18];
    a.npsCount = l[19];
    a.promoters = l[20];
    a.detractors = l[21];
    a.customerMessages = l[22];
    a.scoredMessages = l[23];
    a.negative = l[24];
    a.angerEvents = l[25];
    a.firstResponseCount = l[26];
    a.waitSumAnswered = l[27];
    a.ttrSum = l[28];
    a.frtSum = l[29];
    a.ahtSum = l[30];
    a.sentimentChangeSum = l[31];
    a.sentimentSum = l[32];
    a.firstResponseSum = l[33];
    a.qaInspected = l[34];
    a.qaScoreSum = l[35];
    System.arraycopy(qa, 0, a.qaViolations, 0, Math.min(qa.length, a.qaViolations.length));
    a.waitMax = waitMax;
    return a;
  }

  private static void writeSketch(DataOutput out, Quantiles q) throws IOException {
    q.writeTo(out);
  }

  private static Quantiles readSketch(DataInput in) throws IOException {
    return Quantiles.readFrom(in);
  }
}
