package io.kefu.streaming;

import static io.kefu.streaming.EventTimers.ceil;
import static io.kefu.streaming.EventTimers.moveEarlier;
import static io.kefu.streaming.EventTimers.plus;

import io.kefu.core.conversation.ConversationTimeline;
import io.kefu.core.kpi.Fact;
import io.kefu.core.kpi.KpiSettings;
import io.kefu.schemas.Alert;
import io.kefu.schemas.AlertType;
import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import io.kefu.schemas.json.ConversationEventCodec;
import java.time.Instant;
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
 * Per conversation: feeds events to the core {@link ConversationTimeline} and releases its facts as
 * the watermark passes them. Side outputs: anger alerts (at once, while the conversation is with
 * the bot), duplicates (as dead letters), events later than the allowed lateness, and the accepted
 * events for quality inspection.
 *
 * <p>State and timers: one {@link SessionState} per conversation with at most two timers (see
 * there): the next watermark that releases facts, and the next step of its life — compaction of the
 * history at close + lateness, forgetting at close + survey TTL, or at last activity + idle TTL
 * when it never closed. Every firing re-checks the state.
 */
final class Sessionizer extends KeyedProcessFunction<String, ConversationEvent, Fact> {
  private static final long serialVersionUID = 1L;

  static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", TypeInformation.of(Alert.class));
  static final OutputTag<DeadLetter> DUPLICATES =
      new OutputTag<>("duplicates", TypeInformation.of(DeadLetter.class));
  static final OutputTag<LateRecord> LATE_EVENTS =
      new OutputTag<>("late-events", TypeInformation.of(LateRecord.class));

  /**
   * The events it accepted (neither duplicate nor late), surveys excepted, for quality inspection:
   * still partitioned by conversation, so that the inspection chains to this operator instead of
   * receiving every event again over the network.
   */
  static final OutputTag<ConversationEvent> ACCEPTED =
      new OutputTag<>("accepted-events", StateSerializers.EVENT);

  private final JobSettings settings;
  private transient KpiSettings kpi;
  private transient ValueState<SessionState> state;
  private transient Counter duplicates;
  private transient Counter lateEvents;
  private transient Counter alerts;
  private transient ConversationEventCodec codec;

