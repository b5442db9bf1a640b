package io.kefu.audit.log;

import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Deterministic operation-log records for tests: record {@code i} is always the same. */
public final class SampleRecords {
  private SampleRecords() {}

  public static OperationLogRecord record(long i) {
    Map<String, String> attributes = new HashMap<>();
    if (i % 3 == 0) {
      attributes.put("query", "channel = 'WECHAT' and day = " + (i % 31));
      attributes.put("备注", "导出客户满意度报表 #" + i + " 😀 ü");
      attributes.put("a", "first by sort order");
    }
    ActorRole[] roles = ActorRole.values();
    OperationAction[] actions = OperationAction.values();
    ResourceType[] resources = ResourceType.values();
    return OperationLogRecord.newBuilder()
        .setSequence(0)
        .setTime(Instant.ofEpochMilli(1_763_881_200_000L + i * 1_337))
        .setActor("user-" + (i % 97))
        .setActorRole(roles[(int) (i % roles.length)])
        .setAction(actions[(int) (i % actions.length)])
        .setResourceType(resources[(int) (i % resources.length)])
        .setResourceId("res-" + i)
        .setCustomerPseudonym(i % 2 == 0 ? "p-" + Long.toHexString(i * 2654435761L) : null)
        .setPurpose(i % 5 == 0 ? null : "ticket follow-up 工单跟进")
        .setTicketRef(i % 7 == 0 ? null : "T-" + i)
        .setOutcome(i % 11 == 0 ? Outcome.DENIED : Outcome.ALLOWED)
        .setClientAddress(i % 4 == 0 ? null : "10.0." + (i % 256) + ".7")
        .setRecordCount(i % 6 == 0 ? i * 10 : null)
        .setAttributes(attributes)
        .build();
  }
}
