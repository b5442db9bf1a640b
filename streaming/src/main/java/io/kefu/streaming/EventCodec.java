package io.kefu.streaming;

import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.HandoffReason;
import io.kefu.schemas.ResolverRole;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A compact binary form of a conversation event for the shuffle to the sessioniser: a bit mask of
 * the fields present, then those fields. Avro's generic datum writer spent about a sixth of the
 * job's time on this hop; this writes the same content several times faster.
 */
final class EventCodec {
  private EventCodec() {}

  static void write(DataOutput out, ConversationEvent e) throws IOException {
    int mask = 0;
    Object[] optional = {
      e.getChannel(),
      e.getQueue(),
      e.getCustomerId(),
      e.getVariant(),
      e.getEntry(),
      e.getRole(),
      e.getText(),
      e.getLanguage(),
      e.getSentiment(),
      e.getAnger(),
      e.getReason(),
      e.getAgentId(),
      e.getTier(),
      e.getTargetQueue(),
      e.getTargetTier(),
      e.getResolverRole(),
      e.getCsat(),
      e.getNps()
    };
    for (int i = 0; i < optional.length; i++) {
      if (optional[i] != null) {
        mask |= 1 << i;
      }
    }
    Map<String, String> attributes = e.getAttributes();
    boolean hasAttributes = attributes != null && !attributes.isEmpty();
    if (hasAttributes) {
      mask |= 1 << 18;
    }
    out.writeInt(mask);
    out.writeUTF(e.getEventId());
    out.writeUTF(e.getConversationId());
    out.writeByte(e.getEventType().ordinal());
    out.writeLong(e.getEventTime().toEpochMilli());
    out.writeUTF(e.getTenant());
    if (e.getChannel() != null) out.writeByte(e.getChannel().ordinal());
    if (e.getQueue() != null) out.writeUTF(e.getQueue());
    if (e.getCustomerId() != null) out.writeUTF(e.getCustomerId());
    if (e.getVariant() != null) out.writeUTF(e.getVariant());
    if (e.getEntry() != null) out.writeByte(e.getEntry().ordinal());
    if (e.getRole() != null) out.writeByte(e.getRole().ordinal());
    if (e.getText() != null) writeLong(out, e.getText());
    if (e.getLanguage() != null) out.writeUTF(e.getLanguage());
    if (e.getSentiment() != null) out.writeDouble(e.getSentiment());
    if (e.getAnger() != null) out.writeDouble(e.getAnger());
    if (e.getReason() != null) out.writeByte(e.getReason().ordinal());
    if (e.getAgentId() != null) out.writeUTF(e.getAgentId());
    if (e.getTier() != null) out.writeByte(e.getTier().ordinal());
    if (e.getTargetQueue() != null) out.writeUTF(e.getTargetQueue());
    if (e.getTargetTier() != null) out.writeByte(e.getTargetTier().ordinal());
    if (e.getResolverRole() != null) out.writeByte(e.getResolverRole().ordinal());
    if (e.getCsat() != null) out.writeInt(e.getCsat());
    if (e.getNps() != null) out.writeInt(e.getNps());
    if (hasAttributes) {
      out.writeInt(attributes.size());
      for (Map.Entry<String, String> a : attributes.entrySet()) {
        writeLong(out, a.getKey());
        writeLong(out, a.getValue());
      }
    }
  }

  static ConversationEvent read(DataInput in) throws IOException {
    int mask = in.readInt();
    ConversationEvent e = new ConversationEvent();
    e.setEventId(in.readUTF());
    e.setConversationId(in.readUTF());
    e.setEventType(EventType.values()[in.readByte()]);
    e.setEventTime(Instant.ofEpochMilli(in.readLong()));
    e.setTenant(in.readUTF());
    if (has(mask, 0)) e.setChannel(Channel.values()[in.readByte()]);
    if (has(mask, 1)) e.setQueue(in.readUTF());
    if (has(mask, 2)) e.setCustomerId(in.readUTF());
    if (has(mask, 3)) e.setVariant(in.readUTF());
    if (has(mask, 4)) e.setEntry(Entry.values()[in.readByte()]);
    if (has(mask, 5)) e.setRole(Role.values()[in.readByte()]);
    if (has(mask, 6)) e.setText(readLong(in));
    if (has(mask, 7)) e.setLanguage(in.readUTF());
    if (has(mask, 8)) e.setSentiment(in.readDouble());
    if (has(mask, 9)) e.setAnger(in.readDouble());
    if (has(mask, 10)) e.setReason(HandoffReason.values()[in.readByte()]);
    if (has(mask, 11)) e.setAgentId(in.readUTF());
    if (has(mask, 12)) e.setTier(Tier.values()[in.readByte()]);
    if (has(mask, 13)) e.setTargetQueue(in.readUTF());
    if (has(mask, 14)) e.setTargetTier(Tier.values()[in.readByte()]);
    if (has(mask, 15)) e.setResolverRole(ResolverRole.values()[in.readByte()]);
    if (has(mask, 16)) e.setCsat(in.readInt());
    if (has(mask, 17)) e.setNps(in.readInt());
    Map<String, String> attributes = new HashMap<>();
    if (has(mask, 18)) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        attributes.put(readLong(in), readLong(in));
      }
    }
    e.setAttributes(attributes);
    return e;
  }

  private static boolean has(int mask, int bit) {
    return (mask & (1 << bit)) != 0;
  }

  /** Strings of any length (writeUTF stops at 64 KiB of modified UTF-8). */
  static void writeLong(DataOutput out, String s) throws IOException {
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readLong(DataInput in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
