package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.core.kpi.WindowSize;
import io.kefu.simulator.FileOutput;
import io.kefu.simulator.RecordWriter;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No input can make the job fail, and nothing is lost: more than 10,000 generated bad lines —
 * broken JSON, wrong types, unknown enums, missing fields, invalid UTF-8, 10 MB lines, far-future
 * and negative times, duplicates — mixed into a simulated day. Every bad line must be in the dead
 * letters with the right reason, and the good traffic's KPIs must equal those of the same day
 * without the bad lines.
 */
class BadInputIT {

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.twoSlots();

  @TempDir static Path tmp;
  static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");
  private static final Pattern EVENT_TIME = Pattern.compile("\"event_time\":(\\d+)");

  /** One bad line and the problem its dead letter must name. */
  record Bad(byte[] line, String problem, String eventId) {}

  @Test
  void everyBadLineIsADeadLetterAndGoodKpisAreUnchanged() throws Exception {
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.conversations = 2500;
    cfg.seed = 5;
    try (FileOutput out = new FileOutput(tmp.resolve("sim"), RecordWriter.Format.JSONL, false)) {
      new Simulator(cfg).run(out, (t, n) -> {});
    }
    Path clean = tmp.resolve("sim/events/2026-11-23.jsonl");
    List<String> good = Files.readAllLines(clean, StandardCharsets.UTF_8);

    Random random = new Random(99);
    List<Bad> bad = new ArrayList<>();
    String[] kinds = {
      "broken", "wrong_type", "unknown_enum", "missing", "utf8", "future", "negative", "duplicate"
    };
    for (int i = 0; i < 10_400; i++) {
      bad.add(bad(kinds[i % kinds.length], good.get(random.nextInt(good.size())), i, random));
    }
    for (int i = 0; i < 3; i++) {
      bad.add(huge(i));
    }

    // Mix: each bad line goes after a random good line; duplicates after their original.
    Map<Integer, List<Bad>> after = new LinkedHashMap<>();
    for (Bad b : bad) {
      int at = random.nextInt(good.size());
      if (b.problem.equals("duplicate_event_id")) {
        at = indexOf(good, b.eventId);
      }
      after.computeIfAbsent(at, k -> new ArrayList<>()).add(b);
    }
    Path fuzzed = tmp.resolve("fuzzed/2026-11-23.jsonl");
    Files.createDirectories(fuzzed.getParent());
    Map<String, String> expected = new LinkedHashMap<>(); // origin -> problem
    try (OutputStream out = Files.newOutputStream(fuzzed)) {
      long line = 0;
      for (int i = 0; i < good.size(); i++) {
        out.write(good.get(i).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        line++;
        for (Bad b : after.getOrDefault(i, List.of())) {
          out.write(b.line);
          out.write('\n');
          line++;
          String origin =
              b.problem.equals("duplicate_event_id")
                  ? "duplicate:" + b.eventId
                  : fuzzed + ":" + line;
          expected.put(origin, b.problem);
        }
      }
    }
    assertTrue(expected.size() >= 10_000, "bad lines: " + expected.size());

    String cleanDb = PostgresFixture.database(postgres, "clean");
    String fuzzedDb = PostgresFixture.database(postgres, "fuzzed");
    run(List.of(clean), cleanDb);
    run(List.of(fuzzed), fuzzedDb);

    Map<String, String> dead =
        PostgresFixture.pairs(fuzzedDb, "SELECT origin, problem FROM dead_letters");
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      if (!e.getValue().equals(dead.get(e.getKey()))) {
        missing.add(e.getKey() + " expected " + e.getValue() + ", found " + dead.get(e.getKey()));
      }
    }
    assertTrue(
        missing.isEmpty(),
        missing.size()
            + " bad lines not dead-lettered as expected, e.g. "
            + missing.subList(0, Math.min(10, missing.size())));
    assertEquals(expected.size(), dead.size(), "no good line became a dead letter");
    assertEquals(0, PostgresFixture.count(cleanDb, "SELECT count(*) FROM dead_letters"));
    List<String> expectedKpis = PostgresFixture.rows(cleanDb, PostgresFixture.FINAL_KPIS);
    List<String> actualKpis = PostgresFixture.rows(fuzzedDb, PostgresFixture.FINAL_KPIS);
    assertEquals(
        List.of(),
        PostgresFixture.difference(expectedKpis, actualKpis),
        "the good traffic's KPIs are unchanged by the bad lines");
  }

