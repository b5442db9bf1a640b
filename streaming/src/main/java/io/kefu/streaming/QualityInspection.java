package io.kefu.streaming;

import io.kefu.core.kpi.Fact;
import io.kefu.core.qa.ConversationQa;
import io.kefu.core.qa.QaFacts;
import io.kefu.core.qa.QaInspector;
import io.kefu.core.sentiment.SentimentScorer;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.QaViolation;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Quality inspection of every conversation (KPIS.md): keeps a conversation's events and, once the
 * watermark is the QA delay past its CLOSED (or the conversation has been idle for the idle TTL
 * without one), hands them to the core {@link QaInspector}. Emits the violations to a side output
 * and QA facts — one for the conversation, one per agent with that agent's own penalties — to the
 * KPI aggregation.
 *
 * <p>Each conversation is inspected once: events that come after its inspection, or later than the
 * allowed lateness, are counted ({@code qaLateEvents}) and left out, so rows never change after the
 * fact. Surveys are not part of the service and are not kept.
 */
final class QualityInspection extends KeyedProcessFunction<String, ConversationEvent, Fact> {
  private static final long serialVersionUID = 1L;

  static final OutputTag<QaViolation> VIOLATIONS =
      new OutputTag<>("qa-violations", TypeInformation.of(QaViolation.class));

  private final JobSettings settings;
  private transient QaInspector inspector;
  private transient ListState<ConversationEvent> events;
  private transient ValueState<Long> closedAt;
  private transient ValueState<Long> lastActivity;
  private transient ValueState<Long> inspectedUntil;
  private transient Counter inspected;
  private transient Counter violations;
  private transient Counter late;

  QualityInspection(JobSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    SentimentScorer scorer = SentimentScorer.defaults();
    inspector = new QaInspector(settings.qaRules(), text -> scorer.score(text).anger());
    events =
        getRuntimeContext()
            .getListState(new ListStateDescriptor<>("qa-events", StateSerializers.EVENT));
    closedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("qa-closed", Long.class));
    lastActivity =
        getRuntimeContext().getState(new ValueStateDescriptor<>("qa-last-activity", Long.class));
    inspectedUntil =
        getRuntimeContext().getState(new ValueStateDescriptor<>("qa-inspected", Long.class));
    inspected = getRuntimeContext().getMetricGroup().counter("qaConversations");
    violations = getRuntimeContext().getMetricGroup().counter("qaViolations");
    late = getRuntimeContext().getMetricGroup().counter("qaLateEvents");
  }

  @Override
  public void processElement(ConversationEvent e, Context ctx, Collector<Fact> out)
      throws Exception {
    if (e.getEventType() == EventType.SURVEY_SUBMITTED) {
      return;
    }
    long time = e.getEventTime().toEpochMilli();
    long watermark = ctx.timerService().currentWatermark();
    if (inspectedUntil.value() != null || time + settings.allowedLatenessMillis < watermark) {
      late.inc();
      return;
    }
    events.add(e);
    if (e.getEventType() == EventType.CLOSED) {
      Long closed = closedAt.value();
      if (closed == null || time > closed) {
        closedAt.update(time);
        ctx.timerService().registerEventTimeTimer(plus(time, settings.qaDelayMillis()));
      }
    } else {
      Long last = lastActivity.value();
      if (last == null || time > last) {
        lastActivity.update(time);
        if (last != null) {
          ctx.timerService().deleteEventTimeTimer(idleTimer(last));
        }
        ctx.timerService().registerEventTimeTimer(idleTimer(time));
      }
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Fact> out) throws Exception {
    Long until = inspectedUntil.value();
    if (until != null) {
      if (timestamp >= until) {
        inspectedUntil.clear(); // nothing more can come in time
      }
      return;
    }
    long watermark = ctx.timerService().currentWatermark();
    Long closed = closedAt.value();
    Long last = lastActivity.value();
    long at;
    if (closed != null && watermark >= plus(closed, settings.qaDelayMillis())) {
      at = closed;
    } else if (closed == null
        && last != null
        && watermark >= plus(last, settings.idleConversationMillis)) {
      at = last; // never closed: inspect what there is
    } else {
      return; // a stale timer: the conversation went on
    }
    inspect(at, ctx, out);
    if (last != null) {
      ctx.timerService().deleteEventTimeTimer(idleTimer(last));
    }
    if (closed != null) {
      ctx.timerService().deleteEventTimeTimer(plus(closed, settings.qaDelayMillis()));
    }
    events.clear();
    closedAt.clear();
    lastActivity.clear();
    long forget = plus(Math.max(timestamp, at), settings.allowedLatenessMillis);
    inspectedUntil.update(forget);
    ctx.timerService().registerEventTimeTimer(forget);
  }

  private void inspect(long at, OnTimerContext ctx, Collector<Fact> out) throws Exception {
    List<ConversationEvent> all = new ArrayList<>();
    for (ConversationEvent e : events.get()) {
      all.add(e);
    }
    if (all.isEmpty()) {
      return;
    }
    ConversationQa qa = inspector.inspect(all);
    inspected.inc();
    for (QaViolation v : qa.violations()) {
      violations.inc();
      ctx.output(VIOLATIONS, v);
    }
    for (Fact f : QaFacts.of(qa, all, at)) {
      out.collect(f);
    }
  }

  private static long plus(long time, long millis) {
    long sum = time + millis;
    return ((time ^ sum) & (millis ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** Idle timers are coalesced to the minute: one per conversation and minute of silence. */
  private long idleTimer(long lastActivity) {
    return ceilToMinute(plus(lastActivity, settings.idleConversationMillis));
  }

  private static long ceilToMinute(long time) {
    return time >= Long.MAX_VALUE - 60_000
        ? Long.MAX_VALUE
        : Math.floorDiv(time + 59_999, 60_000) * 60_000;
  }
}
