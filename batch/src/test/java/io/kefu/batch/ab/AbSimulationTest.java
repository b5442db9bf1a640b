package io.kefu.batch.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.batch.Fixtures;
import io.kefu.batch.Simulated;
import io.kefu.core.conversation.ConversationTimeline;
import io.kefu.core.kpi.Fact;
import io.kefu.core.kpi.KpiSettings;
import io.kefu.schemas.ConversationEvent;
import io.kefu.simulator.SimulatorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The comparison's statistics on simulated experiments, in plain Java (the simulator's events fed
 * to core's timeline and {@link AbSamples}, no Spark, to keep CI fast): A/A runs — two arms with
 * the same parameters, a new seed each run — reject at about the nominal 5 %, and the simulator's
 * old-versus-new system is detected on the metrics it changes.
 */
class AbSimulationTest {

  static final KpiSettings SETTINGS = KpiSettings.defaults().withZone(Fixtures.SHANGHAI);

  static SimulatorConfig config(long seed, int conversations) {
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.seed = seed;
    cfg.startDate = Fixtures.DAY;
    cfg.days = 1;
    cfg.conversations = conversations;
    cfg.zone = Fixtures.SHANGHAI.getId();
    cfg.experiment.enabled = true;
    cfg.commerce.enabled = false;
    cfg.oplog.enabled = false;
    return cfg;
  }

  /** Every fact of every simulated conversation, per arm. */
  static AbSamples samples(List<ConversationEvent> events) {
    Map<String, List<ConversationEvent>> byConversation = new LinkedHashMap<>();
    for (ConversationEvent e : events) {
      byConversation.computeIfAbsent(e.getConversationId(), k -> new ArrayList<>()).add(e);
    }
    AbSamples samples = new AbSamples(SETTINGS);
    for (List<ConversationEvent> conversation : byConversation.values()) {
      ConversationTimeline timeline = new ConversationTimeline();
      conversation.forEach(timeline::add);
      for (Fact f : timeline.due(Long.MAX_VALUE, 0)) {
        samples.add(f);
      }
    }
    return samples;
  }

  static final int RUNS = 60;

  @Test
  void aaRunsRejectAtAboutTheNominalRate() throws Exception {
    int tests = 0;
    int rejected = 0;
    int runsWithAHolmRejection = 0;
    Map<String, Integer> byMetric = new LinkedHashMap<>();
    for (int run = 0, seed = 1000; run < RUNS; run++, seed++) {
      SimulatorConfig cfg = config(seed, 1200);
      cfg.experiment.arms.clear();
      for (String arm : List.of("a", "b")) {
        SimulatorConfig.Arm same = new SimulatorConfig.Arm();
        same.share = 0.5;
        cfg.experiment.arms.put(arm, same);
      }
      List<ConversationEvent> events = Simulated.of(cfg);
      AbSamples s = samples(events);
      boolean any = false;
      for (AbComparison.Line l : AbComparison.compare(s, "a", "b")) {
        if (l.pValue() == null) {
          continue;
        }
        tests++;
        if (l.pValue() < AbStatistics.ALPHA) {
          rejected++;
          byMetric.merge(l.metric(), 1, Integer::sum);
        }
        any |= l.significant();
      }
      if (any) {
        runsWithAHolmRejection++;
      }
    }
    double rate = (double) rejected / tests;
    String detail =
        String.format(
            Locale.ROOT,
            "%d of %d A/A tests rejected (%.1f %%), by metric %s; %d of %d runs with a"
                + " Holm-corrected rejection",
            rejected,
            tests,
            100 * rate,
            byMetric,
            runsWithAHolmRejection,
            RUNS);
    System.out.println("A/A: " + detail);
    assertTrue(tests >= RUNS * 9, detail);
    // 600 tests at 5 %: the binomial 99.9 % range is about 2.4 % .. 8.0 %
    assertTrue(rate >= 0.02 && rate <= 0.085, detail);
    assertTrue(runsWithAHolmRejection <= RUNS * 0.12, "family-wise error near 5 %: " + detail);
  }

  @Test
  void theOldSystemAgainstTheNewIsDetected() throws Exception {
    // default arms: "old" (lower containment, understaffed, lower satisfaction) and "new"
    AbSamples s = samples(Simulated.of(config(7, 3000)));
    Map<String, AbComparison.Line> lines = new LinkedHashMap<>();
    for (AbComparison.Line l : AbComparison.compare(s, "old", "new")) {
      lines.put(l.metric(), l);
    }
    System.out.println("old vs new: " + lines.values());
    assertEquals("B higher (better)", lines.get("connect_rate").verdict());
    assertEquals("B lower (better)", lines.get("abandon_rate").verdict());
    assertEquals("B higher (better)", lines.get("bot_containment_rate").verdict());
    assertEquals("B higher (better)", lines.get("csat_top2").verdict());
    assertEquals("B lower (better)", lines.get("asa_seconds").verdict());
    for (AbComparison.Line l : lines.values()) {
      assertTrue(l.nA() > 0 && l.nB() > 0, l.toString());
      if (l.significant()) {
        assertTrue(
            l.ciLow() > 0 || l.ciHigh() < 0,
            "a significant difference's interval excludes 0: " + l);
      }
    }
  }
}
