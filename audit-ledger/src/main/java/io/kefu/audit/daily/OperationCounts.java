package io.kefu.audit.daily;

import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many operations the day had, by action and by role. Both maps hold every enum symbol (zero
 * included) in declaration order, so the report always shows the same rows.
 *
 * @param byAction operations per action
 * @param byRole operations per actor role
 */
public record OperationCounts(Map<OperationAction, Long> byAction, Map<ActorRole, Long> byRole) {

  public OperationCounts {
    EnumMap<OperationAction, Long> actions = new EnumMap<>(OperationAction.class);
    for (OperationAction a : OperationAction.values()) {
      actions.put(a, byAction.getOrDefault(a, 0L));
    }
    EnumMap<ActorRole, Long> roles = new EnumMap<>(ActorRole.class);
    for (ActorRole r : ActorRole.values()) {
      roles.put(r, byRole.getOrDefault(r, 0L));
    }
    long byActionTotal = actions.values().stream().mapToLong(Long::longValue).sum();
    long byRoleTotal = roles.values().stream().mapToLong(Long::longValue).sum();
    if (byActionTotal != byRoleTotal) {
      throw new IllegalArgumentException(
          "counts by action add up to " + byActionTotal + " but counts by role to " + byRoleTotal);
    }
    byAction = Collections.unmodifiableMap(actions);
    byRole = Collections.unmodifiableMap(roles);
  }

  /** Counts {@code records}. */
  public static OperationCounts of(Collection<OperationLogRecord> records) {
    Map<OperationAction, Long> actions = new EnumMap<>(OperationAction.class);
    Map<ActorRole, Long> roles = new EnumMap<>(ActorRole.class);
    for (OperationLogRecord r : records) {
      actions.merge(r.getAction(), 1L, Long::sum);
      roles.merge(r.getActorRole(), 1L, Long::sum);
    }
    return new OperationCounts(actions, roles);
  }

  /** All operations of the day. */
  public long total() {
    return byAction.values().stream().mapToLong(Long::longValue).sum();
  }
}
