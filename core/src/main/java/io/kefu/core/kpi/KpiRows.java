package io.kefu.core.kpi;

import io.kefu.schemas.Dimension;
import io.kefu.schemas.KpiRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a window's totals into result rows, one per metric (long format). */
public final class KpiRows {
  private KpiRows() {}

  public static List<KpiRow> of(
      KpiWindows.Emission w, Dimensions.Key key, KpiSettings settings, long emittedAt) {
    Map<String, Double> metrics =
        key.dimension() == Dimension.AGENT
            ? w.accumulator().agentMetrics(settings)
            : w.accumulator().metrics(settings);
    List<KpiRow> rows = new ArrayList<>(metrics.size());
    String version = settings.version();
    Instant start = Instant.ofEpochMilli(w.start());
    Instant end = Instant.ofEpochMilli(w.end());
    Instant emitted = Instant.ofEpochMilli(emittedAt);
    for (Map.Entry<String, Double> m : metrics.entrySet()) {
      rows.add(
          new KpiRow(
              key.tenant(),
              start,
              end,
              w.size().label(),
              key.dimension(),
              key.value(),
              m.getKey(),
              m.getValue(),
              w.isFinal(),
              version,
              emitted));
    }
    return rows;
  }
}
