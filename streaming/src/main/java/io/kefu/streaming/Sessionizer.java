package io.kefu.streaming;

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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per conversation: feeds events to the core {@link ConversationTimeline} and releases its facts as
 * the watermark passes them. Side outputs: anger alerts (at once, while the conversation is with
 * the bot), duplicates (as dead letters) and events later than the allowed lateness.
 *
 * <p>Timers: one at each event's time (facts become due), one at close + lateness (history is
 * compacted), one at close + survey TTL or at last activity + idle TTL (state is cleared). Every
 * timer re-checks the state, so stale ones are harmless.
 */
final class Sessionizer extends KeyedProcessFunction<String, ConversationEvent, Fact> {
  private static final long serialVersionUID = 1L;

  static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", TypeInformation.of(Alert.class));
  static final OutputTag<DeadLetter> DUPLICATES =
      new OutputTag<>("duplicates", TypeInformation.of(DeadLetter.class));
  static final OutputTag<LateRecord> LATE_EVENTS =
      new OutputTag<>("late-events", TypeInformation.of(LateRecord.class));

  private final JobSettings settings;
  private transient KpiSettings kpi;
  private transient ValueState<ConversationTimeline> state;
  private transient ValueState<Long> lastActivity;
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
                new ValueStateDescriptor<>(
                    "conversation", StateSerializers.TimelineSerializer.INSTANCE));
    lastActivity =
        getRuntimeContext().getState(new ValueStateDescriptor<>("last-activity", Long.class));
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
    ConversationTimeline timeline = state.value();
    boolean compactedAway =
        timeline != null
            && timeline.isCompacted()
            && e.getEventType() != EventType.SURVEY_SUBMITTED;
    if (time + lateness < watermark || compactedAway) {
      lateEvents.inc();
      ctx.output(LATE_EVENTS, late(e, watermark));
      return;
    }
    if (timeline == null) {
      timeline = new ConversationTimeline();
    }
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
    if (isAnger(e) && timeline.withBot(time)) {
      alerts.inc();
      ctx.output(ALERTS, alert(e, timeline));
    }
    if (time <= watermark) {
      emit(timeline.due(watermark, lateness), out);
    } else {
      // Coalesced to the watermark's own pace: one timer for the events of the same 200 ms.
      ctx.timerService().registerEventTimeTimer(ceil(time, TIMER_GRANULARITY));
    }
    if (timeline.channel() == null) {
      // release facts held for the conversation's start
      ctx.timerService().registerEventTimeTimer(time + lateness);
    }
    long closed = timeline.closedAt();
    if (e.getEventType() == EventType.CLOSED && closed == time) {
      ctx.timerService().registerEventTimeTimer(closed + lateness);
      ctx.timerService().registerEventTimeTimer(closed + settings.surveyTtlMillis);
    } else if (closed == Long.MIN_VALUE) {
      ctx.timerService()
          .registerEventTimeTimer(ceil(time + settings.idleConversationMillis, 60_000));
    }
    Long last = lastActivity.value();
    if (last == null || time > last) {
      lastActivity.update(time);
    }
    state.update(timeline);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Fact> out) throws Exception {
    ConversationTimeline timeline = state.value();
    if (timeline == null) {
      return;
    }
    long watermark = ctx.timerService().currentWatermark();
    long lateness = settings.allowedLatenessMillis;
    emit(timeline.due(watermark, lateness), out);
    long closed = timeline.closedAt();
    if (closed != Long.MIN_VALUE && watermark >= closed + settings.surveyTtlMillis) {
      clear();
      return;
    }
    Long last = lastActivity.value();
    if (closed == Long.MIN_VALUE
        && last != null
        && watermark >= last + settings.idleConversationMillis) {
      clear(); // never closed: abandoned by the source system
      return;
    }
    if (closed != Long.MIN_VALUE && watermark >= closed + lateness && !timeline.isCompacted()) {
      timeline.compact();
    }
    state.update(timeline);
  }

  private static final long TIMER_GRANULARITY = 200;

  private static long ceil(long time, long granularity) {
    return Math.floorDiv(time + granularity - 1, granularity) * granularity;
  }

  private void clear() {
    state.clear();
    lastActivity.clear();
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
