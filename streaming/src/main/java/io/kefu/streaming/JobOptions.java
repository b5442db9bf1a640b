package io.kefu.streaming;

import io.kefu.core.kpi.WindowSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Locale;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options shared by {@code kpis} and {@code stream}. */
final class JobOptions {

  @Option(
      names = "--zone",
      description = "Day boundaries of daily windows (default ${DEFAULT-VALUE}).",
      defaultValue = "Asia/Shanghai")
  ZoneId zone;

  @Option(
      names = "--allowed-lateness",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description =
          "Late events this much after a window's end still update it (default ${DEFAULT-VALUE}).")
  Duration allowedLateness;

  @Option(
      names = "--out-of-orderness",
      defaultValue = "3s",
      converter = DurationConverter.class,
      description = "Watermark delay behind the newest event (default ${DEFAULT-VALUE}).")
  Duration outOfOrderness;

  @Option(
      names = "--idleness",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "A partition silent this long stops holding back the watermark (default ${DEFAULT-VALUE}).")
  Duration idleness;

  @Option(
      names = "--max-future",
      defaultValue = "1d",
      converter = DurationConverter.class,
      description =
          "Events dated further ahead of the wall clock are dead letters (default ${DEFAULT-VALUE}; 0: no limit).")
  Duration maxFuture;

  @Option(
      names = "--parallelism",
      description = "Operator parallelism (default: the environment's).")
  Integer parallelism;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Checkpoint interval (default ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(
      names = "--buffer-timeout",
      defaultValue = "10ms",
      converter = DurationConverter.class,
      description =
          "Longest a record waits in a part-filled network buffer between tasks (default"
              + " ${DEFAULT-VALUE}; Flink's own default of 100ms adds that much to an alert's"
              + " latency at low rates, full buffers go at once either way).")
  Duration bufferTimeout;

  @Option(
      names = "--checkpoints",
      description = "Checkpoint directory (default: none for kpis, ./kefu-checkpoints for stream).")
  Path checkpoints;

  @Option(names = "--lake", description = "Write validated events to this Parquet lake directory.")
  Path lake;

  @Option(
      names = "--qa-rules",
      description =
          "Quality-inspection rule file (YAML; default: the built-in Chinese + English set).")
  Path qaRules;

  @Option(
      names = "--qa-delay",
      converter = DurationConverter.class,
      description =
          "Inspect a conversation this long (event time) after it closes (default: the allowed lateness).")
  Duration qaDelay;

  @Option(
      names = "--sandbox-keys",
      paramLabel = "DIR",
      description =
          "Data sandbox: pseudonymise customer ids and redact personal data at ingest with the keys"
              + " in DIR (kefu sandbox keys init); originals go encrypted to the vault table when"
              + " the job writes PostgreSQL, and are dropped otherwise.")
  Path sandboxKeys;

  @Option(
      names = "--customers",
      paramLabel = "FILE",
      description =
          "With --sandbox-keys: the CRM file (customers.jsonl) whose customers' names are redacted"
              + " in text.")
  Path customers;

  JobSettings settings() {
    JobSettings s =
        JobSettings.defaults()
            .withZone(zone)
            .withAllowedLateness(allowedLateness)
            .withOutOfOrderness(outOfOrderness)
            .withIdleness(idleness)
            .withMaxFuture(maxFuture);
    if (qaRules != null) {
      try {
        s = s.withQaRules(Files.readString(qaRules, StandardCharsets.UTF_8), qaRules.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the QA rule file " + qaRules, e);
      }
    }
    if (qaDelay != null) {
      s = s.withQaDelay(qaDelay);
    }
    if (sandboxKeys != null) {
      s = s.withSandbox(sandboxKeys, customers);
    } else if (customers != null) {
      throw new IllegalArgumentException("--customers needs --sandbox-keys");
    }
    return s;
  }

  /** A Flink environment: local MiniCluster when run directly, the cluster's under `flink run`. */
  StreamExecutionEnvironment environment(Path defaultCheckpoints, boolean restartOnFailure) {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 3);
    Path dir = checkpoints != null ? checkpoints : defaultCheckpoints;
    if (dir != null) {
      conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toAbsolutePath().toUri().toString());
    }
    if (restartOnFailure) {
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
    } else {
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    KpiJob.configure(env);
    env.setBufferTimeout(bufferTimeout.toMillis());
    if (parallelism != null) {
      env.setParallelism(parallelism);
    }
    return env;
  }

  static EnumSet<WindowSize> windows(String spec, EnumSet<WindowSize> defaults) {
    if (spec == null) {
      return defaults;
    }
    if (spec.equals("all")) {
      return EnumSet.allOf(WindowSize.class);
    }
    EnumSet<WindowSize> set = EnumSet.noneOf(WindowSize.class);
    for (String part : spec.split(",")) {
      set.add(WindowSize.parse(part.trim()));
    }
    return set;
  }

  /** {@code 250ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 7d}, or ISO-8601 ({@code PT5S}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt") || v.startsWith("p")) {
        return Duration.parse(value.toUpperCase(Locale.ROOT));
      }
      if (v.equals("0")) {
        return Duration.ZERO;
      }
      try {
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        switch (v.charAt(v.length() - 1)) {
          case 's':
            return Duration.ofSeconds(n);
          case 'm':
            return Duration.ofMinutes(n);
          case 'h':
            return Duration.ofHours(n);
          case 'd':
            return Duration.ofDays(n);
          default:
            break;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration such as 500ms, 5s, 10m, 2h or 7d");
    }
  }
}
