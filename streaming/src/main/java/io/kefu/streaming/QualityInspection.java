package io.kefu.streaming;

import static io.kefu.streaming.EventTimers.ceil;
import static io.kefu.streaming.EventTimers.moveEarlier;
import static io.kefu.streaming.EventTimers.plus;

import io.kefu.core.kpi.Fact;
import io.kefu.core.qa.ConversationQa;
import io.kefu.core.qa.QaFacts;
import io.kefu.core.qa.QaInspector;
import io.kefu.core.sentiment.SentimentScorer;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.QaViolation;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
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
  private transient ValueState<QaState> state;
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
    state =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("qa", StateSerializers.QaSerializer.INSTANCE));
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
    QaState s = state.value();
    if ((s != null && s.inspected()) || time + settings.allowedLatenessMillis < watermark) {
      late.inc();
      return;
    }
    if (s == null) {
      s = new QaState();
    }
    s.events.add(e);
    if (e.getEventType() == EventType.CLOSED) {
      if (time > s.closedAt) {
        s.closedAt = time;
      }
    } else if (time > s.lastActivity) {
      s.lastActivity = time;
    }
    schedule(s, ctx.timerService());
    state.update(s);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Fact> out) throws Exception {
    QaState s = state.value();
    if (s == null) {
      return;
    }
    if (timestamp >= s.timer) {
      s.timer = Long.MAX_VALUE;
    }
    if (s.inspected()) {
      if (timestamp >= s.inspectedUntil) {
        clear(s, ctx.timerService()); // nothing more can come in time
      }
      return;
    }
    long watermark = ctx.timerService().currentWatermark();
    long closed = s.closedAt;
    long last = s.lastActivity;
    long at;
    if (closed != Long.MIN_VALUE && watermark >= plus(closed, settings.qaDelayMillis())) {
      at = closed;
    } else if (closed == Long.MIN_VALUE
        && last != Long.MIN_VALUE
        && watermark >= plus(last, settings.idleConversationMillis)) {
      at = last; // never closed: inspect what there is
    } else {
      schedule(s, ctx.timerService()); // the conversation went on
      state.update(s);
      return;
    }
    inspect(s.events, at, ctx, out);
    s.events.clear();
    s.closedAt = Long.MIN_VALUE;
    s.lastActivity = Long.MIN_VALUE;
    s.inspectedUntil = plus(Math.max(timestamp, at), settings.allowedLatenessMillis);
    schedule(s, ctx.timerService());
    state.update(s);
  }

  /**
   * Keeps one timer, moved earlier only (the later one deleted): inspection at close + QA delay,
   * else at last activity + idle TTL (checked again when it fires, since events move it later),
   * then forgetting once inspected.
   */
  private void schedule(QaState s, TimerService timers) {
    long at;
    if (s.inspected()) {
      at = s.inspectedUntil;
    } else if (s.closedAt != Long.MIN_VALUE) {
      at = plus(s.closedAt, settings.qaDelayMillis());
    } else {
      at = idleTimer(s.lastActivity);
    }
    s.timer = moveEarlier(timers, s.timer, at, EventTimers.NONE);
  }

  private void clear(QaState s, TimerService timers) {
    if (s.timer != Long.MAX_VALUE) {
      timers.deleteEventTimeTimer(s.timer);
    }
    state.clear();
  }

  private void inspect(
      List<ConversationEvent> all, long at, OnTimerContext ctx, Collector<Fact> out) {
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

  /** Idle timers are coalesced to the minute: one per conversation and minute of silence. */
  private long idleTimer(long lastActivity) {
    return ceil(plus(lastActivity, settings.idleConversationMillis), 60_000);
  }
}
