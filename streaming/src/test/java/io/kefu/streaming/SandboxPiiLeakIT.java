package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.OperationLog;
import io.kefu.audit.sandbox.RevealPolicy;
import io.kefu.audit.sandbox.Sandbox;
import io.kefu.audit.sandbox.SandboxCrypto;
import io.kefu.audit.sandbox.SandboxKeys;
import io.kefu.core.kpi.WindowSize;
import io.kefu.schemas.ActorRole;
import io.kefu.schemas.ConversationEvent;
import io.kefu.simulator.FileOutput;
import io.kefu.simulator.RecordWriter;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ahocorasick.trie.Emit;
import org.ahocorasick.trie.Trie;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's leak test: a simulated day in which most conversations mention personal data (phones,
 * e-mails, resident IDs, cards, names; agents reading numbers back) runs through the job with the
 * sandbox on — into real PostgreSQL and a Parquet lake, and through {@code kpis} into CSV and JSON
 * lines files — and then everything written is searched for every value the simulator generated
 * ({@code truth/pii.jsonl}, as canonical value and as written): 0 leaks. The originals are in the
 * vault only, encrypted, and a reveal brings one back.
 */
class SandboxPiiLeakIT {

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.twoSlots();

  @TempDir static Path tmp;
  static EmbeddedPostgres postgres;
  static String jdbc;
  static Path sim;
  static Path keys;
  static List<Path> files;

  @BeforeAll
  static void setUp() throws Exception {
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.conversations = 2000;
    cfg.days = 1;
    cfg.seed = 77;
    cfg.messages.piiMentionRate = 0.9;
    sim = tmp.resolve("sim");
    try (FileOutput out = new FileOutput(sim, RecordWriter.Format.JSONL, false)) {
      new Simulator(cfg).run(out, (t, n) -> {});
    }
    try (Stream<Path> s = Files.list(sim.resolve("events"))) {
      files = s.sorted().toList();
    }
    keys = tmp.resolve("keys");
    SandboxKeys.init(keys, null);
    postgres = EmbeddedPostgres.builder().start();
    jdbc = postgres.getJdbcUrl("postgres", "postgres");
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void nothingTheJobWritesHoldsGeneratedPersonalData() throws Exception {
    // 1. the job into PostgreSQL (every table, the vault) and a lake, at parallelism 2
    JobSettings settings =
        JobSettings.defaults()
            .withAllowedLateness(Duration.ofHours(3))
            .withWindows(EnumSet.of(WindowSize.HOUR, WindowSize.DAY))
            .withEarlyFiring(Duration.ZERO)
            .withMaxFuture(Duration.ZERO)
            .withSandbox(keys, sim.resolve("customers.jsonl"));
    PostgresSinks.migrate(jdbc);
    StreamExecutionEnvironment env =
        KpiJob.configure(StreamExecutionEnvironment.getExecutionEnvironment());
    env.setParallelism(2);
    env.enableCheckpointing(500);
    KpiJob.Streams streams = KpiJob.build(KpiJob.files(env, files, settings), settings);
    PostgresSinks.attach(streams, jdbc);
    VaultSink.attach(streams.vault(), jdbc);
    Path lake = tmp.resolve("lake");
    LakeSink.attach(streams, lake.toString(), "Asia/Shanghai");
    org.apache.flink.api.common.JobExecutionResult result = env.execute("sandbox leak");
    String summary = KpisCommand.sandboxSummary(result, settings);

    // 2. the kpis command on the same files: CSV, alerts, violations, dead letters, its output
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(stdout, true),
            new PrintWriter(stderr, true),
            "kpis",
            "--input",
            sim.resolve("events").toString(),
            "--out",
            out.resolve("kpis.csv").toString(),
            "--window",
            "1h,1d",
            "--alerts",
            out.resolve("alerts.jsonl").toString(),
            "--violations",
            out.resolve("violations.jsonl").toString(),
            "--dead-letters",
            out.resolve("dead.jsonl").toString(),
            "--max-future",
            "0",
            "--parallelism",
            "2",
            "--sandbox-keys",
            keys.toString(),
            "--customers",
            sim.resolve("customers.jsonl").toString());
    assertEquals(0, code, stderr.toString());
    assertTrue(stdout.toString().contains("sandbox: "), stdout.toString());

    // what the simulator generated, and how often it was mentioned in text
    Set<String> needles = new LinkedHashSet<>();
    Map<String, Integer> mentions = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(sim.resolve("truth/pii.jsonl"))) {
      JsonNode n = json.readTree(line);
      needles.add(n.get("value").asText());
      if (n.hasNonNull("as_written")) {
        needles.add(n.get("as_written").asText());
        mentions.merge(n.get("type").asText(), 1, Integer::sum);
      }
    }
    assertTrue(mentions.getOrDefault("phone", 0) > 300, "phones mentioned: " + mentions);
    for (String kind : List.of("email", "id_number", "card", "name")) {
      assertTrue(mentions.getOrDefault(kind, 0) > 50, kind + " mentioned: " + mentions);
    }

    // 3. everything written, as text
    Map<String, String> written = new LinkedHashMap<>();
    written.putAll(tables());
    written.putAll(parquet(lake));
    written.putAll(textFiles(out));
    written.put("kpis stdout", stdout.toString());
    written.put("kpis stderr", stderr.toString());
    written.put("summary", summary);
    assertTrue(
        written.keySet().stream().anyMatch(k -> k.startsWith("lake/events")), "lake written");

