package io.kefu.streaming;

import io.kefu.core.kpi.KpiRows;
import io.kefu.schemas.Dimension;
import io.kefu.schemas.KpiRow;
import java.util.List;

/**
 * Every metric of one window and dimension value at one emission: one PostgreSQL row (wide, one
 * column per metric) or, for files, one long-format {@link KpiRow} per metric. {@code values} is
 * aligned with {@code KpiAccumulator.METRICS}; {@code NaN} stands for an undefined value.
 */
public final class KpiSnapshot {
  public String tenant;
  public long windowStart;
  public long windowEnd;
  public String windowSize;
  public Dimension dimension;
  public String dimensionValue;
  public boolean isFinal;
  public String settingsVersion;
  public long emittedAt;
  public double[] values;

  public KpiSnapshot() {}

  public List<KpiRow> rows() {
    return KpiRows.of(
        tenant,
        windowStart,
        windowEnd,
        windowSize,
        dimension,
        dimensionValue,
        isFinal,
        settingsVersion,
        emittedAt,
        values);
  }
}
