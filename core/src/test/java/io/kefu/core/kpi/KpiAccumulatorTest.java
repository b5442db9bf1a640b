package io.kefu.core.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KpiAccumulatorTest {

  private final KpiSettings settings = KpiSettings.defaults();

  private static Fact leg(Fact.LegOutcome outcome, double wait) {
    Fact f = new Fact();
    f.kind = Fact.Kind.LEG;
    f.outcome = outcome;
    f.waitSeconds = wait;
    return f;
  }

  private static Fact survey(int csat, int nps) {
    Fact f = new Fact();
    f.kind = Fact.Kind.SURVEY;
    f.csat = csat;
    f.nps = nps;
    return f;
  }

  @Test
  void queueRatesFollowKpisMd() {
    KpiAccumulator a = new KpiAccumulator();
    // answered after 10 s and 30 s; abandoned after 3 s (short) and 50 s
    for (Fact f :
        new Fact[] {
          leg(Fact.LegOutcome.ANSWERED, 10),
          leg(Fact.LegOutcome.ANSWERED, 30),
          leg(Fact.LegOutcome.ABANDONED, 3),
          leg(Fact.LegOutcome.ABANDONED, 50),
          leg(Fact.LegOutcome.FLOW_OUT, 70)
        }) {
      a.add(f, settings);
    }
    Map<String, Double> m = a.metrics(settings);
    assertEquals(5.0, m.get("offered"));
    assertEquals(1.0, m.get("short_abandoned"));
    assertEquals(
        2.0 / 3, m.get("connect_rate"), 1e-12, "answered / (answered + abandoned - short)");
    assertEquals(1.0 / 3, m.get("abandon_rate"), 1e-12);
    assertEquals(1.0 / 3, m.get("service_level"), 1e-12, "the 50 s abandon counts against it");
    assertEquals(20.0, m.get("asa_seconds"));
    assertEquals(30.0, m.get("wait_max_seconds"));
  }

  @Test
  void emptyDenominatorsAreNull() {
    Map<String, Double> m = new KpiAccumulator().metrics(settings);
    assertNull(m.get("connect_rate"));
    assertNull(m.get("csat_mean"));
    assertNull(m.get("wait_p50_seconds"));
    assertEquals(0.0, m.get("offered"));
  }

  @Test
  void satisfaction() {
    KpiAccumulator a = new KpiAccumulator();
    a.add(survey(5, 10), settings);
    a.add(survey(4, 7), settings);
    a.add(survey(2, 3), settings);
    a.add(survey(-1, 9), settings);
    Map<String, Double> m = a.metrics(settings);
    assertEquals(11.0 / 3, m.get("csat_mean"), 1e-12);
    assertEquals(2.0 / 3, m.get("csat_top2"), 1e-12);
    assertEquals(100.0 * (2 - 1) / 4, m.get("nps"), 1e-12);
  }

  @Test
  void retractionUndoesAnAddition() {
    KpiAccumulator a = new KpiAccumulator();
    Fact c = new Fact();
    c.kind = Fact.Kind.CONVERSATION;
    c.botEntry = true;
    c.resolved = false;
    a.add(c, settings);
    Fact corrected = c.copy();
    corrected.resolved = true;
    corrected.contained = true;
    corrected.ttrSeconds = 30;
    a.add(c.retraction(), settings);
    a.add(corrected, settings);
    Map<String, Double> m = a.metrics(settings);
    assertEquals(1.0, m.get("closed"));
    assertEquals(1.0, m.get("resolution_rate"));
    assertEquals(1.0, m.get("bot_containment_rate"));
    assertEquals(30.0, m.get("ttr_p50_seconds"), 30 * KpiAccumulator.QUANTILE_ACCURACY);
    // and a retracted duration leaves the quantiles
    KpiAccumulator b = new KpiAccumulator();
    Fact slow = leg(Fact.LegOutcome.ANSWERED, 500);
    b.add(leg(Fact.LegOutcome.ANSWERED, 10), settings);
    b.add(slow, settings);
    b.add(slow.retraction(), settings);
    assertEquals(
        10.0, b.metrics(settings).get("wait_p90_seconds"), 10 * KpiAccumulator.QUANTILE_ACCURACY);
  }

  @Test
  void quantilesAreWithinTheSketchRelativeAccuracy() {
    KpiAccumulator a = new KpiAccumulator();
    Random random = new Random(1);
    double[] waits = new double[20_000];
    for (int i = 0; i < waits.length; i++) {
      waits[i] = Math.round(Math.exp(2 + random.nextGaussian()) * 1000) / 1000.0;
      a.add(leg(Fact.LegOutcome.ANSWERED, waits[i]), settings);
    }
    Arrays.sort(waits);
    double p90 = a.metrics(settings).get("wait_p90_seconds");
    double exact = waits[(int) Math.floor(0.9 * (waits.length - 1))];
    assertEquals(
        exact, p90, exact * KpiAccumulator.QUANTILE_ACCURACY, "DDSketch relative accuracy");
  }

  @Test
  void quantilesDoNotDependOnArrivalOrder() {
    Random random = new Random(2);
    java.util.List<Double> values = new java.util.ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      values.add(random.nextDouble() * 600);
    }
    KpiAccumulator forward = new KpiAccumulator();
    values.forEach(v -> forward.add(leg(Fact.LegOutcome.ANSWERED, v), settings));
    java.util.Collections.shuffle(values, random);
    KpiAccumulator shuffled = new KpiAccumulator();
    values.forEach(v -> shuffled.add(leg(Fact.LegOutcome.ANSWERED, v), settings));
    assertEquals(forward.metrics(settings), shuffled.metrics(settings));
  }

  @Test
  void serialisationRoundTrips() throws Exception {
    KpiAccumulator a = new KpiAccumulator();
    a.add(leg(Fact.LegOutcome.ANSWERED, 12), settings);
    a.add(survey(4, 9), settings);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    a.writeTo(new DataOutputStream(bytes));
    KpiAccumulator b =
        KpiAccumulator.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(a.metrics(settings), b.metrics(settings));
  }

  @Test
  void mergeEqualsAddingEverythingToOne() {
    KpiAccumulator one = new KpiAccumulator();
    KpiAccumulator left = new KpiAccumulator();
    KpiAccumulator right = new KpiAccumulator();
    for (int i = 0; i < 100; i++) {
      Fact f = leg(i % 3 == 0 ? Fact.LegOutcome.ABANDONED : Fact.LegOutcome.ANSWERED, i);
      one.add(f, settings);
      (i % 2 == 0 ? left : right).add(f, settings);
    }
    left.merge(right);
    assertEquals(
        one.metrics(settings).get("connect_rate"), left.metrics(settings).get("connect_rate"));
    assertEquals(
        one.metrics(settings).get("asa_seconds"), left.metrics(settings).get("asa_seconds"));
    assertTrue(left.metrics(settings).get("wait_p50_seconds") > 0);
  }

  @Test
  void windowsFollowTheZone() {
    java.time.ZoneId shanghai = java.time.ZoneId.of("Asia/Shanghai");
    long t = java.time.Instant.parse("2026-11-23T17:30:00Z").toEpochMilli(); // 01:30 next day local
    assertEquals(
        java.time.Instant.parse("2026-11-23T16:00:00Z").toEpochMilli(),
        WindowSize.DAY.start(t, shanghai));
    java.time.ZoneId india = java.time.ZoneId.of("Asia/Kolkata");
    long ti = java.time.Instant.parse("2026-11-23T10:40:00Z").toEpochMilli(); // 16:10 local
    assertEquals(
        java.time.Instant.parse("2026-11-23T10:30:00Z").toEpochMilli(),
        WindowSize.HOUR.start(ti, india));
    java.time.ZoneId paris = java.time.ZoneId.of("Europe/Paris");
    long dst = java.time.Instant.parse("2026-03-29T12:00:00Z").toEpochMilli();
    long start = WindowSize.DAY.start(dst, paris);
    assertEquals(23 * 3_600_000L, WindowSize.DAY.end(start, paris) - start, "spring-forward day");
  }

  private static Fact qa(Fact.Kind kind, double score, int... byKind) {
    Fact f = new Fact();
    f.kind = kind;
    f.qaScore = score;
    f.qaViolations = byKind;
    return f;
  }

  @Test
  void qualityInspectionMeansCountsAndRetractions() {
    KpiAccumulator a = new KpiAccumulator();
    // three conversations: 100 (clean), 85 (a promise and a jargon hit), 0 (floored)
    a.add(qa(Fact.Kind.QA, 100, 0, 0, 0, 0, 0, 0, 0, 0), settings);
    a.add(qa(Fact.Kind.QA, 85, 0, 0, 1, 1, 0, 0, 0, 0), settings);
    Fact floored = qa(Fact.Kind.QA, 0, 4, 1, 0, 0, 0, 3, 0, 1);
    a.add(floored, settings);
    Map<String, Double> m = a.metrics(settings);
    assertEquals(3.0, m.get("qa_inspected"));
    assertEquals(185.0 / 3, m.get("qa_score_mean"), 1e-9);
    assertEquals(11.0, m.get("qa_violations"));
    assertEquals(4.0, m.get("qa_violations_forbidden_phrase"));
    assertEquals(3.0, m.get("qa_violations_slow_reply"));
    assertEquals(1.0, m.get("qa_violations_sensitive_data"));
    assertEquals(0.0, m.get("qa_violations_unescalated_anger"));
    a.add(floored.retraction(), settings);
    assertEquals(92.5, a.metrics(settings).get("qa_score_mean"), 1e-9);
    assertEquals(2.0, a.metrics(settings).get("qa_violations"));
    assertNull(new KpiAccumulator().metrics(settings).get("qa_score_mean"), "nothing inspected");
    assertTrue(KpiAccumulator.AGENT_METRICS.contains("qa_score_mean"));
  }

  @Test
  void agentQaFactsCountOnlyForTheirAgent() {
    Fact f = qa(Fact.Kind.AGENT_QA, 90, 1, 0, 0, 0, 0, 0, 0, 0);
    f.tenant = "t";
    f.channel = "WEB";
    f.queue = "billing";
    f.agent = "a-1";
    assertEquals(
        java.util.List.of(new Dimensions.Key("t", io.kefu.schemas.Dimension.AGENT, "a-1")),
        Dimensions.of(f));
    Fact conversation = qa(Fact.Kind.QA, 90, 1, 0, 0, 0, 0, 0, 0, 0);
    conversation.tenant = "t";
    conversation.agent = "a-1";
    assertTrue(
        Dimensions.of(conversation).stream()
            .noneMatch(k -> k.dimension() == io.kefu.schemas.Dimension.AGENT));
  }

  @Test
  void qaTotalsSurviveSerialisationAndMerge() throws Exception {
    KpiAccumulator a = new KpiAccumulator();
    a.add(qa(Fact.Kind.QA, 70, 1, 0, 2, 0, 0, 0, 0, 0), settings);
    KpiAccumulator b = new KpiAccumulator();
    b.add(qa(Fact.Kind.QA, 95, 0, 1, 0, 0, 0, 0, 0, 0), settings);
    a.merge(b);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    a.writeTo(new DataOutputStream(bytes));
    KpiAccumulator c =
        KpiAccumulator.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(a.metrics(settings), c.metrics(settings));
    assertEquals(82.5, c.metrics(settings).get("qa_score_mean"), 1e-9);
    assertEquals(4.0, c.metrics(settings).get("qa_violations"));
    Fact f = qa(Fact.Kind.AGENT_QA, 70, 1, 0, 2, 0, 0, 0, 0, 0);
    ByteArrayOutputStream fb = new ByteArrayOutputStream();
    FactCodec.write(new DataOutputStream(fb), f);
    Fact back = FactCodec.read(new DataInputStream(new ByteArrayInputStream(fb.toByteArray())));
    assertTrue(f.sameAs(back));
  }
}
