package io.kefu.simulator;

import io.kefu.schemas.ActorRole;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The operation log of everyone but the agents' own record look-ups (those come from the contact
 * centre): supervisors querying KPIs and exporting reports, analysts querying the lake, quality
 * inspectors reading conversations, rule changes, identity reveals — and, when enabled, one of each
 * suspicious pattern a daily audit should flag.
 */
final class OperationLogGenerator {

  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;

  /** Suspicious records found by kind, for the ground truth. */
  record Flagged(String kind, String actor, List<OperationLogRecord> records, String description) {}

  private final SimulatorConfig cfg;
  private final int customers;
  private final long conversations;
  private final List<String> agentIds;

  OperationLogGenerator(SimulatorConfig cfg, int customers, List<String> agentIds) {
    this.cfg = cfg;
    this.customers = customers;
    this.conversations = Math.max(1, cfg.conversations);
    this.agentIds = agentIds;
  }

  /** Adds one day's records (day starting at local midnight {@code dayStart}) to {@code log}. */
  void day(int day, long dayStart, List<OperationLogRecord> log, List<Flagged> flagged) {
    SimulatorConfig.OperationLog c = cfg.oplog;
    SplittableRandom rnd = Rng.of(cfg.seed, Rng.Stream.OPLOG, day);
    for (int s = 1; s <= c.supervisors; s++) {
      String actor = "sup-" + Ids.pad(s, 2);
      for (long t = dayStart + 9 * HOUR + rnd.nextInt(30) * MINUTE;
          t < dayStart + 18 * HOUR;
          t += (30 + rnd.nextInt(30)) * MINUTE) {
        log.add(
            op(
                t,
                actor,
                ActorRole.SUPERVISOR,
                OperationAction.QUERY,
                ResourceType.KPI_TABLE,
                "kpi_rows",
                null,
                "实时监控",
                null,
                Outcome.ALLOWED,
                address(2, s),
                50L + rnd.nextInt(500)));
      }
      log.add(
          op(
              dayStart + 18 * HOUR + rnd.nextInt(40) * MINUTE,
              actor,
              ActorRole.SUPERVISOR,
              OperationAction.EXPORT,
              ResourceType.REPORT,
              "daily-report-" + day,
              null,
              "日报",
              null,
              Outcome.ALLOWED,
              address(2, s),
              200L + rnd.nextInt(1800)));
    }
    for (int a = 1; a <= c.analysts; a++) {
      String actor = "ana-" + Ids.pad(a, 2);
      int queries = 3 + rnd.nextInt(6);
      for (int q = 0; q < queries; q++) {
        long t = dayStart + 10 * HOUR + (long) (rnd.nextDouble() * 7 * HOUR);
        log.add(
            op(
                t,
                actor,
                ActorRole.ANALYST,
                OperationAction.QUERY,
                ResourceType.LAKE,
                "events",
                null,
                "weekly analysis",
                null,
                Outcome.ALLOWED,
                address(3, a),
                1000L + rnd.nextInt(100_000)));
      }
    }
    for (int i = 1; i <= c.qaInspectors; i++) {
      String actor = "qa-" + Ids.pad(i, 2);
      int reads = 20 + rnd.nextInt(20);
      for (int r = 0; r < reads; r++) {
        long t = dayStart + 9 * HOUR + (long) (rnd.nextDouble() * 9 * HOUR);
        log.add(
            op(
                t,
                actor,
                ActorRole.QA_INSPECTOR,
                OperationAction.VIEW,
                ResourceType.CONVERSATION,
                conversationId(rnd),
                null,
                "质检抽检",
                null,
                Outcome.ALLOWED,
                address(4, i),
                1L));
      }
    }
    if (Rng.chance(rnd, 0.3)) {
      log.add(
          op(
              dayStart + 10 * HOUR + rnd.nextInt(60) * MINUTE,
              "admin-01",
              ActorRole.ADMIN,
              OperationAction.RULE_CHANGE,
              ResourceType.QA_RULES,
              "qa-rules.yaml",
              null,
              "update rule set",
              "CHG-" + (1000 + day),
              Outcome.ALLOWED,
              address(5, 1),
              null));
    }
    int reveals = Rng.poisson(rnd, c.revealsPerDay);
    for (int r = 0; r < reveals; r++) {
      int s = 1 + rnd.nextInt(Math.max(1, c.supervisors));
      long t = dayStart + 9 * HOUR + (long) (rnd.nextDouble() * 9 * HOUR);
      String customer = Customers.id(rnd.nextInt(customers));
      boolean denied = Rng.chance(rnd, 0.1);
      log.add(
          op(
              t,
              "sup-" + Ids.pad(s, 2),
              ActorRole.SUPERVISOR,
              OperationAction.REVEAL,
              ResourceType.VAULT,
              customer,
              customer,
              denied ? null : "投诉回访",
              denied ? null : "T-" + (10000 + rnd.nextInt(90000)),
              denied ? Outcome.DENIED : Outcome.ALLOWED,
              address(2, s),
              1L));
    }
    if (c.suspicious) {
      suspicious(day, dayStart, rnd, log, flagged);
    }
  }

