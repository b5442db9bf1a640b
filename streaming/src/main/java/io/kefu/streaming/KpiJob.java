package io.kefu.streaming;

import io.kefu.core.kpi.Fact;
import io.kefu.schemas.Alert;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.QaViolation;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The real-time KPI job: validate → dead letters; sandbox (pseudonymise customer ids, redact
 * personal data in text, originals encrypted to the vault) when keys are given; score customer
 * messages that come unscored; sessionise per conversation → facts and anger alerts; inspect each
 * closed conversation (chained to the sessioniser, on the events it accepted: no duplicates) → QA
 * violations and QA facts; aggregate every window size per dimension value → KPI rows. Sources and
 * sinks are wired by the caller ({@code kpis}, {@code stream}, tests), so the same pipeline runs on
 * files, Kafka or a test's collection.
 */
public final class KpiJob {
  private KpiJob() {}

  /** Everything the job produces. */
  public record Streams(
      DataStream<KpiSnapshot> kpis,
      DataStream<ConversationEvent> events,
      DataStream<Alert> alerts,
      DataStream<QaViolation> violations,
      DataStream<DeadLetter> deadLetters,
      DataStream<LateRecord> late,
      DataStream<io.kefu.audit.sandbox.VaultEntry> vault) {

    /** The same streams without a vault (no sandbox). */
    public Streams(
        DataStream<KpiSnapshot> kpis,
        DataStream<ConversationEvent> events,
        DataStream<Alert> alerts,
        DataStream<QaViolation> violations,
        DataStream<DeadLetter> deadLetters,
        DataStream<LateRecord> late) {
      this(kpis, events, alerts, violations, deadLetters, late, null);
    }
  }

  /** Environment settings the job relies on. */
  public static StreamExecutionEnvironment configure(StreamExecutionEnvironment env) {
    // Operators never keep or change an input after handing it on, so chained operators may
    // share objects instead of copying each record.
    env.getConfig().enableObjectReuse();
    return env;
  }

  /** Bounded out-of-orderness and idleness, both configurable; dead letters carry no time. */
  public static WatermarkStrategy<Envelope> watermarks(JobSettings s) {
    return WatermarkStrategy.<Envelope>forBoundedOutOfOrderness(s.outOfOrderness())
        .withTimestampAssigner((envelope, recordTimestamp) -> envelope.timestamp())
        .withIdleness(s.idleness());
  }

