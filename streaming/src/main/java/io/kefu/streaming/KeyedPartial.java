package io.kefu.streaming;

import io.kefu.core.kpi.KpiWindows;
import io.kefu.schemas.Dimension;

/**
 * Partial window totals of one dimension value, pre-aggregated from many facts by a {@link
 * FactCombiner} and merged by the {@link KpiAggregator}: one record instead of one per fact.
 */
public final class KeyedPartial {
  public String key;
  public String tenant;
  public Dimension dimension;
  public String value;
  public KpiWindows windows;

  public KeyedPartial() {}
}
