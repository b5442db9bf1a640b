package io.kefu.streaming;

import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.Role;
import io.kefu.schemas.json.ConversationEventCodec;
import io.kefu.testing.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;

/**
 * Benchmark (not a test; run by {@code bench/streaming.sh}): the unbounded job on a real Kafka
 * broker and PostgreSQL, fed live traffic at a fixed rate with event times of "now".
 *
 * <ul>
 *   <li>alert latency: an angry customer message produced to Kafka → the alert emitted ({@code
 *       emitted_at − event_time});
 *   <li>freshness: once a second a probe conversation in its own queue is produced; the time until
 *       a KPI row for that queue is visible in PostgreSQL (polled every 100 ms).
 * </ul>
 *
 * Arguments: events per second (default 2000), seconds (default 90).
 */
public final class StreamingLatencyBench {

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 90;
    Path tmp = Files.createTempDirectory("kefu-bench");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        KafkaBroker kafka = KafkaBroker.start(tmp.resolve("kafka"))) {
      kafka.createTopic("events", 2);
      String jdbc = pg.getJdbcUrl("postgres", "postgres");
      PostgresSinks.migrate(jdbc);
      // The environment and settings `kefu stream` builds from its defaults: hash-map state,
      // checkpoints every 10 s to a directory, the job's network buffer timeout.
      JobOptions options = new JobOptions();
      new CommandLine(options)
          .parseArgs(
              "--parallelism",
              "1",
              "--max-future",
              "5m",
              "--checkpoints",
              tmp.resolve("checkpoints").toString());
      JobSettings settings = options.settings();
      StreamExecutionEnvironment env = options.environment(null, true);
      KpiJob.Streams streams =
          KpiJob.build(KpiJob.kafka(env, kafka.bootstrap(), "events", "bench", settings), settings);
      streams.kpis().sinkTo(PostgresSinks.kpiWindows(jdbc));
      streams.alerts().sinkTo(PostgresSinks.alerts(jdbc));
      JobClient job = env.executeAsync("latency bench");

      Map<String, Long> probesSent = new ConcurrentHashMap<>();
      long warm = System.currentTimeMillis() + 20_000; // figures from after a 20 s warm-up
      Map<String, Long> probesSeen = new ConcurrentHashMap<>();
      Thread poller = new Thread(() -> poll(jdbc, probesSent, probesSeen), "freshness-poller");
      poller.setDaemon(true);
      poller.start();
      // Traffic goes on for 20 s after the last probe without being measured: with no new
      // events the watermark would stop and the last probes would never be released.
      produce(kafka.bootstrap(), rate, seconds, 20, probesSent);
      job.cancel().get();

      List<Long> alerts = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(jdbc);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (extract(epoch FROM emitted_at - event_time) * 1000)::bigint,"
                      + " (extract(epoch FROM event_time) * 1000)::bigint FROM alerts"
                      + " WHERE event_time >= to_timestamp("
                      + warm / 1000.0
                      + ")")) {
        StringBuilder dump = new StringBuilder();
        while (rs.next()) {
          alerts.add(rs.getLong(1));
          dump.append(rs.getLong(2)).append(',').append(rs.getLong(1)).append('\n');
        }
        String dumpTo = System.getProperty("bench.dump");
        if (dumpTo != null) {
          Files.writeString(Path.of(dumpTo), dump);
        }
      }
      List<Long> fresh = new ArrayList<>();
      probesSent.forEach(
          (probe, sent) -> {
            Long seen = probesSeen.get(probe);
            if (seen != null && sent >= warm) {
              fresh.add(seen - sent);
            }
          });
      System.out.printf(
          "rate %d events/s for %d s, after 20 s of warm-up: alerts %d: latency p50 %d ms,"
              + " p99 %d ms; probes %d (of %d) seen: freshness p50 %.1f s, p99 %.1f s%n",
          rate,
          seconds,
          alerts.size(),
          percentile(alerts, 0.5),
          percentile(alerts, 0.99),
          fresh.size(),
          probesSent.size(),
          percentile(fresh, 0.5) / 1000.0,
          percentile(fresh, 0.99) / 1000.0);
    }
    System.exit(0);
  }

  private static long percentile(List<Long> values, double q) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }

  /**
   * Conversations of a start, five customer messages (5 % angry) and a close, in real time, and a
   * probe a second; then {@code tail} seconds more of the same traffic without probes.
   */
  private static void produce(
      String bootstrap, int rate, int seconds, int tail, Map<String, Long> probes)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    ConversationEventCodec codec = new ConversationEventCodec();
    SplittableRandom random = new SplittableRandom(1);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      long start = System.currentTimeMillis();
      long sent = 0;
      int conversation = 0;
      int probe = 0;
      long nextProbe = start;
      while (System.currentTimeMillis() - start < (seconds + tail) * 1000L) {
        long now = System.currentTimeMillis();
        if (now >= nextProbe && now - start < seconds * 1000L) {
          String queue = "probe-" + probe++;
          String id = "probe-c-" + probe;
          send(
              producer,
              codec,
              event(id, "p" + probe + "-1", EventType.CONVERSATION_STARTED, now, queue));
          send(producer, codec, event(id, "p" + probe + "-2", EventType.CLOSED, now, null));
          probes.put(queue, now);
          nextProbe += 1000;
        }
        long due = (now - start) * rate / 1000;
        while (sent < due) {
          String id = "c-" + conversation++;
          send(
              producer,
              codec,
              event(id, id + "-0", EventType.CONVERSATION_STARTED, now, "q" + (conversation % 5)));
          for (int m = 1; m <= 5; m++) {
            ConversationEvent e = event(id, id + "-" + m, EventType.MESSAGE, now, null);
            e.setRole(Role.CUSTOMER);
            e.setText("我的订单到哪里了？");
            e.setSentiment(-0.2);
            e.setAnger(random.nextDouble() < 0.05 ? 0.95 : 0.1);
            send(producer, codec, e);
          }
          send(producer, codec, event(id, id + "-6", EventType.CLOSED, now, null));
          sent += 7;
        }
        Thread.sleep(1);
      }
    }
  }

  private static ConversationEvent event(
      String conversation, String id, EventType type, long t, String queue) {
    ConversationEvent e = new ConversationEvent();
    e.setEventId(id);
    e.setConversationId(conversation);
    e.setEventType(type);
    e.setEventTime(Instant.ofEpochMilli(t));
    e.setTenant("bench");
    e.setAttributes(Map.of());
    if (type == EventType.CONVERSATION_STARTED) {
      e.setChannel(Channel.WEB);
      e.setQueue(queue);
      e.setEntry(Entry.BOT);
    }
    return e;
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, ConversationEventCodec codec, ConversationEvent e) {
    producer.send(
        new ProducerRecord<>("events", e.getConversationId().getBytes(), codec.toBytes(e)));
  }

  private static void poll(String jdbc, Map<String, Long> sent, Map<String, Long> seen) {
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      while (true) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT DISTINCT dimension_value FROM kpi_windows WHERE dimension = 'queue'"
                    + " AND dimension_value LIKE 'probe-%'")) {
          long now = System.currentTimeMillis();
          while (rs.next()) {
            seen.putIfAbsent(rs.getString(1), now);
          }
        }
        Thread.sleep(100);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