  Sessionizer(JobSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    kpi = settings.kpi();
    state =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("session", StateSerializers.SessionSerializer.INSTANCE));
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
    lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
    alerts = getRuntimeContext().getMetricGroup().counter("angerAlerts");
    codec = new ConversationEventCodec();
  }

  @Override
  public void processElement(ConversationEvent e, Context ctx, Collector<Fact> out)
      throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    long time = e.getEventTime().toEpochMilli();
    long lateness = settings.allowedLatenessMillis;
    SessionState s = state.value();
    boolean compactedAway =
        s != null && s.timeline.isCompacted() && e.getEventType() != EventType.SURVEY_SUBMITTED;
    if (time + lateness < watermark || compactedAway) {
      lateEvents.inc();
      ctx.output(LATE_EVENTS, late(e, watermark));
      return;
    }
    if (s == null) {
      s = new SessionState();
    }
    ConversationTimeline timeline = s.timeline;
    if (!timeline.add(e)) {
      duplicates.inc();
      ctx.output(
          DUPLICATES,
          DeadLetter.of(
              "duplicate:" + e.getEventId(),
              "duplicate_event_id",
              "event_id",
              "duplicate_event_id: field \"event_id\" " + e.getEventId() + " was seen before",
              codec.toJson(e),
              codec.toBytes(e).length));
      return;
    }
    if (e.getEventType() != EventType.SURVEY_SUBMITTED) {
      ctx.output(ACCEPTED, e);
    }
    if (isAnger(e) && timeline.withBot(time)) {
      alerts.inc();
      ctx.output(ALERTS, alert(e, timeline));
    }
    long factsAt;
    if (time <= watermark) {
      emit(timeline.due(watermark, lateness), out);
      factsAt = timeline.nextRelease(lateness);
    } else {
      // This event's facts, and any it changed, are due when the watermark reaches its time,
      // coalesced to the watermark's own pace (one timer for the events of the same 200 ms).
      factsAt = ceil(time, TIMER_GRANULARITY);
    }
    if (time > s.lastActivity) {
      s.lastActivity = time;
    }
    schedule(s, ctx.timerService(), watermark, factsAt);
    state.update(s);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Fact> out) throws Exception {
    SessionState s = state.value();
    if (s == null) {
      return;
    }
    if (timestamp >= s.factsTimer) {
      s.factsTimer = Long.MAX_VALUE;
    }
    if (timestamp >= s.lifeTimer) {
      s.lifeTimer = Long.MAX_VALUE;
    }
    ConversationTimeline timeline = s.timeline;
    long watermark = ctx.timerService().currentWatermark();
    long lateness = settings.allowedLatenessMillis;
    emit(timeline.due(watermark, lateness), out);
    long closed = timeline.closedAt();
    if (closed != Long.MIN_VALUE && watermark >= plus(closed, settings.surveyTtlMillis)) {
      clear(s, ctx.timerService());
      return;
    }
    if (closed == Long.MIN_VALUE
        && watermark >= plus(s.lastActivity, settings.idleConversationMillis)) {
      clear(s, ctx.timerService()); // never closed: abandoned by the source system
      return;
    }
    if (closed != Long.MIN_VALUE
        && watermark >= plus(closed, lateness)
        && !timeline.isCompacted()) {
      timeline.compact();
    }
    schedule(s, ctx.timerService(), watermark, timeline.nextRelease(lateness));
    state.update(s);
  }

  /**
   * Moves the two timers earlier where needed: facts due at {@code factsAt}, the next life step.
   */
  private void schedule(SessionState s, TimerService timers, long watermark, long factsAt) {
    if (factsAt != Long.MAX_VALUE) {
      s.factsTimer =
          moveEarlier(timers, s.factsTimer, Math.max(factsAt, watermark + 1), s.lifeTimer);
    }
    long closed = s.timeline.closedAt();
    long life;
    if (closed == Long.MIN_VALUE) {
      // Coalesced to the minute: an idle conversation is forgotten within a minute of its TTL.
      life = ceil(plus(s.lastActivity, settings.idleConversationMillis), 60_000);
    } else if (!s.timeline.isCompacted()) {
      life = plus(closed, settings.allowedLatenessMillis);
    } else {
      life = plus(closed, settings.surveyTtlMillis);
    }
    s.lifeTimer = moveEarlier(timers, s.lifeTimer, Math.max(life, watermark + 1), s.factsTimer);
  }

  private static final long TIMER_GRANULARITY = 200;

  private void clear(SessionState s, TimerService timers) {
    if (s.factsTimer != Long.MAX_VALUE) {
      timers.deleteEventTimeTimer(s.factsTimer);
    }
    if (s.lifeTimer != Long.MAX_VALUE && s.lifeTimer != s.factsTimer) {
      timers.deleteEventTimeTimer(s.lifeTimer);
    }
    state.clear();
  }

  private static void emit(List<Fact> facts, Collector<Fact> out) {
    for (Fact f : facts) {
      out.collect(f);
    }
  }

  private boolean isAnger(ConversationEvent e) {
    return e.getEventType() == EventType.MESSAGE
        && e.getRole() == Role.CUSTOMER
        && e.getAnger() != null
        && e.getAnger() >= kpi.angerThreshold();
  }

  private static Alert alert(ConversationEvent e, ConversationTimeline timeline) {
    Alert a = new Alert();
    a.setAlertId("anger:" + e.getEventId());
    a.setAlertType(AlertType.ANGER_ESCALATION);
    a.setTenant(e.getTenant());
    a.setConversationId(e.getConversationId());
    a.setMessageId(e.getEventId());
    a.setChannel(timeline.channel() == null ? null : Channel.valueOf(timeline.channel()));
    a.setQueue(timeline.queue());
    a.setCustomerPseudonym(timeline.customerId());
    a.setText(e.getText());
    a.setAnger(e.getAnger());
    a.setSentiment(e.getSentiment());
    a.setEventTime(e.getEventTime());
    a.setEmittedAt(Instant.now());
    return a;
  }

  private static LateRecord late(ConversationEvent e, long watermark) {
    LateRecord r = new LateRecord();
    r.kind = "EVENT";
    r.tenant = e.getTenant();
    r.conversationId = e.getConversationId();
    r.eventId = e.getEventId();
    r.eventType = e.getEventType().name();
    r.eventTime = e.getEventTime().toEpochMilli();
    r.watermark = watermark;
    r.detail = "arrived after the allowed lateness";
    r.ingestTime = System.currentTimeMillis();
    return r;
  }
}