    Trie trie = Trie.builder().addKeywords(needles).build();
    List<String> leaks = new ArrayList<>();
    for (Map.Entry<String, String> w : written.entrySet()) {
      Collection<Emit> hits = trie.parseText(w.getValue());
      String v0 = w.getValue();
      for (Emit e : hits) {
        // a number inside a longer number (a KPI value's decimals) is not that number
        if ((digitAt(v0, e.getStart() - 1) && digitAt(v0, e.getStart()))
            || (digitAt(v0, e.getEnd() + 1) && digitAt(v0, e.getEnd()))) {
          continue;
        }
        if (leaks.size() < 20) {
          String v = w.getValue();
          leaks.add(
              w.getKey()
                  + ": "
                  + e.getKeyword()
                  + " in …"
                  + v.substring(
                      Math.max(0, e.getStart() - 40), Math.min(v.length(), e.getEnd() + 40))
                  + "…");
        }
      }
    }
    assertEquals(List.of(), leaks, "personal data leaked");

    // the redaction did happen, the vault holds the originals, QA still flags agents reading them
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      assertTrue(count(s, "SELECT count(*) FROM vault WHERE field = 'PHONE'") > 300);
      assertTrue(count(s, "SELECT count(*) FROM vault WHERE field = 'CUSTOMER_ID'") >= 1900);
      for (String f : List.of("EMAIL", "ID", "CARD", "NAME")) {
        assertTrue(count(s, "SELECT count(*) FROM vault WHERE field = '" + f + "'") > 50, f);
      }
      assertTrue(
          count(
                  s,
                  "SELECT count(*) FROM qa_violations WHERE rule_id = 'sensitive-data'"
                      + " AND matched_text = '[PHONE]'")
              > 0,
          "agents reading phone numbers out are still violations");
      assertEquals(
          0,
          count(
              s,
              "SELECT count(*) FROM alerts WHERE customer_pseudonym IS NOT NULL"
                  + " AND customer_pseudonym !~ '^p[0-9a-f]{8}-[a-z2-7]{26}$'"),
          "alerts name customers by pseudonym only");
      // an allowed reveal brings a generated phone number back, and is logged
      String token;
      try (ResultSet rs =
          s.executeQuery("SELECT token FROM vault WHERE field = 'PHONE' ORDER BY token LIMIT 1")) {
        rs.next();
        token = rs.getString(1);
      }
      try (OperationLog log = OperationLog.open(tmp.resolve("oplog"), LogOptions.defaults())) {
        Sandbox sandbox =
            new Sandbox(
                c,
                new SandboxCrypto(SandboxKeys.load(keys)),
                RevealPolicy.defaults(),
                log,
                Clock.fixed(Instant.parse("2026-11-27T03:00:00Z"), ZoneOffset.UTC));
        String phone =
            sandbox
                .reveal(
                    token,
                    new Sandbox.Request("li.na", ActorRole.SUPERVISOR, "callback", "T-1", null))
                .value();
        assertTrue(needles.contains(phone), phone);
      }
    }
    assertTrue(summary.contains("redacted"), summary);
    long lakeEvents = parquetEvents(lake);
    assertTrue(lakeEvents > 10_000, "lake events: " + lakeEvents);
  }

  /** Every table but the vault and Flyway's own, each cell as text. */
  private static Map<String, String> tables() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      List<String> names = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                  + " AND table_name NOT IN ('vault', 'flyway_schema_history')")) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      assertTrue(
          names.containsAll(List.of("kpi_windows", "alerts", "qa_violations")), names.toString());
      for (String t : names) {
        StringBuilder sb = new StringBuilder();
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + t)) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= n; i++) {
              sb.append(rs.getString(i)).append('|');
            }
            sb.append('\n');
          }
        }
        out.put("postgres/" + t, sb.toString());
      }
    }
    return out;
  }

  private static List<Path> parquetFiles(Path lake) throws IOException {
    try (Stream<Path> walk = Files.walk(lake)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .toList();
    }
  }

  /** Every Parquet file of the lake (events and violations), record by record as JSON. */
  private static Map<String, String> parquet(Path lake) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (Path f : parquetFiles(lake)) {
      StringBuilder sb = new StringBuilder();
      try (ParquetReader<Object> reader =
          AvroParquetReader.builder(new LocalInputFile(f)).build()) {
        for (Object r = reader.read(); r != null; r = reader.read()) {
          sb.append(r).append('\n');
        }
      }
      out.put("lake/" + lake.relativize(f), sb.toString());
    }
    return out;
  }

  private static long parquetEvents(Path lake) throws Exception {
    long n = 0;
    for (Path f : parquetFiles(lake.resolve("events"))) {
      try (ParquetReader<ConversationEvent> reader =
          AvroParquetReader.<ConversationEvent>builder(new LocalInputFile(f))
              .withDataModel(SpecificData.getForClass(ConversationEvent.class))
              .build()) {
        for (ConversationEvent e = reader.read(); e != null; e = reader.read()) {
          n++;
          if (e.getCustomerId() != null) {
            assertTrue(
                SandboxCrypto.isPseudonym(e.getCustomerId()),
                "raw customer id in the lake: " + e.getCustomerId());
          }
        }
      }
    }
    return n;
  }

  private static Map<String, String> textFiles(Path dir) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.put("out/" + dir.relativize(f), Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    assertTrue(out.containsKey("out/kpis.csv"), out.keySet().toString());
    return out;
  }

  private static boolean digitAt(String s, int i) {
    return i >= 0 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
