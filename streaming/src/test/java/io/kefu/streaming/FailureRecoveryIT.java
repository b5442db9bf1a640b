package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.core.kpi.WindowSize;
import io.kefu.schemas.ConversationEvent;
import io.kefu.simulator.FileOutput;
import io.kefu.simulator.RecordWriter;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import io.kefu.testing.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
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
 * Exactly-once end to end: the job reads a simulated day from a real Kafka broker (3 partitions)
 * into real PostgreSQL and the Parquet lake, once without failures and once with three task
 * failures injected mid-stream (after the Kafka source, before the PostgreSQL sink, before the lake
 * sink), each after at least one completed checkpoint. Afterwards the KPI tables, alerts and lake
 * must be the same: nothing lost, nothing doubled (KPI rows, alerts, QA violations, the lake).
 */
class FailureRecoveryIT {

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.twoSlots();

  @TempDir static Path tmp;
  static EmbeddedPostgres postgres;
  static KafkaBroker kafka;
  static final String TOPIC = "conversation-events";
  static int events;

  private static final Pattern CONVERSATION = Pattern.compile("\"conversation_id\":\"([^\"]+)\"");

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    kafka = KafkaBroker.start(tmp.resolve("kafka"));
    kafka.createTopic(TOPIC, 3);
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.conversations = 2500;
    cfg.seed = 13;
    try (FileOutput out = new FileOutput(tmp.resolve("sim"), RecordWriter.Format.JSONL, false)) {
      new Simulator(cfg).run(out, (t, n) -> {});
    }
    List<byte[][]> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(tmp.resolve("sim/events"))) {
      for (Path f : files.sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          Matcher m = CONVERSATION.matcher(line);
          m.find();
          records.add(
              new byte[][] {
                m.group(1).getBytes(StandardCharsets.UTF_8), line.getBytes(StandardCharsets.UTF_8)
              });
        }
      }
    }
    events = records.size();
    kafka.produce(TOPIC, records);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void threeFailuresChangeNothing() throws Exception {
    String clean = PostgresFixture.database(postgres, "clean");
    String failing = PostgresFixture.database(postgres, "failing");
    run("clean", clean, tmp.resolve("lake-clean"), false);
    run("failing", failing, tmp.resolve("lake-failing"), true);

    assertEquals(
        FailOnce.INJECTED,
        FailOnce.FAILED.size(),
        "failures injected: " + FailOnce.FAILED.keySet());
    List<String> expected = PostgresFixture.rows(clean, PostgresFixture.FINAL_KPIS);
    assertTrue(expected.size() > 1000, "KPI rows: " + expected.size());
    assertEquals(
        List.of(),
        PostgresFixture.difference(
            expected, PostgresFixture.rows(failing, PostgresFixture.FINAL_KPIS)),
        "KPI tables after recovery");
    String alerts =
        "SELECT alert_id, conversation_id, message_id, anger, event_time FROM alerts ORDER BY alert_id";
    assertEquals(PostgresFixture.rows(clean, alerts), PostgresFixture.rows(failing, alerts));
    String violations =
        "SELECT violation_id, agent_id, rule_id, rule_version, matched_text, penalty, event_time"
            + " FROM qa_violations ORDER BY violation_id";
    List<String> expectedViolations = PostgresFixture.rows(clean, violations);
    assertTrue(expectedViolations.size() > 20, "violations: " + expectedViolations.size());
    assertEquals(expectedViolations, PostgresFixture.rows(failing, violations), "QA violations");

    Map<String, Integer> lakeClean = lake(tmp.resolve("lake-clean"));
    Map<String, Integer> lakeFailing = lake(tmp.resolve("lake-failing"));
    assertEquals(events, lakeClean.size(), "every event in the lake");
    assertEquals(lakeClean, lakeFailing, "the lake after recovery");
    assertTrue(lakeFailing.values().stream().allMatch(n -> n == 1), "no event written twice");
  }

  private static void run(String name, String jdbc, Path lake, boolean injectFailures)
      throws Exception {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env =
        KpiJob.configure(StreamExecutionEnvironment.getExecutionEnvironment(conf));
    env.setParallelism(2);
    JobSettings settings =
        JobSettings.defaults()
            .withAllowedLateness(Duration.ofHours(3))
            .withWindows(EnumSet.of(WindowSize.HOUR, WindowSize.DAY))
            .withEarlyFiring(Duration.ZERO)
            .withMaxFuture(Duration.ZERO);
    PostgresSinks.migrate(jdbc);
    DataStream<Envelope> input =
        KpiJob.kafkaUntilLatest(env, kafka.bootstrap(), TOPIC, name, settings);
    if (injectFailures) {
      input =
          input.map(new FailOnce<>("after kafka source", events / 3, true)).returns(Envelope.class);
    }
    KpiJob.Streams streams = KpiJob.build(input, settings);
    DataStream<KpiSnapshot> kpis = streams.kpis();
    DataStream<ConversationEvent> lakeEvents = streams.events();
    if (injectFailures) {
      kpis =
          kpis.map(new FailOnce<>("before postgres sink", 300, false)).returns(KpiSnapshot.class);
      lakeEvents =
          lakeEvents
              .map(new FailOnce<>("before lake sink", events / 2, false))
              .returns(ConversationEvent.class);
    }
    kpis.sinkTo(PostgresSinks.kpiWindows(jdbc));
    streams.alerts().sinkTo(PostgresSinks.alerts(jdbc));
    streams.violations().sinkTo(PostgresSinks.violations(jdbc));
    lakeEvents.sinkTo(LakeSink.events(lake.toString(), "Asia/Shanghai"));
    env.execute(name);
  }

  /** Event id → times it is in the committed Parquet files of a lake. */
  private static Map<String, Integer> lake(Path dir) throws Exception {
    Map<String, Integer> ids = new HashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .toList();
    }
    for (Path f : files) {
      try (ParquetReader<ConversationEvent> reader =
          AvroParquetReader.<ConversationEvent>builder(new LocalInputFile(f))
              .withDataModel(SpecificData.getForClass(ConversationEvent.class))
              .build()) {
        for (ConversationEvent e = reader.read(); e != null; e = reader.read()) {
          ids.merge(e.getEventId(), 1, Integer::sum);
        }
      }
    }
    return ids;
  }

  /**
   * Throws once, in the first attempt, when its subtasks have seen {@code after} records in all and
   * a checkpoint has completed, so that recovery restores real state. Static state survives the
   * restart because the MiniCluster runs in this JVM.
   */
  static final class FailOnce<T> extends RichMapFunction<T, T> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final int INJECTED = 3;
    static final Map<String, Boolean> FAILED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    private final String name;
    private final int after;
    private final boolean slow;
    private transient boolean checkpointed;

    FailOnce(String name, int after, boolean slow) {
      this.name = name;
      this.after = after;
      this.slow = slow;
    }

    @Override
    public void open(OpenContext context) {
      checkpointed = false;
    }

    @Override
    public T map(T value) throws Exception {
      int n = SEEN.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      if (slow && n % 20 == 0 && FAILED.size() < INJECTED) {
        // Pace the source until every failure has fired: on a fast machine the whole day would
        // otherwise pass in less than a checkpoint interval and a failure point never be reached.
        Thread.sleep(1);
      }
      if (n >= after && checkpointed && FAILED.putIfAbsent(name, true) == null) {
        throw new RuntimeException("injected failure " + name + " after " + n + " records");
      }
      return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      checkpointed = true;
    }
  }
}
