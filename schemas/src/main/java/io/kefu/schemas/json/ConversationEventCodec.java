package io.kefu.schemas.json;

import static io.kefu.schemas.json.InvalidRecordException.Problem.INVALID_VALUE;
import static io.kefu.schemas.json.InvalidRecordException.Problem.MISSING_FIELD;
import static io.kefu.schemas.json.InvalidRecordException.Problem.TOO_LARGE;

import com.fasterxml.jackson.core.JsonGenerator;
import io.kefu.schemas.ConversationEvent;
import java.io.IOException;
import java.time.Instant;

/**
 * The wire format of conversation events (ARCHITECTURE.md): one JSON object per line, snake_case
 * fields, epoch-millisecond UTC times, upper-case enums, unknown fields kept in {@code attributes}.
 *
 * <p>Beyond the schema's types this checks what each event type needs:
 *
 * <ul>
 *   <li>every event: non-blank {@code event_id}, {@code conversation_id} and {@code tenant}; an
 *       {@code event_time} in [2000-01-01, 2100-01-01);
 *   <li>{@code CONVERSATION_STARTED}: {@code channel}, {@code queue}, {@code entry};
 *   <li>{@code MESSAGE}: {@code role} and {@code text}; {@code sentiment} in [−1, 1] and {@code
 *       anger} in [0, 1] when given;
 *   <li>{@code AGENT_ASSIGNED}: {@code agent_id} ({@code tier} defaults to AGENT when absent);
 *   <li>{@code TRANSFERRED}: {@code target_queue};
 *   <li>{@code RESOLVED}: {@code resolver_role} (bot containment depends on it);
 *   <li>{@code SURVEY_SUBMITTED}: {@code csat} (1..5) or {@code nps} (0..10), at least one.
 * </ul>
 *
 * Fields that an event type does not use are accepted and ignored by the metrics.
 */
public final class ConversationEventCodec {

  /** Earliest accepted event time: anything before is a corrupt clock, not history. */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  /** First rejected event time. */
  public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

  private final RecordJsonCodec<ConversationEvent> json;

  public ConversationEventCodec() {
    this(RecordJsonCodec.DEFAULT_MAX_BYTES);
  }

  /** A codec that rejects lines longer than {@code maxBytes} as {@code TOO_LARGE}. */
  public ConversationEventCodec(int maxBytes) {
    this.json = RecordJsonCodec.flattened(ConversationEvent.class).withMaxBytes(maxBytes);
  }

  /** Parses and validates one event. */
  public ConversationEvent parse(byte[] bytes, int off, int len) throws InvalidRecordException {
    ConversationEvent event = json.read(bytes, off, len);
    validate(event);
    return event;
  }

  /** Parses and validates one event; the error, if any, carries {@code lineNumber}. */
  public ConversationEvent parseLine(byte[] bytes, int off, int len, long lineNumber)
      throws InvalidRecordException {
    try {
      return parse(bytes, off, len);
    } catch (InvalidRecordException e) {
      throw e.atLine(lineNumber);
    }
  }

  /** Parses the current line of a reader; an over-long line is a {@code TOO_LARGE} error. */
  public ConversationEvent parse(JsonLines lines) throws InvalidRecordException {
    if (lines.truncated()) {
      throw new InvalidRecordException(
              TOO_LARGE,
              null,
              "a line of at most " + json.maxBytes() + " bytes",
              lines.originalLength() + " bytes")
          .atLine(lines.lineNumber());
    }
    return parseLine(lines.bytes(), 0, lines.length(), lines.lineNumber());
  }

  public ConversationEvent parse(byte[] bytes) throws InvalidRecordException {
    return parse(bytes, 0, bytes.length);
  }

  public ConversationEvent fromJson(String line) throws InvalidRecordException {
    ConversationEvent event = json.fromJson(line);
    validate(event);
    return event;
  }

  public String toJson(ConversationEvent event) {
    return json.toJson(event);
  }

  public byte[] toBytes(ConversationEvent event) {
    return json.toBytes(event);
  }

  /** Writes the event and a newline to a generator from {@link RecordJsonCodec#lineGenerator}. */
  public void writeLine(ConversationEvent event, JsonGenerator gen) throws IOException {
    json.writeLine(event, gen);
  }

  /** Checks the per-type rules above; the schema's types are already checked by parsing. */
  public static void validate(ConversationEvent e) throws InvalidRecordException {
    nonBlank("event_id", e.getEventId());
    nonBlank("conversation_id", e.getConversationId());
    nonBlank("tenant", e.getTenant());
    Instant time = e.getEventTime();
    if (time.isBefore(EARLIEST) || !time.isBefore(LATEST)) {
      throw new InvalidRecordException(
          INVALID_VALUE,
          "event_time",
          "a time in [" + EARLIEST + ", " + LATEST + ")",
          time.toEpochMilli() + " (" + time + ")");
    }
    switch (e.getEventType()) {
      case CONVERSATION_STARTED:
        required("channel", e.getChannel());
        required("queue", e.getQueue());
        nonBlank("queue", e.getQueue());
        required("entry", e.getEntry());
        break;
      case MESSAGE:
        required("role", e.getRole());
        required("text", e.getText());
        inRange("sentiment", e.getSentiment(), -1, 1);
        inRange("anger", e.getAnger(), 0, 1);
        break;
      case HANDOFF_REQUESTED:
        if (e.getQueue() != null) {
          nonBlank("queue", e.getQueue());
        }
        break;
      case AGENT_ASSIGNED:
        required("agent_id", e.getAgentId());
        nonBlank("agent_id", e.getAgentId());
        break;
      case TRANSFERRED:
        required("target_queue", e.getTargetQueue());
        nonBlank("target_queue", e.getTargetQueue());
        break;
      case RESOLVED:
        required("resolver_role", e.getResolverRole());
        break;
      case SURVEY_SUBMITTED:
        if (e.getCsat() == null && e.getNps() == null) {
          throw new InvalidRecordException(
              MISSING_FIELD, "csat", "csat (1..5) or nps (0..10) on SURVEY_SUBMITTED", "neither");
        }
        inRange("csat", e.getCsat(), 1, 5);
        inRange("nps", e.getNps(), 0, 10);
        break;
      default:
        break;
    }
  }

  private static void required(String field, Object value) throws InvalidRecordException {
    if (value == null) {
      throw new InvalidRecordException(
          MISSING_FIELD, field, "a value for this event type", "nothing");
    }
  }

  private static void nonBlank(String field, String value) throws InvalidRecordException {
    if (value.isBlank()) {
      throw new InvalidRecordException(
          INVALID_VALUE, field, "a non-blank string", "\"" + value + "\"");
    }
  }

  private static void inRange(String field, Number value, double min, double max)
      throws InvalidRecordException {
    if (value != null && !(value.doubleValue() >= min && value.doubleValue() <= max)) {
      throw new InvalidRecordException(
          INVALID_VALUE,
          field,
          "a value in [" + fmt(min) + ", " + fmt(max) + "]",
          value.toString());
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
