package io.kefu.audit.bench;

import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.OperationLog;
import io.kefu.audit.sandbox.EventSandbox;
import io.kefu.audit.sandbox.PiiRedactor;
import io.kefu.audit.sandbox.RevealPolicy;
import io.kefu.audit.sandbox.Sandbox;
import io.kefu.audit.sandbox.SandboxCrypto;
import io.kefu.audit.sandbox.SandboxKeys;
import io.kefu.audit.sandbox.Vault;
import io.kefu.audit.sandbox.VaultEntry;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reveal latency end to end (bench/sandbox.sh): look the token up in a real PostgreSQL vault of N
 * entries (default 100,000), check the policy, decrypt, append the ALLOWED record to the operation
 * log with fsync (group commit of one) and return. Prints p50, p90, p99 and max over 2,000 reveals
 * after 500 for warm-up, and the same without fsync to show what the durable log costs.
 */
public final class SandboxRevealBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path dir = Files.createTempDirectory("reveal-bench");
    SandboxCrypto crypto = new SandboxCrypto(SandboxKeys.init(dir.resolve("keys"), null));
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        Connection c = pg.getPostgresDatabase().getConnection()) {
      Vault vault = new Vault(c);
      vault.create();
      List<String> tokens = fill(c, crypto, n);
      for (boolean fsync : new boolean[] {true, false}) {
        Path logDir = dir.resolve(fsync ? "log-fsync" : "log-nosync");
        try (OperationLog log = OperationLog.open(logDir, LogOptions.defaults().withFsync(fsync))) {
          Sandbox s =
              new Sandbox(
                  c,
                  crypto,
                  RevealPolicy.defaults(),
                  log,
                  Clock.fixed(Instant.parse("2026-11-27T03:00:00Z"), ZoneOffset.UTC));
          Sandbox.Request r =
              new Sandbox.Request("bench", ActorRole.SUPERVISOR, "latency benchmark", "B-1", null);
          long[] micros = new long[2000];
          for (int i = 0; i < 500 + micros.length; i++) {
            String token = tokens.get((i * 7919) % tokens.size());
            long t0 = System.nanoTime();
            s.reveal(token, r);
            long us = (System.nanoTime() - t0) / 1000;
            if (i >= 500) {
              micros[i - 500] = us;
            }
          }
          Arrays.sort(micros);
          System.out.printf(
              "reveal (vault %,d entries, log fsync %s): p50 %d µs, p90 %d µs, p99 %d µs, max %d"
                  + " µs%n",
              n,
              fsync ? "on" : "off",
              micros[micros.length / 2],
              micros[micros.length * 9 / 10],
              micros[micros.length * 99 / 100],
              micros[micros.length - 1]);
        }
      }
    }
  }

  /** N vault rows as the ingest makes them: customer ids and phone numbers in text. */
  private static List<String> fill(Connection c, SandboxCrypto crypto, int n) throws Exception {
    EventSandbox es = new EventSandbox(crypto, PiiRedactor.patterns());
    List<VaultEntry> rows = new ArrayList<>(n);
    for (int i = 0; rows.size() < n; i++) {
      es.apply(
          ConversationEvent.newBuilder()
              .setEventId("e-" + i)
              .setConversationId("c-" + i)
              .setEventType(EventType.CONVERSATION_STARTED)
              .setEventTime(Instant.EPOCH)
              .setTenant("acme")
              .setCustomerId("cust-" + i)
              .build(),
          0L,
          rows::add);
      es.apply(
          ConversationEvent.newBuilder()
              .setEventId("m-" + i)
              .setConversationId("c-" + i)
              .setEventType(EventType.MESSAGE)
              .setEventTime(Instant.EPOCH)
              .setTenant("acme")
              .setRole(Role.CUSTOMER)
              .setText("我的手机号是138" + (10_000_000 + i))
              .build(),
          0L,
          rows::add);
    }
    c.setAutoCommit(false);
    try (var ps = c.prepareStatement(Vault.INSERT)) {
      for (VaultEntry e : rows) {
        Vault.bind(ps, e);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
    List<String> tokens = new ArrayList<>();
    for (VaultEntry e : rows) {
      tokens.add(e.token);
    }
    return tokens;
  }
}
