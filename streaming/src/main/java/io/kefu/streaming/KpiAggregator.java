package io.kefu.streaming;

import io.kefu.core.kpi.Dimensions;
import io.kefu.core.kpi.Fact;
import io.kefu.core.kpi.KpiSettings;
import io.kefu.core.kpi.KpiWindows;
import io.kefu.core.kpi.WindowSize;
import io.kefu.schemas.Dimension;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per dimension value: every window size's incremental totals ({@link KpiWindows}), merged from the
 * combiners' partial totals and emitted as KPI rows — provisionally every {@code earlyFiring} while
 * a window is open and changed, finally when the watermark passes its end, again on late updates
 * within the allowed lateness. Facts for a window already closed for good go to the late output.
 *
 * <p>One operator for all four window sizes: a fact touches one state entry instead of being
 * shuffled four times, which is most of the job's cost per event.
 */
final class KpiAggregator extends KeyedProcessFunction<String, KeyedPartial, KpiSnapshot> {
  private static final long serialVersionUID = 1L;

  static final OutputTag<LateRecord> LATE_FACTS =
      new OutputTag<>("late-facts", TypeInformation.of(LateRecord.class));

  private final JobSettings settings;
  private transient KpiSettings kpi;
  private transient String version;
  private transient ValueState<KpiWindows> state;
  private transient ValueState<Dimensions.Key> keyState;

  KpiAggregator(JobSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    kpi = settings.kpi();
    version = kpi.version();
    state =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("windows", StateSerializers.WindowsSerializer.INSTANCE));
    keyState =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("dimension", TypeInformation.of(Dimensions.Key.class)));
  }

  @Override
  public void processElement(KeyedPartial partial, Context ctx, Collector<KpiSnapshot> out)
      throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    KpiWindows windows = state.value();
    if (windows == null) {
      windows = new KpiWindows();
      keyState.update(new Dimensions.Key(partial.tenant, partial.dimension, partial.value));
    }
    long lateness = settings.allowedLatenessMillis;
    List<KpiWindows.Late> tooLate =
        windows.merge(
            partial.windows,
            kpi,
            watermark,
            end -> {
              // a new window: final at its end, forgotten after the lateness
              ctx.timerService().registerEventTimeTimer(end - 1);
              ctx.timerService().registerEventTimeTimer(end - 1 + lateness);
            });
    for (KpiWindows.Late late : tooLate) {
      // Cannot happen when the combiner's watermark is ahead of ours (it always is); kept so that
      // nothing is ever dropped silently.
      LateRecord r = new LateRecord();
      r.kind = "PARTIAL";
      r.tenant = partial.tenant;
      r.eventId = partial.key + "@" + late.start();
      r.eventType = "PARTIAL";
      r.eventTime = late.start();
      r.windowSize = late.size().label();
      r.watermark = watermark;
      r.detail = partial.dimension + "=" + partial.value + " window closed for good";
      r.ingestTime = System.currentTimeMillis();
      ctx.output(LATE_FACTS, r);
    }
    if (!settings.finalOnceClosed) {
      // Late facts within the allowed lateness update their (already final) window at once.
      emit(windows.finals(watermark), out);
    }
    if (settings.earlyFiringMillis > 0) {
      long now = ctx.timerService().currentProcessingTime();
      long tick = (now / settings.earlyFiringMillis + 1) * settings.earlyFiringMillis;
      ctx.timerService().registerProcessingTimeTimer(tick); // same tick: registered once
    }
    state.update(windows);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<KpiSnapshot> out)
      throws Exception {
    KpiWindows windows = state.value();
    if (windows == null) {
      return;
    }
    long watermark = ctx.timerService().currentWatermark();
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      emit(windows.provisionals(watermark), out);
    } else {
      emit(
          settings.finalOnceClosed
              ? windows.closedForGood(watermark, kpi)
              : windows.finals(watermark),
          out);
      windows.purge(watermark, kpi);
    }
    if (windows.isEmpty()) {
      state.clear();
      keyState.clear();
    } else {
      state.update(windows);
    }
  }

  private void emit(List<KpiWindows.Emission> emissions, Collector<KpiSnapshot> out)
      throws Exception {
    if (emissions.isEmpty()) {
      return;
    }
    Dimensions.Key key = keyState.value();
    long now = System.currentTimeMillis();
    for (KpiWindows.Emission e : emissions) {
      KpiSnapshot s = new KpiSnapshot();
      s.tenant = key.tenant();
      s.windowStart = e.start();
      s.windowEnd = e.end();
      s.windowSize = e.size().label();
      s.dimension = key.dimension();
      s.dimensionValue = key.value();
      s.isFinal = e.isFinal();
      s.settingsVersion = version;
      s.emittedAt = now;
      s.values = e.accumulator().values(kpi, key.dimension() == Dimension.AGENT);
      out.collect(s);
    }
  }

  static LateRecord late(Fact f, Dimensions.Key key, WindowSize size, long watermark) {
    LateRecord r = new LateRecord();
    r.kind = "FACT";
    r.tenant = f.tenant;
    r.conversationId = f.conversationId;
    r.eventId = f.id;
    r.eventType = f.kind.name();
    r.eventTime = f.time;
    r.windowSize = size.label();
    r.watermark = watermark;
    r.detail = key.dimension() + "=" + key.value() + " window closed for good";
    r.ingestTime = System.currentTimeMillis();
    return r;
  }
}
