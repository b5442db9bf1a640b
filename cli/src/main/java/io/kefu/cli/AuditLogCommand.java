package io.kefu.cli;

import io.kefu.audit.batch.BatchSealer;
import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.OperationLog;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.json.InvalidRecordException;
import io.kefu.schemas.json.RecordJsonCodec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = {
      "Append operation-log records to the tamper-evident log.",
      "Each record gets the next sequence, is encoded canonically, hash-chained and",
      "acknowledged once on disk; Merkle batches are sealed and signed every",
      "--batch-records records or --batch-seconds seconds. Invalid input goes to the",
      "dead-letter file with file, line and reason."
    })
final class AuditLogCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final class Source {
    @Option(
        names = "--in",
        paramLabel = "FILE",
        arity = "1..*",
        description = "Operation-log files: JSON lines (.jsonl, .jsonl.gz) or Parquet.")
    List<Path> files;

    @Option(
        names = "--kafka",
        paramLabel = "BOOTSTRAP",
        description = "Kafka bootstrap servers to consume JSON records from (with --topic).")
    String kafka;
  }

  @ArgGroup(multiplicity = "1")
  Source source;

  @Option(
      names = "--topic",
      defaultValue = "kefu.oplog",
      description = "Kafka topic (default ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--group", defaultValue = "kefu-audit-log", description = "Kafka consumer group.")
  String group;

  @Option(
      names = "--idle-exit",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description = "With --kafka: stop after this long without records (0 = run until stopped).")
  long idleExit;

  @Option(names = "--log", required = true, paramLabel = "DIR", description = "The log directory.")
  Path log;

  @Option(
      names = "--log-id",
      defaultValue = "ops",
      description = "Name of a new log on the ledger.")
  String logId;

  @Option(
      names = "--batch-records",
      defaultValue = "10000",
      description = "Seal a batch every N records.")
  int batchRecords;

  @Option(
      names = "--batch-seconds",
      defaultValue = "60",
      description = "… or when its oldest record is this old.")
  long batchSeconds;

  @Option(
      names = "--dead-letters",
      paramLabel = "FILE",
      description = "Where invalid input goes (default: DIR/rejected.jsonl).")
  Path deadLetters;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    LogOptions opts =
        LogOptions.defaults()
            .withLogId(logId)
            .withBatches(new BatchSealer.Policy(batchRecords, Duration.ofSeconds(batchSeconds)));
    Path dlq = deadLetters != null ? deadLetters : log.resolve("rejected.jsonl");
    try (OperationLog oplog = OperationLog.open(log, opts);
        OperationLogInput in = new OperationLogInput(dlq)) {
      if (oplog.recovery().cutTornTail()) {
        spec.commandLine().getErr().println("kefu audit log: " + oplog.recovery().describe());
      }
      long before = oplog.size();
      if (source.files != null) {
        // Two chunks in flight: the next one is parsed and hashed while the last is forced to disk.
        ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
        for (Path f : source.files) {
          in.readFile(
              f,
              8192,
              chunk -> {
                if (inFlight.size() == 2) {
                  OperationLog.await(inFlight.remove());
                }
                inFlight.add(oplog.appendAllAsync(chunk));
              });
        }
        while (!inFlight.isEmpty()) {
          OperationLog.await(inFlight.remove());
        }
      } else {
        consumeKafka(oplog, in, out);
      }
      long appended = oplog.size() - before;
      out.printf(
          "appended %,d records to %s (sequences %d..%d); %,d rejected%n",
          appended, log, before, oplog.size() - 1, in.rejected);
      for (String r : in.firstRejections) {
        out.println("  rejected " + r);
      }
      if (in.rejected > 0) {
        out.println("  all rejected input is in " + dlq);
      }
    }
    return 0;
  }

  /** At-least-once: offsets are committed only after the records are durable in the log. */
  private void consumeKafka(OperationLog oplog, OperationLogInput in, PrintWriter out)
      throws Exception {
    RecordJsonCodec<OperationLogRecord> codec = RecordJsonCodec.of(OperationLogRecord.class);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, source.kafka);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      long lastRecord = System.currentTimeMillis();
      while (idleExit <= 0 || System.currentTimeMillis() - lastRecord < idleExit * 1000) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
        if (polled.isEmpty()) {
          continue;
        }
        lastRecord = System.currentTimeMillis();
        List<OperationLogRecord> chunk = new ArrayList<>(polled.count());
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          in.read++;
          byte[] v = r.value() == null ? new byte[0] : r.value();
          try {
            chunk.add(codec.read(v, 0, v.length));
          } catch (InvalidRecordException e) {
            in.reject(
                topic + "-" + r.partition() + "@" + r.offset(),
                e.getMessage(),
                new String(v, StandardCharsets.UTF_8));
          }
        }
        oplog.appendAll(chunk);
        consumer.commitSync();
        out.printf("\r%,d records read from %s", in.read, topic);
        out.flush();
      }
      out.println();
    }
  }
}