  /** Event files (JSON lines, optionally gzipped, or Parquet), one bounded source per file. */
  public static DataStream<Envelope> files(
      StreamExecutionEnvironment env, List<Path> files, JobSettings s) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no input files");
    }
    WatermarkStrategy<Envelope> watermarks = watermarks(s);
    DataStream<Envelope> all = null;
    for (Path file : files) {
      String name = file.getFileName().toString();
      DataStream<Envelope> one;
      org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(file.toUri());
      if (name.endsWith(".parquet")) {
        one =
            env.fromSource(
                    FileSource.forRecordStreamFormat(
                            org.apache.flink.formats.parquet.avro.AvroParquetReaders
                                .forSpecificRecord(ConversationEvent.class),
                            path)
                        .build(),
                    WatermarkStrategy.noWatermarks(),
                    "parquet " + name)
                .map(new ParquetEnvelopes(file.toString(), s.parsing()))
                .returns(StateSerializers.ENVELOPE)
                .assignTimestampsAndWatermarks(watermarks)
                .name("watermarks " + name);
      } else {
        one =
            env.fromSource(
                FileSource.forRecordStreamFormat(
                        new JsonLinesFormat(file.toString(), s.parsing(), s.maxLineBytes), path)
                    .build(),
                watermarks,
                "json lines " + name);
      }
      all = all == null ? one : all.union(one);
    }
    return all;
  }

  /** One Kafka topic, any number of partitions, from the committed offsets (else earliest). */
  public static DataStream<Envelope> kafka(
      StreamExecutionEnvironment env, String bootstrap, String topic, String group, JobSettings s) {
    return env.fromSource(
            kafkaSource(bootstrap, topic, group, s).build(), watermarks(s), "kafka " + topic)
        .uid("kafka-source");
  }

  /** The same, ending at the offsets that are latest when the job starts (a backfill, tests). */
  public static DataStream<Envelope> kafkaUntilLatest(
      StreamExecutionEnvironment env, String bootstrap, String topic, String group, JobSettings s) {
    return env.fromSource(
            kafkaSource(bootstrap, topic, group, s).setBounded(OffsetsInitializer.latest()).build(),
            watermarks(s),
            "kafka " + topic)
        .uid("kafka-source");
  }

  private static org.apache.flink.connector.kafka.source.KafkaSourceBuilder<Envelope> kafkaSource(
      String bootstrap, String topic, String group, JobSettings s) {
    return KafkaSource.<Envelope>builder()
        .setBootstrapServers(bootstrap)
        .setTopics(topic)
        .setGroupId(group)
        .setStartingOffsets(
            OffsetsInitializer.committedOffsets(
                org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
        .setDeserializer(new KafkaEnvelopes(s.parsing()));
  }

  public static Streams build(DataStream<Envelope> input, JobSettings s) {
    SingleOutputStreamOperator<ConversationEvent> validated =
        input
            .process(new SplitDeadLetters())
            .returns(StateSerializers.EVENT)
            .name("validate")
            .uid("validate");
    DataStream<ConversationEvent> clean = validated;
    DataStream<io.kefu.audit.sandbox.VaultEntry> vault = null;
    if (s.sandbox()) {
      SingleOutputStreamOperator<ConversationEvent> sandboxed =
          validated
              .process(new SandboxIngest(s.sandboxKeys, s.sandboxCustomers, s.sandboxVault))
              .returns(StateSerializers.EVENT)
              .name("sandbox: pseudonymise, redact")
              .uid("sandbox");
      clean = sandboxed;
      vault = sandboxed.getSideOutput(SandboxIngest.VAULT);
    }
    DataStream<ConversationEvent> events =
        !s.scoreMessages
            ? clean
            : clean
                .map(new ScoreMessages())
                .returns(StateSerializers.EVENT)
                .name("score sentiment")
                .uid("score-sentiment");
    SingleOutputStreamOperator<Fact> facts =
        events
            .keyBy(ConversationEvent::getConversationId, Types.STRING)
            .process(new Sessionizer(s))
            .returns(StateSerializers.FACT)
            .name("sessionize")
            .uid("sessionize");
    // The sessioniser's accepted events are still partitioned by conversation: quality inspection
    // runs chained to it, in the same task, without a second shuffle of every event.
    SingleOutputStreamOperator<Fact> quality =
        DataStreamUtils.reinterpretAsKeyedStream(
                facts.getSideOutput(Sessionizer.ACCEPTED),
                ConversationEvent::getConversationId,
                Types.STRING)
            .process(new QualityInspection(s))
            .returns(StateSerializers.FACT)
            .name("inspect quality")
            .uid("inspect-quality");
    // One combiner chained to each producer of facts (a union would put it in a task of its own,
    // and every fact on the network twice); the aggregator merges both combiners' partials.
    SingleOutputStreamOperator<KeyedPartial> partials =
        facts
            .transform("combine", StateSerializers.KEYED_PARTIAL, new FactCombiner(s))
            .uid("combine");
    SingleOutputStreamOperator<KeyedPartial> qualityPartials =
        quality
            .transform("combine quality", StateSerializers.KEYED_PARTIAL, new FactCombiner(s))
            .uid("combine-quality");
    SingleOutputStreamOperator<KpiSnapshot> kpis =
        partials
            .union(qualityPartials)
            .keyBy(p -> p.key, Types.STRING)
            .process(new KpiAggregator(s))
            .returns(TypeInformation.of(KpiSnapshot.class))
            .name("aggregate")
            .uid("aggregate");
    DataStream<DeadLetter> invalid = validated.getSideOutput(SplitDeadLetters.DEAD);
    if (s.sandbox()) {
      invalid =
          invalid
              .map(new SandboxIngest.RedactDeadLetters(s.sandboxKeys, s.sandboxCustomers))
              .returns(TypeInformation.of(DeadLetter.class))
              .name("sandbox: redact dead letters")
              .uid("sandbox-dead-letters");
    }
    DataStream<DeadLetter> dead = invalid.union(facts.getSideOutput(Sessionizer.DUPLICATES));
    DataStream<LateRecord> late =
        facts
            .getSideOutput(Sessionizer.LATE_EVENTS)
            .union(
                partials.getSideOutput(KpiAggregator.LATE_FACTS),
                qualityPartials.getSideOutput(KpiAggregator.LATE_FACTS),
                kpis.getSideOutput(KpiAggregator.LATE_FACTS));
    return new Streams(
        kpis,
        events,
        facts.getSideOutput(Sessionizer.ALERTS),
        quality.getSideOutput(QualityInspection.VIOLATIONS),
        dead,
        late,
        vault);
  }

  /** Passes events on; dead letters to a side output. */
  static final class SplitDeadLetters extends ProcessFunction<Envelope, ConversationEvent> {
    private static final long serialVersionUID = 1L;
    static final OutputTag<DeadLetter> DEAD =
        new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    @Override
    public void processElement(Envelope e, Context ctx, Collector<ConversationEvent> out) {
      if (e.event != null) {
        out.collect(e.event);
      } else {
        ctx.output(DEAD, e.dead);
      }
    }
  }

  /** Parquet rows are typed already; they still get the per-type checks. */
  static final class ParquetEnvelopes
      implements org.apache.flink.api.common.functions.MapFunction<ConversationEvent, Envelope> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final Parsing parsing;
    private long row;

    ParquetEnvelopes(String file, Parsing parsing) {
      this.file = file;
      this.parsing = parsing;
    }

    @Override
    public Envelope map(ConversationEvent e) {
      row++;
      try {
        io.kefu.schemas.json.ConversationEventCodec.validate(e);
        return Envelope.of(e);
      } catch (io.kefu.schemas.json.InvalidRecordException ex) {
        return Envelope.of(
            DeadLetter.of(
                file + ":row " + row,
                ex.problem().label(),
                ex.field(),
                ex.getMessage(),
                e.toString(),
                0));
      }
    }
  }
}
