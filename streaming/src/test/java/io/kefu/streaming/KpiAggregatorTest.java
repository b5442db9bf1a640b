package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.core.kpi.Dimensions;
import io.kefu.core.kpi.Fact;
import io.kefu.core.kpi.KpiAccumulator;
import io.kefu.core.kpi.KpiWindows;
import io.kefu.core.kpi.WindowSize;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The aggregator as an operator: provisional, final and late emissions, and state cleanup. */
class KpiAggregatorTest {

  private static final long HOUR_START = Instant.parse("2026-11-23T02:00:00Z").toEpochMilli();
  private static final JobSettings SETTINGS =
      JobSettings.defaults()
          .withWindows(EnumSet.of(WindowSize.HOUR))
          .withAllowedLateness(Duration.ofMinutes(10))
          .withEarlyFiring(Duration.ofSeconds(10));
  private static final EnumSet<WindowSize> SETTINGS_WINDOWS = EnumSet.of(WindowSize.HOUR);

  private static KeyedPartial answered(long time, double wait) {
    Fact f = new Fact();
    f.kind = Fact.Kind.LEG;
    f.outcome = Fact.LegOutcome.ANSWERED;
    f.time = time;
    f.tenant = "acme";
    f.id = "leg:" + time;
    f.waitSeconds = wait;
    KeyedPartial p = new KeyedPartial();
    Dimensions.Key key = Dimensions.of(f).get(0);
    p.key = key.asString();
    p.tenant = key.tenant();
    p.dimension = key.dimension();
    p.value = key.value();
    p.windows = new KpiWindows();
    p.windows.add(f, SETTINGS_WINDOWS, SETTINGS.kpi(), Long.MIN_VALUE);
    return p;
  }

  private static double answeredIn(KpiSnapshot s) {
    return s.values[KpiAccumulator.METRICS.indexOf("answered")];
  }

  @Test
  void provisionalThenFinalThenLateUpdateThenGone() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, KeyedPartial, KpiSnapshot> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new KpiAggregator(SETTINGS)), p -> p.key, Types.STRING)) {
      h.open();
      h.setProcessingTime(0);
      h.processElement(new StreamRecord<>(answered(HOUR_START + 60_000, 4), HOUR_START + 60_000));
      h.setProcessingTime(10_000);
      List<KpiSnapshot> out = h.extractOutputValues();
      assertEquals(1, out.size(), "one provisional emission");
      assertFalse(out.get(0).isFinal);

      h.processElement(new StreamRecord<>(answered(HOUR_START + 120_000, 6), HOUR_START + 120_000));
      h.processWatermark(HOUR_START + 3_600_000 - 1);
      out = h.extractOutputValues();
      KpiSnapshot last = out.get(out.size() - 1);
      assertTrue(last.isFinal);
      assertEquals(2.0, answeredIn(last));

      // late but within the allowed lateness: the final row is emitted again, updated
      h.processElement(new StreamRecord<>(answered(HOUR_START + 180_000, 8), HOUR_START + 180_000));
      out = h.extractOutputValues();
      last = out.get(out.size() - 1);
      assertTrue(last.isFinal);
      assertEquals(3.0, answeredIn(last));

      h.processWatermark(HOUR_START + 3_600_000 - 1 + Duration.ofMinutes(10).toMillis());
      assertEquals(0, h.numKeyedStateEntries(), "window forgotten after the lateness");

      // later still: the late output (the combiner catches these first; see FactCombiner)
      h.processElement(new StreamRecord<>(answered(HOUR_START + 240_000, 9), HOUR_START + 240_000));
      assertEquals(1, h.getSideOutput(KpiAggregator.LATE_FACTS).size());
    }
  }
}