  private static void run(List<Path> files, String jdbc) throws Exception {
    JobSettings settings =
        JobSettings.defaults()
            .withAllowedLateness(Duration.ofHours(3))
            .withWindows(EnumSet.of(WindowSize.HOUR, WindowSize.DAY))
            .withEarlyFiring(Duration.ZERO);
    PostgresSinks.migrate(jdbc);
    StreamExecutionEnvironment env =
        KpiJob.configure(StreamExecutionEnvironment.getExecutionEnvironment());
    env.setParallelism(2);
    KpiJob.Streams streams = KpiJob.build(KpiJob.files(env, files, settings), settings);
    streams.kpis().sinkTo(PostgresSinks.kpiWindows(jdbc));
    streams.deadLetters().sinkTo(PostgresSinks.deadLetters(jdbc));
    streams.late().sinkTo(PostgresSinks.late(jdbc));
    env.execute("bad input " + files);
  }

  private static int indexOf(List<String> lines, String eventId) {
    String needle = "\"event_id\":\"" + eventId + "\"";
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(needle)) {
        return i;
      }
    }
    throw new AssertionError(eventId);
  }

  private static Bad bad(String kind, String line, int n, Random random) {
    Matcher id = EVENT_ID.matcher(line);
    id.find();
    String fresh = line.replace(id.group(), "\"event_id\":\"fuzz-" + n + "\"");
    switch (kind) {
      case "broken":
        return new Bad(
            utf8(fresh.substring(0, 1 + random.nextInt(fresh.length() - 2))),
            "malformed_json",
            null);
      case "wrong_type":
        return new Bad(
            utf8(EVENT_TIME.matcher(fresh).replaceFirst("\"event_time\":\"$1\"")),
            "wrong_type",
            null);
      case "unknown_enum":
        return new Bad(
            utf8(fresh.replaceFirst("\"event_type\":\"[A-Z_]+\"", "\"event_type\":\"FINISHED\"")),
            "unknown_enum",
            null);
      case "missing":
        return new Bad(
            utf8(fresh.replaceFirst("\"conversation_id\":\"[^\"]+\",", "")), "missing_field", null);
      case "utf8":
        {
          byte[] bytes = utf8(fresh.replaceFirst("\"tenant\":\"acme\"", "\"tenant\":\"ac@@me\""));
          for (int i = 0; i < bytes.length - 1; i++) {
            if (bytes[i] == '@' && bytes[i + 1] == '@') {
              bytes[i] = (byte) 0xC3; // lead byte followed by a non-continuation byte
              bytes[i + 1] = (byte) 0x28;
              break;
            }
          }
          return new Bad(bytes, "invalid_utf8", null);
        }
      case "future":
        {
          long future =
              System.currentTimeMillis() + Duration.ofDays(30 + random.nextInt(3000)).toMillis();
          return new Bad(
              utf8(EVENT_TIME.matcher(fresh).replaceFirst("\"event_time\":" + future)),
              future >= 4102444800000L ? "invalid_value" : "future_timestamp",
              null);
        }
      case "negative":
        return new Bad(
            utf8(
                EVENT_TIME
                    .matcher(fresh)
                    .replaceFirst("\"event_time\":-" + (1 + random.nextInt(1_000_000)))),
            "invalid_value",
            null);
      case "duplicate":
        return new Bad(utf8(line), "duplicate_event_id", id.group(1));
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  private static Bad huge(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(10_500_000);
    out.writeBytes(utf8("{\"event_id\":\"huge-" + n + "\",\"text\":\""));
    byte[] chunk = "很长的消息".repeat(1000).getBytes(StandardCharsets.UTF_8);
    while (out.size() < 10_000_000) {
      out.writeBytes(chunk);
    }
    out.writeBytes(utf8("\"}"));
    return new Bad(out.toByteArray(), "too_large", null);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
