package io.kefu.audit.daily;

import io.kefu.audit.daily.Finding.Rule;
import io.kefu.audit.daily.Finding.Severity;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The daily audit rules over one day's operation log. Pure: the result depends only on the records
 * and the settings, never on the clock or the order the records are given in.
 *
 * <ul>
 *   <li>{@link Rule#OFF_HOURS_DECRYPT_OR_EXPORT}: one finding per REVEAL or EXPORT outside business
 *       hours.
 *   <li>{@link Rule#BULK_EXPORT}: one finding per EXPORT of more than the threshold's rows.
 *   <li>{@link Rule#NO_PURPOSE}: one finding per actor for all its allowed accesses that need a
 *       purpose or ticket and have neither (null or blank).
 *   <li>{@link Rule#ROLE_NOT_PERMITTED}: one finding per actor, role, action and resource type the
 *       permission table does not allow.
 *   <li>{@link Rule#READ_SPREE}: one finding per actor whose reads (VIEW, QUERY or REVEAL naming a
 *       customer pseudonym) cover more distinct customers than the threshold within some window
 *       {@code [t, t + readSpreeWindow)}; it reports the earliest window with the most customers.
 * </ul>
 *
 * <p>DENIED operations: an attempt shows intent, so they still count for off-hours, bulk export,
 * role and spree findings (at a lower severity where nothing was disclosed, and always named in the
 * description). They do not count for {@link Rule#NO_PURPOSE}: a denied request disclosed nothing,
 * and a missing justification is commonly why it was denied.
 *
 * <p>Findings are ordered by first sequence, then rule, then actor.
 */
public final class AuditRules {

  /** Actions that read a customer's data, for the read-spree rule. */
  private static final Set<OperationAction> READS =
      EnumSet.of(OperationAction.VIEW, OperationAction.QUERY, OperationAction.REVEAL);

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

  private static final Comparator<Finding> ORDER =
      Comparator.comparingLong(Finding::firstSequence)
          .thenComparing(Finding::rule)
          .thenComparing(Finding::actor)
          .thenComparing(Finding::description);

  private AuditRules() {}

  /** Applies every rule to one day's records and returns the findings in their fixed order. */
  public static List<Finding> apply(List<OperationLogRecord> dayRecords, AuditRuleSettings s) {
    List<OperationLogRecord> ops = new ArrayList<>(dayRecords);
    ops.sort(
        Comparator.comparingLong(OperationLogRecord::getSequence)
            .thenComparing(OperationLogRecord::getTime));
    List<Finding> findings = new ArrayList<>();
    offHours(ops, s, findings);
    bulkExports(ops, s, findings);
    noPurpose(ops, s, findings);
    roleNotPermitted(ops, s, findings);
    readSprees(ops, s, findings);
    findings.sort(ORDER);
    return List.copyOf(findings);
  }

  private static void offHours(
      List<OperationLogRecord> ops, AuditRuleSettings s, List<Finding> findings) {
    for (OperationLogRecord r : ops) {
      OperationAction action = r.getAction();
      if (action != OperationAction.REVEAL && action != OperationAction.EXPORT) {
        continue;
      }
      if (s.isBusinessHours(r.getTime())) {
        continue;
      }
      String what =
          action == OperationAction.REVEAL
              ? "revealed (decrypted) " + target(r)
              : "exported " + rows(r) + target(r);
      findings.add(
          finding(
              Rule.OFF_HOURS_DECRYPT_OR_EXPORT,
              denied(r) ? Severity.LOW : Severity.HIGH,
              List.of(r),
              s,
              who(r)
                  + " "
                  + what
                  + " at "
                  + at(r.getTime(), s)
                  + ", outside business hours ("
                  + businessHours(s)
                  + ")"
                  + outcomeNote(r)));
    }
  }

  private static void bulkExports(
      List<OperationLogRecord> ops, AuditRuleSettings s, List<Finding> findings) {
    for (OperationLogRecord r : ops) {
      Long rows = r.getRecordCount();
      if (r.getAction() != OperationAction.EXPORT || rows == null || rows <= s.bulkExportRows()) {
        continue;
      }
      findings.add(
          finding(
              Rule.BULK_EXPORT,
              denied(r) ? Severity.LOW : Severity.HIGH,
              List.of(r),
              s,
              who(r)
                  + " exported "
                  + rows(r)
                  + target(r)
                  + " at "
                  + at(r.getTime(), s)
                  + ", above the bulk-export threshold of "
                  + s.bulkExportRows()
                  + " rows"
                  + outcomeNote(r)));
    }
  }

  private static void noPurpose(
      List<OperationLogRecord> ops, AuditRuleSettings s, List<Finding> findings) {
    Map<String, List<OperationLogRecord>> byActor = new LinkedHashMap<>();
    for (OperationLogRecord r : ops) {
      if (r.getOutcome() == Outcome.ALLOWED
          && s.needsPurpose(r.getAction(), r.getResourceType())
          && blank(r.getPurpose())
          && blank(r.getTicketRef())) {
        byActor.computeIfAbsent(r.getActor(), a -> new ArrayList<>()).add(r);
      }
    }
    for (List<OperationLogRecord> rs : byActor.values()) {
      Map<String, Integer> kinds = new TreeMap<>();
      for (OperationLogRecord r : rs) {
        kinds.merge(r.getAction() + " " + r.getResourceType(), 1, Integer::sum);
      }
      StringBuilder breakdown = new StringBuilder();
      kinds.forEach(
          (kind, n) ->
              breakdown
                  .append(breakdown.isEmpty() ? "" : ", ")
                  .append(kind)
                  .append(" ×")
                  .append(n));
      findings.add(
          finding(
              Rule.NO_PURPOSE,
              Severity.MEDIUM,
              rs,
              s,
              who(rs.get(0))
                  + " accessed customer data "
                  + times(rs.size())
                  + " with neither a purpose nor a ticket ("
                  + breakdown
                  + "), "
                  + span(rs, s)));
    }
  }

  private static void roleNotPermitted(
      List<OperationLogRecord> ops, AuditRuleSettings s, List<Finding> findings) {
    record Key(String actor, ActorRole role, OperationAction action, ResourceType resource) {}
    Map<Key, List<OperationLogRecord>> groups = new LinkedHashMap<>();
    for (OperationLogRecord r : ops) {
      if (!s.permits(r.getActorRole(), r.getAction(), r.getResourceType())) {
        groups
            .computeIfAbsent(
                new Key(r.getActor(), r.getActorRole(), r.getAction(), r.getResourceType()),
                k -> new ArrayList<>())
            .add(r);
      }
    }
    groups.forEach(
        (k, rs) -> {
          long deniedCount = rs.stream().filter(AuditRules::denied).count();
          findings.add(
              finding(
                  Rule.ROLE_NOT_PERMITTED,
                  deniedCount == rs.size() ? Severity.MEDIUM : Severity.HIGH,
                  rs,
                  s,
                  who(rs.get(0))
                      + " performed "
                      + k.action()
                      + " on "
                      + k.resource()
                      + " "
                      + times(rs.size())
                      + ", which the "
                      + k.role()
                      + " role is not permitted, "
                      + span(rs, s)
                      + deniedNote(deniedCount, rs.size())));
        });
  }

  private static void readSprees(
      List<OperationLogRecord> ops, AuditRuleSettings s, List<Finding> findings) {
    Map<String, List<OperationLogRecord>> byActor = new LinkedHashMap<>();
    for (OperationLogRecord r : ops) {
      if (READS.contains(r.getAction()) && !blank(r.getCustomerPseudonym())) {
        byActor.computeIfAbsent(r.getActor(), a -> new ArrayList<>()).add(r);
      }
    }
    long window = s.readSpreeWindow().toMillis();
    for (List<OperationLogRecord> reads : byActor.values()) {
      if (reads.size() <= s.readSpreeCustomers()) {
        continue; // cannot exceed the threshold
      }
      reads.sort(
          Comparator.comparing(OperationLogRecord::getTime)
              .thenComparingLong(OperationLogRecord::getSequence));
      // Sliding window [time(i), time(i) + window) ending at each read; the distinct count is
      // kept in a multiset so that moving either edge costs O(1).
      Map<String, Integer> inWindow = new HashMap<>();
      int peak = 0;
      int peakFrom = 0;
      int peakTo = -1;
      int from = 0;
      for (int to = 0; to < reads.size(); to++) {
        long t = reads.get(to).getTime().toEpochMilli();
        inWindow.merge(reads.get(to).getCustomerPseudonym(), 1, Integer::sum);
        while (t - reads.get(from).getTime().toEpochMilli() >= window) {
          inWindow.compute(reads.get(from).getCustomerPseudonym(), (c, n) -> n == 1 ? null : n - 1);
          from++;
        }
        if (inWindow.size() > peak) {
          peak = inWindow.size();
          peakFrom = from;
          peakTo = to;
        }
      }
      if (peak <= s.readSpreeCustomers()) {
        continue;
      }
      List<OperationLogRecord> spree = reads.subList(peakFrom, peakTo + 1);
      long deniedCount = spree.stream().filter(AuditRules::denied).count();
      findings.add(
          finding(
              Rule.READ_SPREE,
              Severity.HIGH,
              spree,
              s,
              who(spree.get(0))
                  + " read "
                  + peak
                  + " distinct customers ("
                  + spree.size()
                  + " reads) "
                  + span(spree, s)
                  + ", more than the "
                  + s.readSpreeCustomers()
                  + " allowed within "
                  + s.readSpreeWindow().toMinutes()
                  + " minutes"
                  + deniedNote(deniedCount, spree.size())));
    }
  }

  private static Finding finding(
      Rule rule,
      Severity severity,
      List<OperationLogRecord> records,
      AuditRuleSettings s,
      String description) {
    long[] sequences =
        records.stream().mapToLong(OperationLogRecord::getSequence).sorted().toArray();
    List<Long> listed = new ArrayList<>();
    for (int i = 0; i < Math.min(sequences.length, s.maxListedSequences()); i++) {
      listed.add(sequences[i]);
    }
    return new Finding(
        rule,
        severity,
        records.get(0).getActor(),
        sequences[0],
        sequences[sequences.length - 1],
        listed,
        sequences.length,
        description + ".");
  }

  private static boolean denied(OperationLogRecord r) {
    return r.getOutcome() == Outcome.DENIED;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String who(OperationLogRecord r) {
    return r.getActor() + " (" + r.getActorRole() + ")";
  }

  private static String target(OperationLogRecord r) {
    String customer =
        blank(r.getCustomerPseudonym()) ? "" : " of customer " + r.getCustomerPseudonym();
    return r.getResourceType() + " " + r.getResourceId() + customer;
  }

  private static String rows(OperationLogRecord r) {
    return r.getRecordCount() == null ? "" : r.getRecordCount() + " rows of ";
  }

  private static String outcomeNote(OperationLogRecord r) {
    return denied(r) ? "; the request was DENIED" : "";
  }

  private static String deniedNote(long denied, int of) {
    if (denied == 0) {
      return "";
    }
    return denied == of ? "; all were DENIED" : "; " + denied + " of " + of + " were DENIED";
  }

  private static String times(int n) {
    return n == 1 ? "once" : n + " times";
  }

  private static String span(List<OperationLogRecord> rs, AuditRuleSettings s) {
    Instant first = rs.stream().map(OperationLogRecord::getTime).min(Instant::compareTo).get();
    Instant last = rs.stream().map(OperationLogRecord::getTime).max(Instant::compareTo).get();
    return first.equals(last)
        ? "at " + at(first, s)
        : "between " + TIME.format(first.atZone(s.zone())) + " and " + at(last, s);
  }

  private static String at(Instant t, AuditRuleSettings s) {
    return TIME.format(t.atZone(s.zone())) + " " + s.zone().getId();
  }

  private static String businessHours(AuditRuleSettings s) {
    String days;
    if (s.businessDays().size() == DayOfWeek.values().length) {
      days = "every day";
    } else if (s.businessDays().isEmpty()) {
      days = "no day";
    } else {
      StringBuilder b = new StringBuilder();
      for (DayOfWeek d : s.businessDays()) {
        b.append(b.isEmpty() ? "" : ", ").append(d.getDisplayName(TextStyle.SHORT, Locale.ROOT));
      }
      days = b.toString();
    }
    return CLOCK.format(s.businessStart())
        + "–"
        + CLOCK.format(s.businessEnd())
        + " "
        + days
        + ", "
        + s.zone().getId();
  }
}