  private void suspicious(
      int day,
      long dayStart,
      SplittableRandom rnd,
      List<OperationLogRecord> log,
      List<Flagged> flagged) {
    SimulatorConfig.OperationLog c = cfg.oplog;
    String sup = "sup-" + Ids.pad(1 + rnd.nextInt(Math.max(1, c.supervisors)), 2);
    OperationLogRecord bulk =
        op(
            dayStart + 2 * HOUR + rnd.nextInt(120) * MINUTE,
            sup,
            ActorRole.SUPERVISOR,
            OperationAction.EXPORT,
            ResourceType.LAKE,
            "customer_profiles",
            null,
            "ad-hoc",
            null,
            Outcome.ALLOWED,
            "203.0.113." + (1 + rnd.nextInt(250)),
            (long) c.bulkExportRows);
    log.add(bulk);
    flagged.add(
        new Flagged(
            "NIGHT_BULK_EXPORT",
            sup,
            List.of(bulk),
            "export of " + c.bulkExportRows + " rows at night"));

    if (!agentIds.isEmpty()) {
      String agent = agentIds.get(rnd.nextInt(agentIds.size()));
      long start = dayStart + 21 * HOUR;
      List<OperationLogRecord> spree = new ArrayList<>();
      for (int i = 0; i < c.readSpreeCustomers; i++) {
        String customer = Customers.id((int) ((i * 7919L + day * 104729L) % customers));
        long t = start + (long) ((double) i / c.readSpreeCustomers * 50 * MINUTE);
        spree.add(
            op(
                t,
                agent,
                ActorRole.AGENT,
                OperationAction.VIEW,
                ResourceType.CUSTOMER_RECORD,
                customer,
                customer,
                null,
                null,
                Outcome.ALLOWED,
                "10.8.0." + (1 + rnd.nextInt(250)),
                1L));
      }
      log.addAll(spree);
      flagged.add(
          new Flagged(
              "READ_SPREE",
              agent,
              spree,
              agent + " read " + c.readSpreeCustomers + " customer records within an hour"));

      List<OperationLogRecord> noPurpose = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String a = agentIds.get(rnd.nextInt(agentIds.size()));
        String customer = Customers.id(rnd.nextInt(customers));
        noPurpose.add(
            op(
                dayStart + 10 * HOUR + rnd.nextInt(480) * MINUTE,
                a,
                ActorRole.AGENT,
                OperationAction.VIEW,
                ResourceType.CUSTOMER_RECORD,
                customer,
                customer,
                null,
                null,
                Outcome.ALLOWED,
                "10.8.0." + (1 + rnd.nextInt(250)),
                1L));
      }
      log.addAll(noPurpose);
      flagged.add(
          new Flagged(
              "NO_PURPOSE", null, noPurpose, "customer records read without a purpose or ticket"));

      String exportingAgent = agentIds.get(rnd.nextInt(agentIds.size()));
      OperationLogRecord agentExport =
          op(
              dayStart + 15 * HOUR + rnd.nextInt(60) * MINUTE,
              exportingAgent,
              ActorRole.AGENT,
              OperationAction.EXPORT,
              ResourceType.REPORT,
              "agent-queue-report",
              null,
              "个人备份",
              null,
              Outcome.DENIED,
              "10.8.0.9",
              3000L);
      log.add(agentExport);
      flagged.add(
          new Flagged(
              "ROLE_VIOLATION",
              exportingAgent,
              List.of(agentExport),
              "an agent attempted an export"));
    }
    String analyst = "ana-" + Ids.pad(1 + rnd.nextInt(Math.max(1, c.analysts)), 2);
    String customer = Customers.id(rnd.nextInt(customers));
    OperationLogRecord analystReveal =
        op(
            dayStart + 14 * HOUR + rnd.nextInt(60) * MINUTE,
            analyst,
            ActorRole.ANALYST,
            OperationAction.REVEAL,
            ResourceType.VAULT,
            customer,
            customer,
            "curiosity",
            null,
            Outcome.DENIED,
            address(3, 1),
            1L);
    log.add(analystReveal);
    flagged.add(
        new Flagged(
            "ROLE_VIOLATION",
            analyst,
            List.of(analystReveal),
            "an analyst attempted to reveal a customer's identity"));

    OperationLogRecord lateReveal =
        op(
            dayStart + 23 * HOUR + rnd.nextInt(50) * MINUTE,
            sup,
            ActorRole.SUPERVISOR,
            OperationAction.REVEAL,
            ResourceType.VAULT,
            customer,
            customer,
            "投诉回访",
            "T-" + (10000 + rnd.nextInt(90000)),
            Outcome.ALLOWED,
            address(2, 1),
            1L);
    log.add(lateReveal);
    flagged.add(
        new Flagged(
            "OFF_HOURS_REVEAL",
            sup,
            List.of(lateReveal),
            "identity revealed outside business hours"));
  }

  private String conversationId(SplittableRandom rnd) {
    return "c-" + Ids.pad(1 + (long) (rnd.nextDouble() * conversations), 7);
  }

  private static String address(int subnet, int host) {
    return "10.9." + subnet + "." + host;
  }

  private static OperationLogRecord op(
      long t,
      String actor,
      ActorRole role,
      OperationAction action,
      ResourceType type,
      String resourceId,
      String customer,
      String purpose,
      String ticket,
      Outcome outcome,
      String address,
      Long count) {
    return new OperationLogRecord(
        0L,
        Instant.ofEpochMilli(t),
        actor,
        role,
        action,
        type,
        resourceId,
        customer,
        purpose,
        ticket,
        outcome,
        address,
        count,
        Map.of());
  }
}
