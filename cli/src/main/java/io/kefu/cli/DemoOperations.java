package io.kefu.cli;

import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.OperationLog;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the demo itself did to the data, recorded like any other operation. */
final class DemoOperations {
  private final List<OperationLogRecord> records = new ArrayList<>();
  private final String actor = System.getProperty("user.name", "demo");

  void add(OperationAction action, ResourceType resource, String resourceId, String purpose) {
    records.add(
        OperationLogRecord.newBuilder()
            .setSequence(0)
            .setTime(Instant.now())
            .setActor(actor)
            .setActorRole(ActorRole.ANALYST)
            .setAction(action)
            .setResourceType(resource)
            .setResourceId(resourceId)
            .setPurpose("kefu demo: " + purpose)
            .setTicketRef("kefu-demo")
            .setOutcome(Outcome.ALLOWED)
            .setClientAddress("127.0.0.1")
            .setAttributes(Map.of("tool", "kefu demo"))
            .build());
  }

  void appendTo(Path log) throws IOException {
    try (OperationLog l = OperationLog.open(log, LogOptions.defaults())) {
      l.appendAll(records);
    }
  }
}
