package io.kefu.audit.daily;

import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.ResourceType;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Thresholds and tables of the daily audit rules. {@link #DEFAULTS} matches the simulator's normal
 * traffic: it flags none of it and every injected suspicious pattern.
 *
 * <p>Defaults:
 *
 * <ul>
 *   <li>Business hours 08:00 (inclusive) to 20:00 (exclusive) local time, Monday to Sunday, in
 *       {@code Asia/Shanghai} (the zone whose midnights the simulator uses as day boundaries).
 *   <li>An export of more than 10,000 rows is a bulk export.
 *   <li>Reading more than 100 distinct customers within any 60-minute window is a read spree.
 *   <li>VIEW, QUERY, EXPORT and REVEAL on CUSTOMER_RECORD or CONVERSATION, and REVEAL on VAULT (the
 *       identity decrypt itself), need a purpose or a ticket.
 *   <li>At most 200 sequences are listed per finding; its count and first/last sequence always
 *       cover all of its operations.
 * </ul>
 *
 * <p>Default permissions ({@link #DEFAULT_PERMISSIONS}; LOGIN is allowed to every role on any
 * resource):
 *
 * <table>
 *   <caption>Actions each role may perform</caption>
 *   <tr><th>Role</th><th>Action</th><th>Resources</th></tr>
 *   <tr><td>AGENT</td><td>VIEW</td><td>CUSTOMER_RECORD, CONVERSATION</td></tr>
 *   <tr><td>SUPERVISOR</td><td>VIEW, QUERY</td>
 *       <td>CUSTOMER_RECORD, CONVERSATION, KPI_TABLE, LAKE, REPORT</td></tr>
 *   <tr><td>SUPERVISOR</td><td>EXPORT</td><td>REPORT, KPI_TABLE, LAKE</td></tr>
 *   <tr><td>SUPERVISOR</td><td>REVEAL</td><td>VAULT, CUSTOMER_RECORD</td></tr>
 *   <tr><td>ANALYST</td><td>VIEW, QUERY</td><td>LAKE, KPI_TABLE, REPORT</td></tr>
 *   <tr><td>QA_INSPECTOR</td><td>VIEW, QUERY</td><td>CONVERSATION, QA_RULES, REPORT</td></tr>
 *   <tr><td>ADMIN</td><td>RULE_CHANGE</td><td>QA_RULES</td></tr>
 *   <tr><td>ADMIN</td><td>KEY_ROTATE</td><td>KEYSET, VAULT</td></tr>
 *   <tr><td>ADMIN</td><td>ERASE</td><td>CUSTOMER_RECORD, CONVERSATION</td></tr>
 *   <tr><td>AUDITOR</td><td>VIEW</td><td>every resource</td></tr>
 *   <tr><td>SYSTEM</td><td>every action</td><td>every resource</td></tr>
 * </table>
 *
 * <p>Supervisors may export from the lake because the simulator's night bulk export by a supervisor
 * is suspicious for its hour and size, not for the role; an agent's export and an analyst's reveal
 * are what it treats as role violations.
 *
 * @param businessStart first local time of business hours (inclusive)
 * @param businessEnd end of business hours (exclusive), after {@code businessStart}; {@link
 *     LocalTime#MAX} for "until midnight"
 * @param businessDays days of the week with business hours; every hour of other days is off hours
 * @param zone zone of business hours and of the times in finding descriptions
 * @param bulkExportRows an export with more rows than this is a bulk export
 * @param readSpreeCustomers reading more distinct customers than this within {@code
 *     readSpreeWindow} is a read spree
 * @param readSpreeWindow length of the rolling read-spree window
 * @param purposeRequired for each action, the resources on which it needs a purpose or a ticket
 * @param permissions for each role and action, the resources on which the role may perform it; a
 *     role or action missing from the table is not permitted anything
 * @param maxListedSequences most sequences listed in one finding
 */
public record AuditRuleSettings(
    LocalTime businessStart,
    LocalTime businessEnd,
    Set<DayOfWeek> businessDays,
    ZoneId zone,
    long bulkExportRows,
    int readSpreeCustomers,
    Duration readSpreeWindow,
    Map<OperationAction, Set<ResourceType>> purposeRequired,
    Map<ActorRole, Map<OperationAction, Set<ResourceType>>> permissions,
    int maxListedSequences) {

  /** Who may do what by default; see the class documentation. */
  public static final Map<ActorRole, Map<OperationAction, Set<ResourceType>>> DEFAULT_PERMISSIONS =
      defaultPermissions();

  /** Access that needs a purpose or a ticket by default. */
  public static final Map<OperationAction, Set<ResourceType>> DEFAULT_PURPOSE_REQUIRED =
      defaultPurposeRequired();

  /** The documented defaults. */
  public static final AuditRuleSettings DEFAULTS =
      new AuditRuleSettings(
          LocalTime.of(8, 0),
          LocalTime.of(20, 0),
          EnumSet.allOf(DayOfWeek.class),
          ZoneId.of("Asia/Shanghai"),
          10_000,
          100,
          Duration.ofMinutes(60),
          DEFAULT_PURPOSE_REQUIRED,
          DEFAULT_PERMISSIONS,
          200);

  public AuditRuleSettings {
    Objects.requireNonNull(businessStart, "businessStart");
    Objects.requireNonNull(businessEnd, "businessEnd");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(readSpreeWindow, "readSpreeWindow");
    if (!businessStart.isBefore(businessEnd)) {
      throw new IllegalArgumentException(
          "business hours must start before they end, got " + businessStart + "–" + businessEnd);
    }
    if (bulkExportRows < 0) {
      throw new IllegalArgumentException("bulkExportRows must be >= 0, got " + bulkExportRows);
    }
    if (readSpreeCustomers < 1) {
      throw new IllegalArgumentException(
          "readSpreeCustomers must be >= 1, got " + readSpreeCustomers);
    }
    if (readSpreeWindow.isNegative() || readSpreeWindow.isZero()) {
      throw new IllegalArgumentException(
          "readSpreeWindow must be positive, got " + readSpreeWindow);
    }
    if (maxListedSequences < 1) {
      throw new IllegalArgumentException(
          "maxListedSequences must be >= 1, got " + maxListedSequences);
    }
    businessDays =
        businessDays.isEmpty()
            ? Collections.unmodifiableSet(EnumSet.noneOf(DayOfWeek.class))
            : Collections.unmodifiableSet(EnumSet.copyOf(businessDays));
    purposeRequired = copyActions(purposeRequired);
    EnumMap<ActorRole, Map<OperationAction, Set<ResourceType>>> roles =
        new EnumMap<>(ActorRole.class);
    permissions.forEach((role, actions) -> roles.put(role, copyActions(actions)));
    permissions = Collections.unmodifiableMap(roles);
  }

  /** Whether {@code role} may perform {@code action} on {@code resource}. */
  public boolean permits(ActorRole role, OperationAction action, ResourceType resource) {
    return permissions
        .getOrDefault(role, Map.of())
        .getOrDefault(action, Set.of())
        .contains(resource);
  }

  /** Whether {@code action} on {@code resource} needs a purpose or a ticket. */
  public boolean needsPurpose(OperationAction action, ResourceType resource) {
    return purposeRequired.getOrDefault(action, Set.of()).contains(resource);
  }

  /** Whether {@code time} in {@link #zone} falls within business hours. */
  public boolean isBusinessHours(Instant time) {
    ZonedDateTime local = time.atZone(zone);
    LocalTime t = local.toLocalTime();
    return businessDays.contains(local.getDayOfWeek())
        && !t.isBefore(businessStart)
        && t.isBefore(businessEnd);
  }

  public AuditRuleSettings withZone(ZoneId newZone) {
    return new AuditRuleSettings(
        businessStart,
        businessEnd,
        businessDays,
        newZone,
        bulkExportRows,
        readSpreeCustomers,
        readSpreeWindow,
        purposeRequired,
        permissions,
        maxListedSequences);
  }

  public AuditRuleSettings withBusinessHours(LocalTime start, LocalTime end, Set<DayOfWeek> days) {
    return new AuditRuleSettings(
        start,
        end,
        days,
        zone,
        bulkExportRows,
        readSpreeCustomers,
        readSpreeWindow,
        purposeRequired,
        permissions,
        maxListedSequences);
  }

  public AuditRuleSettings withBulkExportRows(long rows) {
    return new AuditRuleSettings(
        businessStart,
        businessEnd,
        businessDays,
        zone,
        rows,
        readSpreeCustomers,
        readSpreeWindow,
        purposeRequired,
        permissions,
        maxListedSequences);
  }

  public AuditRuleSettings withReadSpree(int customers, Duration window) {
    return new AuditRuleSettings(
        businessStart,
        businessEnd,
        businessDays,
        zone,
        bulkExportRows,
        customers,
        window,
        purposeRequired,
        permissions,
        maxListedSequences);
  }

  public AuditRuleSettings withPurposeRequired(Map<OperationAction, Set<ResourceType>> required) {
    return new AuditRuleSettings(
        businessStart,
        businessEnd,
        businessDays,
        zone,
        bulkExportRows,
        readSpreeCustomers,
        readSpreeWindow,
        required,
        permissions,
        maxListedSequences);
  }

  public AuditRuleSettings withPermissions(
      Map<ActorRole, Map<OperationAction, Set<ResourceType>>> table) {
    return new AuditRuleSettings(
        businessStart,
        businessEnd,
        businessDays,
        zone,
        bulkExportRows,
        readSpreeCustomers,
        readSpreeWindow,
        purposeRequired,
        table,
        maxListedSequences);
  }

  public AuditRuleSettings withMaxListedSequences(int max) {
    return new AuditRuleSettings(
        businessStart,
        businessEnd,
        businessDays,
        zone,
        bulkExportRows,
        readSpreeCustomers,
        readSpreeWindow,
        purposeRequired,
        permissions,
        max);
  }

  private static Map<OperationAction, Set<ResourceType>> copyActions(
      Map<OperationAction, Set<ResourceType>> actions) {
    EnumMap<OperationAction, Set<ResourceType>> copy = new EnumMap<>(OperationAction.class);
    actions.forEach(
        (action, resources) ->
            copy.put(
                action,
                resources.isEmpty()
                    ? Collections.unmodifiableSet(EnumSet.noneOf(ResourceType.class))
                    : Collections.unmodifiableSet(EnumSet.copyOf(resources))));
    return Collections.unmodifiableMap(copy);
  }

  private static Map<OperationAction, Set<ResourceType>> defaultPurposeRequired() {
    Set<ResourceType> customerData =
        EnumSet.of(ResourceType.CUSTOMER_RECORD, ResourceType.CONVERSATION);
    Map<OperationAction, Set<ResourceType>> m = new EnumMap<>(OperationAction.class);
    m.put(OperationAction.VIEW, customerData);
    m.put(OperationAction.QUERY, customerData);
    m.put(OperationAction.EXPORT, customerData);
    Set<ResourceType> reveal = EnumSet.copyOf(customerData);
    reveal.add(ResourceType.VAULT);
    m.put(OperationAction.REVEAL, reveal);
    return copyActions(m);
  }

  private static Map<ActorRole, Map<OperationAction, Set<ResourceType>>> defaultPermissions() {
    Set<ResourceType> all = EnumSet.allOf(ResourceType.class);
    Map<ActorRole, Map<OperationAction, Set<ResourceType>>> m = new EnumMap<>(ActorRole.class);
    for (ActorRole role : ActorRole.values()) {
      Map<OperationAction, Set<ResourceType>> actions = new EnumMap<>(OperationAction.class);
      actions.put(OperationAction.LOGIN, all);
      m.put(role, actions);
    }
    m.get(ActorRole.AGENT)
        .put(
            OperationAction.VIEW,
            EnumSet.of(ResourceType.CUSTOMER_RECORD, ResourceType.CONVERSATION));

    Set<ResourceType> supervisorReads =
        EnumSet.of(
            ResourceType.CUSTOMER_RECORD,
            ResourceType.CONVERSATION,
            ResourceType.KPI_TABLE,
            ResourceType.LAKE,
            ResourceType.REPORT);
    Map<OperationAction, Set<ResourceType>> supervisor = m.get(ActorRole.SUPERVISOR);
    supervisor.put(OperationAction.VIEW, supervisorReads);
    supervisor.put(OperationAction.QUERY, supervisorReads);
    supervisor.put(
        OperationAction.EXPORT,
        EnumSet.of(ResourceType.REPORT, ResourceType.KPI_TABLE, ResourceType.LAKE));
    supervisor.put(
        OperationAction.REVEAL, EnumSet.of(ResourceType.VAULT, ResourceType.CUSTOMER_RECORD));

    Set<ResourceType> analystReads =
        EnumSet.of(ResourceType.LAKE, ResourceType.KPI_TABLE, ResourceType.REPORT);
    m.get(ActorRole.ANALYST).put(OperationAction.VIEW, analystReads);
    m.get(ActorRole.ANALYST).put(OperationAction.QUERY, analystReads);

    Set<ResourceType> qaReads =
        EnumSet.of(ResourceType.CONVERSATION, ResourceType.QA_RULES, ResourceType.REPORT);
    m.get(ActorRole.QA_INSPECTOR).put(OperationAction.VIEW, qaReads);
    m.get(ActorRole.QA_INSPECTOR).put(OperationAction.QUERY, qaReads);

    Map<OperationAction, Set<ResourceType>> admin = m.get(ActorRole.ADMIN);
    admin.put(OperationAction.RULE_CHANGE, EnumSet.of(ResourceType.QA_RULES));
    admin.put(OperationAction.KEY_ROTATE, EnumSet.of(ResourceType.KEYSET, ResourceType.VAULT));
    admin.put(
        OperationAction.ERASE, EnumSet.of(ResourceType.CUSTOMER_RECORD, ResourceType.CONVERSATION));

    m.get(ActorRole.AUDITOR).put(OperationAction.VIEW, all);

    for (OperationAction action : OperationAction.values()) {
      m.get(ActorRole.SYSTEM).put(action, all);
    }

    Map<ActorRole, Map<OperationAction, Set<ResourceType>>> copy = new EnumMap<>(ActorRole.class);
    m.forEach((role, actions) -> copy.put(role, copyActions(actions)));
    return Collections.unmodifiableMap(copy);
  }
}
