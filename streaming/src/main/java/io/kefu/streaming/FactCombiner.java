package io.kefu.streaming;

import io.kefu.core.kpi.Dimensions;
import io.kefu.core.kpi.Fact;
import io.kefu.core.kpi.KpiSettings;
import io.kefu.core.kpi.KpiWindows;
import io.kefu.core.kpi.WindowSize;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Local pre-aggregation (a mini-batch combiner, as Flink SQL does for local/global aggregation):
 * facts are added to per-dimension-value partial windows in memory and flushed as one {@link
 * KeyedPartial} per dimension value whenever a watermark passes (before it is forwarded, so no
 * window can close before its facts arrive), before each checkpoint barrier (so the operator keeps
 * no state) and at the end of input. The shuffle to the aggregator then carries a handful of
 * records per watermark instead of several per fact.
 *
 * <p>Facts for windows already closed for good at this operator's watermark go to the late output
 * here; the aggregator's watermark is never ahead of it, so nothing it accepts is late downstream.
 */
final class FactCombiner extends AbstractStreamOperator<KeyedPartial>
    implements OneInputStreamOperator<Fact, KeyedPartial>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  private final JobSettings settings;
  private transient KpiSettings kpi;
  private transient Map<String, KeyedPartial> partials;
  private transient long watermark;

  FactCombiner(JobSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open() throws Exception {
    super.open();
    kpi = settings.kpi();
    partials = new HashMap<>();
    watermark = Long.MIN_VALUE;
  }

  @Override
  public void processElement(StreamRecord<Fact> element) {
    Fact f = element.getValue();
    for (Dimensions.Key key : Dimensions.of(f)) {
      String k = key.asString();
      KeyedPartial p = partials.get(k);
      if (p == null) {
        p = new KeyedPartial();
        p.key = k;
        p.tenant = key.tenant();
        p.dimension = key.dimension();
        p.value = key.value();
        p.windows = new KpiWindows();
        partials.put(k, p);
      }
      List<WindowSize> tooLate = p.windows.add(f, settings.windows, kpi, watermark);
      for (WindowSize size : tooLate) {
        output.collect(
            KpiAggregator.LATE_FACTS,
            new StreamRecord<>(KpiAggregator.late(f, key, size, watermark)));
      }
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    watermark = mark.getTimestamp();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush();
  }

  @Override
  public void endInput() {
    flush();
  }

  private void flush() {
    if (partials.isEmpty()) {
      return;
    }
    for (KeyedPartial p : partials.values()) {
      if (!p.windows.isEmpty()) {
        output.collect(new StreamRecord<>(p));
      }
    }
    partials = new HashMap<>();
  }
}
