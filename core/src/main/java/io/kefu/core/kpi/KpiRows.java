package io.kefu.core.kpi;

import io.kefu.schemas.Dimension;
import io.kefu.schemas.KpiRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A window's metrics, one row per metric (long format, for files): metric names come from {@link
 * KpiAccumulator#METRICS}; for the agent dimension only {@link KpiAccumulator#AGENT_METRICS}.
 */
public final class KpiRows {
  private KpiRows() {}

  public static List<KpiRow> of(
      String tenant,
      long windowStart,
      long windowEnd,
      String windowSize,
      Dimension dimension,
      String dimensionValue,
      boolean isFinal,
      String settingsVersion,
      long emittedAt,
      double[] values) {
    List<KpiRow> rows = new ArrayList<>(values.length);
    Instant start = Instant.ofEpochMilli(windowStart);
    Instant end = Instant.ofEpochMilli(windowEnd);
    Instant emitted = Instant.ofEpochMilli(emittedAt);
    boolean agent = dimension == Dimension.AGENT;
    for (int i = 0; i < values.length; i++) {
      String metric = KpiAccumulator.METRICS.get(i);
      if (agent && !KpiAccumulator.AGENT_METRICS.contains(metric)) {
        continue;
      }
      double v = values[i];
      rows.add(
          new KpiRow(
              tenant,
              start,
              end,
              windowSize,
              dimension,
              dimensionValue,
              metric,
              Double.isNaN(v) ? null : v,
              isFinal,
              settingsVersion,
              emitted));
    }
    return rows;
  }
}
