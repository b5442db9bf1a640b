package io.kefu.audit.daily;

import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/** Tiny factories for operation-log records on one fixed day in Shanghai (UTC+8, no DST). */
final class Ops {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  /** A Monday, the simulator's default first day. */
  static final LocalDate DAY = LocalDate.of(2026, 11, 23);

  static final long MIDNIGHT = DAY.atStartOfDay(SHANGHAI).toInstant().toEpochMilli();

  private Ops() {}

  /** {@code hh:mm} local time on {@link #DAY}. */
  static Instant at(int hour, int minute) {
    return Instant.ofEpochMilli(MIDNIGHT + (hour * 60L + minute) * 60_000);
  }

  /** {@code hh:mm:ss.SSS} local time on {@link #DAY}. */
  static Instant at(int hour, int minute, int second, int millis) {
    return at(hour, minute).plusMillis(second * 1000L + millis);
  }

  static OperationLogRecord op(
      long sequence,
      Instant time,
      String actor,
      ActorRole role,
      OperationAction action,
      ResourceType resource,
      String customer,
      String purpose,
      String ticket,
      Outcome outcome,
      Long rows) {
    return new OperationLogRecord(
        sequence,
        time,
        actor,
        role,
        action,
        resource,
        customer != null ? customer : "res-1",
        customer,
        purpose,
        ticket,
        outcome,
        "10.9.0.1",
        rows,
        Map.of());
  }

  /** An agent opening a customer's record for a conversation, as the contact centre does. */
  static OperationLogRecord agentView(long seq, Instant t, String agent, String customer) {
    return op(
        seq,
        t,
        agent,
        ActorRole.AGENT,
        OperationAction.VIEW,
        ResourceType.CUSTOMER_RECORD,
        customer,
        "处理客户会话",
        "c-0000001",
        Outcome.ALLOWED,
        1L);
  }

  /** An agent opening a customer's record with neither purpose nor ticket. */
  static OperationLogRecord bareView(long seq, Instant t, String agent, String customer) {
    return op(
        seq,
        t,
        agent,
        ActorRole.AGENT,
        OperationAction.VIEW,
        ResourceType.CUSTOMER_RECORD,
        customer,
        null,
        null,
        Outcome.ALLOWED,
        1L);
  }

  /** A supervisor revealing a customer's identity for a complaint call-back. */
  static OperationLogRecord reveal(long seq, Instant t, String supervisor, String customer) {
    return op(
        seq,
        t,
        supervisor,
        ActorRole.SUPERVISOR,
        OperationAction.REVEAL,
        ResourceType.VAULT,
        customer,
        "投诉回访",
        "T-12345",
        Outcome.ALLOWED,
        1L);
  }

  /** A supervisor exporting {@code rows} rows of {@code resource}. */
  static OperationLogRecord export(
      long seq, Instant t, String supervisor, ResourceType resource, long rows) {
    return op(
        seq,
        t,
        supervisor,
        ActorRole.SUPERVISOR,
        OperationAction.EXPORT,
        resource,
        null,
        "日报",
        null,
        Outcome.ALLOWED,
        rows);
  }
}
