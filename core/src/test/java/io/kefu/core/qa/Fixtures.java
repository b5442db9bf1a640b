package io.kefu.core.qa;

import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.HandoffReason;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A conversation told event by event: {@code at(15)} is fifteen seconds in. */
final class Fixtures {
  static final long EPOCH = Instant.parse("2026-11-23T02:00:00Z").toEpochMilli();

  final String conversationId;
  final List<ConversationEvent> events = new ArrayList<>();
  private int seq;

  Fixtures(String conversationId) {
    this.conversationId = conversationId;
  }

  static long at(double seconds) {
    return EPOCH + Math.round(seconds * 1000);
  }

  ConversationEvent event(EventType type, double seconds) {
    ConversationEvent e = new ConversationEvent();
    e.setEventId(conversationId + "-" + String.format("%02d", ++seq));
    e.setConversationId(conversationId);
    e.setEventType(type);
    e.setEventTime(Instant.ofEpochMilli(at(seconds)));
    e.setTenant("acme");
    e.setAttributes(Map.of());
    events.add(e);
    return e;
  }

  Fixtures started(Channel channel, Entry entry, String queue, double seconds) {
    ConversationEvent e = event(EventType.CONVERSATION_STARTED, seconds);
    e.setChannel(channel);
    e.setQueue(queue);
    e.setEntry(entry);
    return this;
  }

  /** A web conversation in queue "billing" that starts with the bot. */
  Fixtures web() {
    return started(Channel.WEB, Entry.BOT, "billing", 0);
  }

  ConversationEvent customer(double seconds, String text) {
    return message(Role.CUSTOMER, null, seconds, text);
  }

  ConversationEvent customer(double seconds, String text, double anger) {
    ConversationEvent e = customer(seconds, text);
    e.setAnger(anger);
    return e;
  }

  ConversationEvent bot(double seconds, String text) {
    return message(Role.BOT, null, seconds, text);
  }

  ConversationEvent agent(String agent, double seconds, String text) {
    return message(Role.AGENT, agent, seconds, text);
  }

  ConversationEvent message(Role role, String agent, double seconds, String text) {
    ConversationEvent e = event(EventType.MESSAGE, seconds);
    e.setRole(role);
    e.setAgentId(agent);
    e.setText(text);
    return e;
  }

  Fixtures handoff(String queue, double seconds) {
    ConversationEvent e = event(EventType.HANDOFF_REQUESTED, seconds);
    e.setQueue(queue);
    e.setReason(HandoffReason.CUSTOMER_ASKED);
    return this;
  }

  Fixtures assigned(String agent, String queue, double seconds) {
    ConversationEvent e = event(EventType.AGENT_ASSIGNED, seconds);
    e.setAgentId(agent);
    e.setQueue(queue);
    e.setTier(Tier.AGENT);
    return this;
  }

  Fixtures transferred(String agent, String queue, double seconds) {
    ConversationEvent e = event(EventType.TRANSFERRED, seconds);
    e.setAgentId(agent);
    e.setTargetQueue(queue);
    e.setTargetTier(Tier.EXPERT);
    return this;
  }

  Fixtures closed(double seconds) {
    event(EventType.CLOSED, seconds);
    return this;
  }
}
