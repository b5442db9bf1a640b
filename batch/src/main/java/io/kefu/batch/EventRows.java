package io.kefu.batch;

import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.HandoffReason;
import io.kefu.schemas.ResolverRole;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Maps a lake row (Spark's reading of the Avro-written Parquet: enums as strings, the {@code
 * timestamp-millis} event time as a TIMESTAMP, {@code attributes} as a string map) back to a {@link
 * ConversationEvent}. Column positions are resolved once from the schema; an optional column the
 * schema lacks (an older lake) maps to null, a missing required one fails at construction.
 */
public final class EventRows implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int eventId;
  private final int conversationId;
  private final int eventType;
  private final int eventTime;
  private final int tenant;
  private final int channel;
  private final int queue;
  private final int customerId;
  private final int variant;
  private final int entry;
  private final int role;
  private final int text;
  private final int language;
  private final int sentiment;
  private final int anger;
  private final int reason;
  private final int agentId;
  private final int tier;
  private final int targetQueue;
  private final int targetTier;
  private final int resolverRole;
  private final int csat;
  private final int nps;
  private final int attributes;

  public EventRows(StructType schema) {
    eventId = required(schema, "event_id");
    conversationId = required(schema, "conversation_id");
    eventType = required(schema, "event_type");
    eventTime = required(schema, "event_time");
    tenant = required(schema, "tenant");
    channel = optional(schema, "channel");
    queue = optional(schema, "queue");
    customerId = optional(schema, "customer_id");
    variant = optional(schema, "variant");
    entry = optional(schema, "entry");
    role = optional(schema, "role");
    text = optional(schema, "text");
    language = optional(schema, "language");
    sentiment = optional(schema, "sentiment");
    anger = optional(schema, "anger");
    reason = optional(schema, "reason");
    agentId = optional(schema, "agent_id");
    tier = optional(schema, "tier");
    targetQueue = optional(schema, "target_queue");
    targetTier = optional(schema, "target_tier");
    resolverRole = optional(schema, "resolver_role");
    csat = optional(schema, "csat");
    nps = optional(schema, "nps");
    attributes = optional(schema, "attributes");
  }

  public ConversationEvent toEvent(Row r) {
    String id = r.getString(eventId);
    try {
      Map<String, String> attrs = new HashMap<>();
      if (attributes >= 0 && !r.isNullAt(attributes)) {
        attrs.putAll(r.<String, String>getJavaMap(attributes));
      }
      // The all-args constructor: the builder deep-copies a default for every unset field, which
      // made it the largest cost of reading the lake.
      return new ConversationEvent(
          nonNull(id, "event_id"),
          nonNull(r.getString(conversationId), "conversation_id"),
          EventType.valueOf(nonNull(r.getString(eventType), "event_type")),
          instant(r.get(eventTime)),
          nonNull(r.getString(tenant), "tenant"),
          enumOf(Channel.class, string(r, channel)),
          string(r, queue),
          string(r, customerId),
          string(r, variant),
          enumOf(Entry.class, string(r, entry)),
          enumOf(Role.class, string(r, role)),
          string(r, text),
          string(r, language),
          (Double) value(r, sentiment),
          (Double) value(r, anger),
          enumOf(HandoffReason.class, string(r, reason)),
          string(r, agentId),
          enumOf(Tier.class, string(r, tier)),
          string(r, targetQueue),
          enumOf(Tier.class, string(r, targetTier)),
          enumOf(ResolverRole.class, string(r, resolverRole)),
          (Integer) value(r, csat),
          (Integer) value(r, nps),
          attrs);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("lake event " + id + ": " + e.getMessage(), e);
    }
  }

  private static <T> T nonNull(T value, String column) {
    if (value == null) {
      throw new IllegalArgumentException(column + " is null");
    }
    return value;
  }

  /**
   * Spark returns TIMESTAMP as {@link Timestamp}, or as {@link Instant} with {@code
   * spark.sql.datetime.java8API.enabled}; a lake written without the UTC flag reads as
   * TIMESTAMP_NTZ ({@link LocalDateTime}, taken as UTC), and a plain INT64 as epoch milliseconds.
   */
  static Instant instant(Object v) {
    if (v instanceof Timestamp t) {
      return t.toInstant();
    }
    if (v instanceof Instant i) {
      return i;
    }
    if (v instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC);
    }
    if (v instanceof Long millis) {
      return Instant.ofEpochMilli(millis);
    }
    throw new IllegalArgumentException(
        "event_time: expected a timestamp, got " + (v == null ? "null" : v.getClass().getName()));
  }

  private static String string(Row r, int i) {
    return i < 0 || r.isNullAt(i) ? null : r.getString(i);
  }

  private static Object value(Row r, int i) {
    return i < 0 || r.isNullAt(i) ? null : r.get(i);
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String name) {
    return name == null ? null : Enum.valueOf(type, name);
  }

  private static int required(StructType schema, String column) {
    int i = optional(schema, column);
    if (i < 0) {
      throw new IllegalArgumentException(
          "the lake has no column "
              + column
              + " (columns: "
              + String.join(", ", schema.fieldNames())
              + ")");
    }
    return i;
  }

  private static int optional(StructType schema, String column) {
    return schema.getFieldIndex(column).isDefined()
        ? (Integer) schema.getFieldIndex(column).get()
        : -1;
  }
}
