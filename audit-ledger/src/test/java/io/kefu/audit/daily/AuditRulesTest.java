package io.kefu.audit.daily;

import static io.kefu.audit.daily.Ops.agentView;
import static io.kefu.audit.daily.Ops.at;
import static io.kefu.audit.daily.Ops.bareView;
import static io.kefu.audit.daily.Ops.export;
import static io.kefu.audit.daily.Ops.op;
import static io.kefu.audit.daily.Ops.reveal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.audit.daily.Finding.Rule;
import io.kefu.audit.daily.Finding.Severity;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AuditRulesTest {

  private static final AuditRuleSettings S = AuditRuleSettings.DEFAULTS;

  private static List<Finding> apply(OperationLogRecord... records) {
    return AuditRules.apply(List.of(records), S);
  }

  private static List<Finding> only(Rule rule, List<Finding> findings) {
    return findings.stream().filter(f -> f.rule() == rule).toList();
  }

  @Test
  void defaultsMatchTheSimulator() {
    assertEquals("Asia/Shanghai", S.zone().getId());
    assertEquals(LocalTime.of(8, 0), S.businessStart());
    assertEquals(LocalTime.of(20, 0), S.businessEnd());
    assertEquals(EnumSet.allOf(DayOfWeek.class), S.businessDays());
    assertEquals(10_000, S.bulkExportRows());
    assertEquals(100, S.readSpreeCustomers());
    assertEquals(Duration.ofHours(1), S.readSpreeWindow());
  }

  @Test
  void ordinaryDayHasNoFindings() {
    assertEquals(
        List.of(),
        apply(
            agentView(0, at(0, 30), "d-billing-001", "cust-1"), // agents work around the clock
            reveal(1, at(9, 15), "sup-01", "cust-2"),
            export(2, at(18, 30), "sup-01", ResourceType.REPORT, 1_999),
            agentView(3, at(23, 59), "d-billing-001", "cust-3")));
  }

  @Test
  void settingsRejectNonsense() {
    assertThrows(
        IllegalArgumentException.class,
        () -> S.withBusinessHours(LocalTime.of(20, 0), LocalTime.of(8, 0), S.businessDays()));
    assertThrows(IllegalArgumentException.class, () -> S.withReadSpree(0, Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class, () -> S.withReadSpree(100, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> S.withBulkExportRows(-1));
  }

  @Nested
  class OffHours {

    @Test
    void revealAtNightIsFlagged() {
      List<Finding> f = apply(reveal(7, at(23, 12), "sup-03", "cust-0000042"));
      assertEquals(1, f.size());
      Finding x = f.get(0);
      assertEquals(Rule.OFF_HOURS_DECRYPT_OR_EXPORT, x.rule());
      assertEquals(Severity.HIGH, x.severity());
      assertEquals("sup-03", x.actor());
      assertEquals(List.of(7L), x.sequences());
      assertEquals(7, x.firstSequence());
      assertEquals(7, x.lastSequence());
      assertEquals(1, x.count());
      assertEquals(
          "sup-03 (SUPERVISOR) revealed (decrypted) VAULT cust-0000042 of customer cust-0000042 at"
              + " 2026-11-23 23:12:00 Asia/Shanghai, outside business hours (08:00–20:00 every"
              + " day, Asia/Shanghai).",
          x.description());
    }

    @Test
    void businessHoursIncludeTheirStartAndExcludeTheirEnd() {
      assertEquals(List.of(), apply(reveal(0, at(8, 0), "sup-01", "c")));
      assertEquals(List.of(), apply(reveal(0, at(19, 59, 59, 999), "sup-01", "c")));
      assertEquals(1, apply(reveal(0, at(7, 59, 59, 999), "sup-01", "c")).size());
      assertEquals(1, apply(reveal(0, at(20, 0), "sup-01", "c")).size());
    }

    @Test
    void exportAtNightIsFlaggedButReadingIsNot() {
      List<Finding> f =
          apply(
              export(0, at(2, 0), "sup-01", ResourceType.REPORT, 10),
              agentView(1, at(2, 5), "d-billing-001", "cust-1"));
      assertEquals(1, f.size());
      assertEquals(Rule.OFF_HOURS_DECRYPT_OR_EXPORT, f.get(0).rule());
      assertTrue(f.get(0).description().contains("exported 10 rows of REPORT"));
    }

    @Test
    void deniedAttemptIsLowSeverityAndSaysSo() {
      OperationLogRecord r = reveal(0, at(22, 0), "sup-01", "c");
      r.setOutcome(Outcome.DENIED);
      Finding x = apply(r).get(0);
      assertEquals(Severity.LOW, x.severity());
      assertTrue(x.description().endsWith("; the request was DENIED."), x.description());
    }

    @Test
    void daysWithoutBusinessHoursAreOffHoursAllDay() {
      AuditRuleSettings weekdays =
          S.withBusinessHours(
              LocalTime.of(8, 0),
              LocalTime.of(20, 0),
              EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
      Instant saturdayNoon = at(12, 0).plus(Duration.ofDays(5));
      OperationLogRecord r = reveal(0, saturdayNoon, "sup-01", "c");
      assertEquals(List.of(), AuditRules.apply(List.of(r), S));
      List<Finding> f = AuditRules.apply(List.of(r), weekdays);
      assertEquals(1, f.size());
      assertTrue(f.get(0).description().contains("(08:00–20:00 Mon, Tue, Wed, Thu, Fri"));
    }

    @Test
    void hoursAreReadInTheConfiguredZone() {
      // 10:00 in Shanghai is 02:00 UTC.
      OperationLogRecord r = reveal(0, at(10, 0), "sup-01", "c");
      assertEquals(List.of(), AuditRules.apply(List.of(r), S));
      List<Finding> utc = AuditRules.apply(List.of(r), S.withZone(ZoneOffset.UTC));
      assertEquals(1, utc.size());
      assertTrue(utc.get(0).description().contains("2026-11-23 02:00:00 Z"));
    }
  }

  @Nested
  class BulkExport {

    @Test
    void exactlyAtTheThresholdIsNotBulk() {
      assertEquals(List.of(), apply(export(0, at(11, 0), "sup-01", ResourceType.LAKE, 10_000)));
    }

    @Test
    void oneRowAboveIsBulk() {
      List<Finding> f = apply(export(5, at(11, 0), "sup-01", ResourceType.LAKE, 10_001));
      assertEquals(1, f.size());
      assertEquals(Rule.BULK_EXPORT, f.get(0).rule());
      assertEquals(Severity.HIGH, f.get(0).severity());
      assertTrue(
          f.get(0).description().contains("exported 10001 rows of LAKE res-1")
              && f.get(0).description().contains("threshold of 10000 rows"),
          f.get(0).description());
    }

    @Test
    void largeQueriesAndUnknownCountsAreNotExports() {
      OperationLogRecord query =
          op(
              0,
              at(11, 0),
              "ana-01",
              ActorRole.ANALYST,
              OperationAction.QUERY,
              ResourceType.LAKE,
              null,
              "weekly analysis",
              null,
              Outcome.ALLOWED,
              101_000L);
      OperationLogRecord unknown = export(1, at(11, 0), "sup-01", ResourceType.LAKE, 0);
      unknown.setRecordCount(null);
      assertEquals(List.of(), apply(query, unknown));
    }

    @Test
    void nightBulkExportIsBothOffHoursAndBulkInRuleOrder() {
      List<Finding> f = apply(export(33, at(2, 40), "sup-03", ResourceType.LAKE, 50_000));
      assertEquals(
          List.of(Rule.OFF_HOURS_DECRYPT_OR_EXPORT, Rule.BULK_EXPORT),
          f.stream().map(Finding::rule).toList());
    }
  }

  @Nested
  class NoPurpose {

    @Test
    void oneFindingPerActorListingEveryAccess() {
      List<Finding> f =
          apply(
              bareView(3, at(10, 0), "d-a", "cust-1"),
              bareView(9, at(11, 0), "d-b", "cust-2"),
              bareView(12, at(15, 30), "d-a", "cust-3"),
              agentView(13, at(15, 31), "d-a", "cust-4"));
      assertEquals(2, f.size());
      Finding a = f.get(0);
      assertEquals(Rule.NO_PURPOSE, a.rule());
      assertEquals(Severity.MEDIUM, a.severity());
      assertEquals("d-a", a.actor());
      assertEquals(List.of(3L, 12L), a.sequences());
      assertEquals(2, a.count());
      assertEquals(
          "d-a (AGENT) accessed customer data 2 times with neither a purpose nor a ticket (VIEW"
              + " CUSTOMER_RECORD ×2), between 2026-11-23 10:00:00 and 2026-11-23 15:30:00"
              + " Asia/Shanghai.",
          a.description());
      assertEquals("d-b", f.get(1).actor());
    }

    @Test
    void blankCountsAsMissingAndEitherFieldSuffices() {
      OperationLogRecord blank = bareView(0, at(10, 0), "d-a", "c1");
      blank.setPurpose("  ");
      blank.setTicketRef("");
      OperationLogRecord purposeOnly = bareView(1, at(10, 0), "d-b", "c2");
      purposeOnly.setPurpose("处理客户会话");
      OperationLogRecord ticketOnly = bareView(2, at(10, 0), "d-c", "c3");
      ticketOnly.setTicketRef("c-0000001");
      List<Finding> f = apply(blank, purposeOnly, ticketOnly);
      assertEquals(1, f.size());
      assertEquals("d-a", f.get(0).actor());
    }

    @Test
    void revealWithoutPurposeIsFlaggedButDeniedAccessIsNot() {
      OperationLogRecord allowed = reveal(0, at(10, 0), "sup-01", "c1");
      allowed.setPurpose(null);
      allowed.setTicketRef(null);
      OperationLogRecord denied = reveal(1, at(11, 0), "sup-02", "c2");
      denied.setPurpose(null);
      denied.setTicketRef(null);
      denied.setOutcome(Outcome.DENIED);
      List<Finding> f = apply(allowed, denied);
      assertEquals(1, f.size());
      assertEquals("sup-01", f.get(0).actor());
    }

    @Test
    void accessOutsideCustomerDataNeedsNoPurpose() {
      OperationLogRecord kpis =
          op(
              0,
              at(10, 0),
              "sup-01",
              ActorRole.SUPERVISOR,
              OperationAction.QUERY,
              ResourceType.KPI_TABLE,
              null,
              null,
              null,
              Outcome.ALLOWED,
              100L);
      assertEquals(List.of(), apply(kpis));
    }
  }

  @Nested
  class RoleNotPermitted {

    @Test
    void agentExportIsFlaggedEvenWhenDenied() {
      OperationLogRecord r =
          op(
              1831,
              at(15, 20),
              "d-billing-001",
              ActorRole.AGENT,
              OperationAction.EXPORT,
              ResourceType.REPORT,
              null,
              "个人备份",
              null,
              Outcome.DENIED,
              3000L);
      List<Finding> f = apply(r);
      assertEquals(1, f.size());
      assertEquals(Rule.ROLE_NOT_PERMITTED, f.get(0).rule());
      assertEquals(Severity.MEDIUM, f.get(0).severity());
      assertEquals(
          "d-billing-001 (AGENT) performed EXPORT on REPORT once, which the AGENT role is not"
              + " permitted, at 2026-11-23 15:20:00 Asia/Shanghai; all were DENIED.",
          f.get(0).description());
    }

    @Test
    void allowedViolationIsHighAndGroupedPerActionAndResource() {
      List<OperationLogRecord> rs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        OperationLogRecord r = reveal(i, at(14, i), "ana-01", "c" + i);
        r.setActorRole(ActorRole.ANALYST);
        rs.add(r);
      }
      rs.get(0).setOutcome(Outcome.DENIED);
      List<Finding> f = AuditRules.apply(rs, S);
      assertEquals(1, f.size());
      assertEquals(Severity.HIGH, f.get(0).severity());
      assertEquals(3, f.get(0).count());
      assertTrue(f.get(0).description().endsWith("; 1 of 3 were DENIED."));
    }

    @Test
    void permissionTableFollowsTheSimulatorsNormalTraffic() {
      assertTrue(S.permits(ActorRole.AGENT, OperationAction.VIEW, ResourceType.CUSTOMER_RECORD));
      assertTrue(S.permits(ActorRole.AGENT, OperationAction.VIEW, ResourceType.CONVERSATION));
      assertTrue(S.permits(ActorRole.SUPERVISOR, OperationAction.QUERY, ResourceType.KPI_TABLE));
      assertTrue(S.permits(ActorRole.SUPERVISOR, OperationAction.EXPORT, ResourceType.REPORT));
      assertTrue(S.permits(ActorRole.SUPERVISOR, OperationAction.EXPORT, ResourceType.LAKE));
      assertTrue(S.permits(ActorRole.SUPERVISOR, OperationAction.REVEAL, ResourceType.VAULT));
      assertTrue(S.permits(ActorRole.ANALYST, OperationAction.QUERY, ResourceType.LAKE));
      assertTrue(
          S.permits(ActorRole.QA_INSPECTOR, OperationAction.VIEW, ResourceType.CONVERSATION));
      assertTrue(S.permits(ActorRole.ADMIN, OperationAction.RULE_CHANGE, ResourceType.QA_RULES));
      assertTrue(S.permits(ActorRole.ADMIN, OperationAction.KEY_ROTATE, ResourceType.KEYSET));
      assertTrue(S.permits(ActorRole.SYSTEM, OperationAction.ERASE, ResourceType.LAKE));
      for (ResourceType t : ResourceType.values()) {
        assertTrue(S.permits(ActorRole.AUDITOR, OperationAction.VIEW, t));
        assertTrue(S.permits(ActorRole.AGENT, OperationAction.LOGIN, t));
      }

      assertTrue(!S.permits(ActorRole.AGENT, OperationAction.EXPORT, ResourceType.REPORT));
      assertTrue(!S.permits(ActorRole.AGENT, OperationAction.REVEAL, ResourceType.VAULT));
      assertTrue(!S.permits(ActorRole.ANALYST, OperationAction.REVEAL, ResourceType.VAULT));
      assertTrue(!S.permits(ActorRole.AUDITOR, OperationAction.EXPORT, ResourceType.LAKE));
      assertTrue(!S.permits(ActorRole.QA_INSPECTOR, OperationAction.REVEAL, ResourceType.VAULT));
    }

    @Test
    void roleMissingFromTheTableMayDoNothing() {
      AuditRuleSettings onlyAgents =
          S.withPermissions(
              Map.of(
                  ActorRole.AGENT,
                  Map.of(OperationAction.VIEW, Set.of(ResourceType.CUSTOMER_RECORD))));
      OperationLogRecord r = reveal(0, at(10, 0), "sup-01", "c");
      assertEquals(
          List.of(Rule.ROLE_NOT_PERMITTED),
          AuditRules.apply(List.of(r), onlyAgents).stream().map(Finding::rule).toList());
    }
  }

  @Nested
  class ReadSpree {

    /** {@code n} views by one agent of distinct customers, {@code gapMillis} apart from 21:00. */
    private List<OperationLogRecord> views(int n, long gapMillis) {
      List<OperationLogRecord> rs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        rs.add(agentView(i, at(21, 0).plusMillis(i * gapMillis), "d-delivery-005", "cust-" + i));
      }
      return rs;
    }

    @Test
    void moreThanTheThresholdWithinAnHourIsASpree() {
      List<Finding> f = only(Rule.READ_SPREE, AuditRules.apply(views(101, 30_000), S));
      assertEquals(1, f.size());
      Finding x = f.get(0);
      assertEquals(Severity.HIGH, x.severity());
      assertEquals(101, x.count());
      assertEquals(0, x.firstSequence());
      assertEquals(100, x.lastSequence());
      assertEquals(
          "d-delivery-005 (AGENT) read 101 distinct customers (101 reads) between 2026-11-23"
              + " 21:00:00 and 2026-11-23 21:50:00 Asia/Shanghai, more than the 100 allowed"
              + " within 60 minutes.",
          x.description());
    }

    @Test
    void exactlyTheThresholdIsNotASpree() {
      assertEquals(List.of(), AuditRules.apply(views(100, 30_000), S));
    }

    @Test
    void repeatedCustomersCountOnce() {
      List<OperationLogRecord> rs = views(100, 30_000);
      rs.add(agentView(100, at(21, 55), "d-delivery-005", "cust-7"));
      assertEquals(List.of(), AuditRules.apply(rs, S));
    }

    @Test
    void windowExcludesReadsExactlyAnHourApart() {
      // 101 reads 36 s apart span exactly 60 minutes: the first and last are not in one window.
      assertEquals(List.of(), AuditRules.apply(views(101, 36_000), S));
      assertEquals(1, AuditRules.apply(views(101, 35_999), S).size());
    }

    @Test
    void reportsThePeakWindowOnly() {
      List<OperationLogRecord> rs = new ArrayList<>();
      // A slow morning (one read an hour) then 120 customers in 40 minutes.
      for (int h = 0; h < 10; h++) {
        rs.add(agentView(h, at(9 + h, 0), "d-x", "morning-" + h));
      }
      for (int i = 0; i < 120; i++) {
        rs.add(agentView(10 + i, at(20, 0).plusMillis(i * 20_000L), "d-x", "evening-" + i));
      }
      List<Finding> f = only(Rule.READ_SPREE, AuditRules.apply(rs, S));
      assertEquals(1, f.size());
      Finding x = f.get(0);
      assertEquals(120, x.count());
      assertEquals(10, x.firstSequence());
      assertEquals(129, x.lastSequence());
      assertTrue(x.description().contains("read 120 distinct customers (120 reads) between"));
    }

    @Test
    void deniedReadsCountAndAreNamed() {
      List<OperationLogRecord> rs = views(101, 1_000);
      rs.get(5).setOutcome(Outcome.DENIED);
      Finding x = AuditRules.apply(rs, S).get(0);
      assertTrue(x.description().endsWith("; 1 of 101 were DENIED."), x.description());
    }

    @Test
    void listIsCappedButCountIsNot() {
      List<Finding> f = AuditRules.apply(views(150, 1_000), S.withMaxListedSequences(10));
      Finding x = f.get(0);
      assertEquals(150, x.count());
      assertEquals(10, x.sequences().size());
      assertEquals(0, x.firstSequence());
      assertEquals(149, x.lastSequence());
    }

    @Test
    void readsWithoutACustomerDoNotCount() {
      List<OperationLogRecord> rs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        rs.add(
            op(
                i,
                at(10, 0).plusSeconds(i),
                "sup-01",
                ActorRole.SUPERVISOR,
                OperationAction.QUERY,
                ResourceType.KPI_TABLE,
                null,
                "实时监控",
                null,
                Outcome.ALLOWED,
                10L));
      }
      assertEquals(List.of(), AuditRules.apply(rs, S));
    }
  }

  @Test
  void resultIgnoresInputOrder() {
    List<OperationLogRecord> day = simulatorShapedDay(new Random(7));
    List<Finding> expected = AuditRules.apply(day, S);
    List<OperationLogRecord> shuffled = new ArrayList<>(day);
    Collections.shuffle(shuffled, new Random(11));
    assertEquals(expected, AuditRules.apply(shuffled, S));
  }

  @Test
  void findingsAreOrderedByFirstSequenceThenRule() {
    List<Finding> f = AuditRules.apply(simulatorShapedDay(new Random(7)), S);
    for (int i = 1; i < f.size(); i++) {
      Finding a = f.get(i - 1);
      Finding b = f.get(i);
      assertTrue(
          a.firstSequence() < b.firstSequence()
              || (a.firstSequence() == b.firstSequence() && a.rule().compareTo(b.rule()) <= 0),
          a + " before " + b);
    }
  }

  /**
   * A day shaped like {@code OperationLogGenerator}'s: normal traffic plus one of each injected
   * pattern. Every injected record must be found, by the rule its kind calls for, and nothing else.
   */
  @Test
  void simulatorShapedDayFindsEveryInjectedPatternAndNothingElse() {
    List<Finding> f = AuditRules.apply(simulatorShapedDay(new Random(7)), S);
    Set<Long> flagged = new TreeSet<>();
    f.forEach(x -> flagged.addAll(x.sequences()));
    List<OperationLogRecord> day = simulatorShapedDay(new Random(7));
    Set<Long> injected = new TreeSet<>();
    for (OperationLogRecord r : day) {
      if (r.getAttributes().containsKey("injected")) {
        injected.add(r.getSequence());
      }
    }
    assertEquals(injected, flagged);

    List<String> got =
        f.stream().map(x -> x.rule() + " " + x.actor() + " " + x.count()).sorted().toList();
    assertEquals(
        List.of(
            "BULK_EXPORT sup-02 1",
            "NO_PURPOSE d-careless-1 2",
            "NO_PURPOSE d-careless-2 1",
            "NO_PURPOSE d-spree 150", // the spree's reads have no purpose either
            "OFF_HOURS_DECRYPT_OR_EXPORT sup-02 1", // the night bulk export
            "OFF_HOURS_DECRYPT_OR_EXPORT sup-02 1", // the late reveal
            "READ_SPREE d-spree 150",
            "ROLE_NOT_PERMITTED ana-01 1",
            "ROLE_NOT_PERMITTED d-exporter 1"),
        got);
  }

  /** The generator's patterns with a seeded mix of its normal traffic, sequences by time. */
  private static List<OperationLogRecord> simulatorShapedDay(Random rnd) {
    List<OperationLogRecord> day = new ArrayList<>();
    // Agents look up the customer of each conversation they take, around the clock.
    for (int i = 0; i < 2_000; i++) {
      Instant t = at(0, 0).plusMillis((long) (rnd.nextDouble() * 86_400_000L));
      String agent = String.format("d-billing-%03d", 1 + rnd.nextInt(20));
      day.add(agentView(0, t, agent, "cust-" + rnd.nextInt(5_000)));
    }
    for (int s = 1; s <= 3; s++) {
      String sup = "sup-0" + s;
      for (int m = 9 * 60 + rnd.nextInt(30); m < 18 * 60; m += 30 + rnd.nextInt(30)) {
        day.add(
            op(
                0,
                at(0, m),
                sup,
                ActorRole.SUPERVISOR,
                OperationAction.QUERY,
                ResourceType.KPI_TABLE,
                null,
                "实时监控",
                null,
                Outcome.ALLOWED,
                50L + rnd.nextInt(500)));
      }
      day.add(
          export(0, at(18, rnd.nextInt(40)), sup, ResourceType.REPORT, 200 + rnd.nextInt(1800)));
    }
    for (int a = 1; a <= 3; a++) {
      for (int q = 0; q < 8; q++) {
        day.add(
            op(
                0,
                at(10, 0).plusMillis((long) (rnd.nextDouble() * 7 * 3_600_000)),
                "ana-0" + a,
                ActorRole.ANALYST,
                OperationAction.QUERY,
                ResourceType.LAKE,
                null,
                "weekly analysis",
                null,
                Outcome.ALLOWED,
                1_000L + rnd.nextInt(100_000)));
      }
    }
    for (int i = 1; i <= 2; i++) {
      for (int r = 0; r < 40; r++) {
        day.add(
            op(
                0,
                at(9, 0).plusMillis((long) (rnd.nextDouble() * 9 * 3_600_000)),
                "qa-0" + i,
                ActorRole.QA_INSPECTOR,
                OperationAction.VIEW,
                ResourceType.CONVERSATION,
                null,
                "质检抽检",
                null,
                Outcome.ALLOWED,
                1L));
      }
    }
    day.add(
        op(
            0,
            at(10, 30),
            "admin-01",
            ActorRole.ADMIN,
            OperationAction.RULE_CHANGE,
            ResourceType.QA_RULES,
            null,
            "update rule set",
            "CHG-1000",
            Outcome.ALLOWED,
            null));
    for (int r = 0; r < 12; r++) {
      OperationLogRecord x =
          reveal(
              0,
              at(9, 0).plusMillis((long) (rnd.nextDouble() * 9 * 3_600_000)),
              "sup-0" + (1 + rnd.nextInt(3)),
              "cust-" + rnd.nextInt(5_000));
      if (r % 4 == 0) { // a tenth or so are denied, and then carry no purpose or ticket
        x.setOutcome(Outcome.DENIED);
        x.setPurpose(null);
        x.setTicketRef(null);
      }
      day.add(x);
    }

    // Injected patterns.
    day.add(injected(export(0, at(2, 17), "sup-02", ResourceType.LAKE, 50_000)));
    for (int i = 0; i < 150; i++) {
      day.add(
          injected(
              bareView(
                  0,
                  at(21, 0).plusMillis((long) ((double) i / 150 * 50 * 60_000)),
                  "d-spree",
                  "cust-" + (i * 7919L % 5_000))));
    }
    List<String> careless = List.of("d-careless-1", "d-careless-2", "d-careless-1");
    for (int i = 0; i < careless.size(); i++) {
      day.add(
          injected(bareView(0, at(10, 0).plusSeconds(i * 3_600L), careless.get(i), "cust-9" + i)));
    }
    day.add(
        injected(
            op(
                0,
                at(15, 20),
                "d-exporter",
                ActorRole.AGENT,
                OperationAction.EXPORT,
                ResourceType.REPORT,
                null,
                "个人备份",
                null,
                Outcome.DENIED,
                3000L)));
    OperationLogRecord analystReveal = reveal(0, at(14, 10), "ana-01", "cust-77");
    analystReveal.setActorRole(ActorRole.ANALYST);
    analystReveal.setPurpose("curiosity");
    analystReveal.setTicketRef(null);
    analystReveal.setOutcome(Outcome.DENIED);
    day.add(injected(analystReveal));
    day.add(injected(reveal(0, at(23, 20), "sup-02", "cust-77")));

    day.sort(Comparator.comparing(OperationLogRecord::getTime));
    for (int i = 0; i < day.size(); i++) {
      day.get(i).setSequence(i);
    }
    return day;
  }

  private static OperationLogRecord injected(OperationLogRecord r) {
    r.setAttributes(Map.of("injected", "true"));
    return r;
  }
}
