package io.kefu.streaming;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "Run the unbounded KPI job: Kafka in, PostgreSQL and the Parquet lake out.",
      "Checkpointed (exactly-once lake, idempotent upserts); restarts from the last checkpoint",
      "after a failure. On a Flink cluster: flink run streaming/target/kefu-streaming-job.jar stream …"
    })
final class StreamCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--kafka",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers.")
  String kafka;

  @Option(
      names = "--topic",
      required = true,
      description = "Topic of conversation events (JSON, one per record).")
  String topic;

  @Option(
      names = "--group",
      defaultValue = "kefu-kpis",
      description = "Consumer group (default ${DEFAULT-VALUE}).")
  String group;

  @Option(
      names = "--jdbc",
      required = true,
      paramLabel = "URL",
      description = "PostgreSQL URL for KPI rows, alerts, dead letters and late records.")
  String jdbc;

  @Option(
      names = "--alerts-topic",
      description = "Also send anger alerts as JSON to this Kafka topic.")
  String alertsTopic;

  @Option(
      names = "--early-firing",
      defaultValue = "10s",
      converter = JobOptions.DurationConverter.class,
      description =
          "Provisional rows of open windows this often (default ${DEFAULT-VALUE}; 0: off).")
  java.time.Duration earlyFiring;

  @Mixin JobOptions job;

  @Override
  public Integer call() throws Exception {
    JobSettings settings = job.settings().withEarlyFiring(earlyFiring);
    StreamExecutionEnvironment env = job.environment(Path.of("kefu-checkpoints"), true);
    KpiJob.Streams streams =
        KpiJob.build(KpiJob.kafka(env, kafka, topic, group, settings), settings);
    PostgresSinks.migrate(jdbc);
    PostgresSinks.attach(streams, jdbc);
    if (streams.vault() != null) {
      VaultSink.attach(streams.vault(), jdbc);
    }
    if (alertsTopic != null) {
      streams
          .alerts()
          .sinkTo(AlertSinks.kafka(kafka, alertsTopic))
          .name("alerts topic")
          .uid("alerts-kafka");
    }
    if (job.lake != null) {
      LakeSink.attach(streams, job.lake.toString(), settings.zone);
    }
    env.execute("kefu stream " + topic);
    return 0;
  }
}
