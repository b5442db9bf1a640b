package io.kefu.batch;

import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/** Tiny event factories around a fixed day, 2026-03-02 in Asia/Shanghai (UTC+8). */
public final class Fixtures {
  private Fixtures() {}

  public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  public static final LocalDate DAY = LocalDate.of(2026, 3, 2);

  /** {@code hh:mm} on {@link #DAY} in Shanghai, plus {@code dayOffset} days. */
  public static Instant at(int dayOffset, int hour, int minute) {
    return DAY.plusDays(dayOffset).atTime(hour, minute).atZone(SHANGHAI).toInstant();
  }

  public static ConversationEvent.Builder event(
      String conversation, int seq, EventType type, Instant time) {
    return ConversationEvent.newBuilder()
        .setEventId(conversation + "-" + String.format("%02d", seq))
        .setConversationId(conversation)
        .setEventType(type)
        .setEventTime(time)
        .setTenant("acme")
        .setAttributes(Map.of());
  }

  public static ConversationEvent started(String conversation, Instant time) {
    return event(conversation, 0, EventType.CONVERSATION_STARTED, time)
        .setChannel(Channel.WEB)
        .setQueue("billing")
        .setEntry(Entry.HUMAN)
        .setCustomerId("cust-" + conversation)
        .build();
  }

  public static ConversationEvent assigned(
      String conversation, int seq, Instant time, String agent) {
    return event(conversation, seq, EventType.AGENT_ASSIGNED, time)
        .setAgentId(agent)
        .setTier(Tier.AGENT)
        .build();
  }

  public static ConversationEvent message(
      String conversation, int seq, Instant time, Role role, String agent, String text) {
    return event(conversation, seq, EventType.MESSAGE, time)
        .setRole(role)
        .setAgentId(agent)
        .setText(text)
        .setLanguage("zh")
        .build();
  }

  public static ConversationEvent closed(String conversation, int seq, Instant time) {
    return event(conversation, seq, EventType.CLOSED, time).build();
  }
}
