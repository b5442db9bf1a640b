package io.kefu.core.kpi;

import io.kefu.schemas.QaRuleKind;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

  /** Every metric name, in the order of {@link #metrics} and {@link #values}. */
  public static final List<String> METRICS =
      List.copyOf(new KpiAccumulator().metrics(KpiSettings.defaults()).keySet());

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
    long countedAbandons = s.includeShortAbandons() ? abandoned : abandoned - shortAbandoned;
    long denominator = answered + countedAbandons;
    m.put("offered", (double) (answered + abandoned + flowOut));
    m.put("answered", (double) answered);
    m.put("abandoned", (double) abandoned);
    m.put("short_abandoned", (double) shortAbandoned);
    m.put("flow_out", (double) flowOut);
    m.put("connect_rate", ratio(answered, denominator));
    m.put("abandon_rate", ratio(countedAbandons, denominator));
    m.put("asa_seconds", mean(waitSumAnswered / 1000.0, answered));
    m.put("wait_p50_seconds", quantile(waits, 0.5, answered));
    m.put("wait_p90_seconds", quantile(waits, 0.9, answered));
    m.put("wait_max_seconds", answered > 0 && !Double.isNaN(waitMax) ? waitMax : null);
    m.put("service_level", ratio(answeredWithinLevel, denominator));
    m.put("closed", (double) closed);
    m.put("handed_off", (double) handedOff);
    m.put("reached_expert", (double) reachedExpert);
    m.put("resolved", (double) resolved);
    m.put("resolution_rate", ratio(resolved, closed));
    m.put("bot_containment_rate", ratio(contained, botEntryClosed));
    m.put("transfer_rate", ratio(handedOff, closed));
    m.put("expert_rate", ratio(reachedExpert, closed));
    m.put("ttr_mean_seconds", mean(ttrSum / 1000.0, ttrCount));
    m.put("ttr_p50_seconds", quantile(ttrs, 0.5, ttrCount));
    m.put("ttr_p90_seconds", quantile(ttrs, 0.9, ttrCount));
    m.put("frt_mean_seconds", mean(frtSum / 1000.0, frtCount));
    m.put("aht_mean_seconds", mean(ahtSum / 1000.0, ahtCount));
    m.put("human_frt_mean_seconds", mean(firstResponseSum / 1000.0, firstResponseCount));
    m.put("sentiment_change_mean", mean(sentimentChangeSum / 1e12, sentimentChangeCount));
    m.put("surveys", (double) surveys);
    m.put("csat_mean", mean(csatSum, csatCount));
    m.put("csat_top2", ratio(csatTop2, csatCount));
    m.put("nps", npsCount == 0 ? null : 100.0 * (promoters - detractors) / npsCount);
    m.put("customer_messages", (double) customerMessages);
    m.put("sentiment_mean", mean(sentimentSum / 1e12, scoredMessages));
    m.put("negative_share", ratio(negative, scoredMessages));
    m.put("anger_count", (double) angerEvents);
    m.put("qa_inspected", (double) qaInspected);
    m.put("qa_score_mean", mean(qaScoreSum / 1e12, qaInspected));
    long violations = 0;
    for (long v : qaViolations) {
      violations += v;
    }
    m.put("qa_violations", (double) violations);
    for (QaRuleKind kind : RULE_KINDS) {
      m.put(
          "qa_violations_" + kind.name().toLowerCase(Locale.ROOT),
          (double) qaViolations[kind.ordinal()]);
    }
    return m;
  }

  /**
   * Every metric as an array aligned with {@link #METRICS}, {@code NaN} where the value is
   * undefined; for the agent dimension only {@link #AGENT_METRICS} are filled.
   */
  public double[] values(KpiSettings s, boolean agent) {
    Map<String, Double> all = metrics(s);
    double[] v = new double[METRICS.size()];
    for (int i = 0; i < v.length; i++) {
      String name = METRICS.get(i);
      Double d = agent && !AGENT_METRICS.contains(name) ? null : all.get(name);
      v[i] = d == null ? Double.NaN : d;
    }
    return v;
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

  private static Double ratio(long a, long b) {
    return b == 0 ? null : (double) a / b;
  }

  private static Double mean(double sum, long count) {
    return count == 0 ? null : sum / count;
  }

  private static Double quantile(Quantiles quantiles, double q, long count) {
    return count <= 0 ? null : quantiles.at(q);
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
