package io.kefu.streaming;

import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.QaViolation;
import java.time.Instant;
import java.time.ZoneId;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.parquet.avro.AvroParquetWriter;

/**
 * The event lake: validated events as Parquet under {@code DIR/events/date=YYYY-MM-DD/tenant=T/},
 * the date in the configured zone, and QA violations the same way under {@code DIR/violations/}.
 * Part files are committed on checkpoints, so the lake holds every event exactly once even across
 * failures; Spark, DuckDB and notebooks read it as a partitioned table.
 */
public final class LakeSink {
  private LakeSink() {}

  /** Writes the job's events and QA violations under {@code dir}. */
  public static void attach(KpiJob.Streams streams, String dir, String zone) {
    streams.events().sinkTo(events(dir, zone)).name("lake").uid("lake");
    streams
        .violations()
        .sinkTo(violations(dir, zone))
        .name("lake violations")
        .uid("lake-violations");
  }

  public static FileSink<ConversationEvent> events(String dir, String zone) {
    return parquet(
        dir,
        "events",
        new ParquetWriterFactory<>(out -> EventParquetWriteSupport.writer(out, DISTINCT_VALUED)),
        new ByDateAndTenant<>(zone, ConversationEvent::getEventTime, ConversationEvent::getTenant));
  }

  /** QA violations under {@code DIR/violations/date=…/tenant=…/}, dated by the message's time. */
  public static FileSink<QaViolation> violations(String dir, String zone) {
    return parquet(
        dir,
        "violations",
        writer(QaViolation.class),
        new ByDateAndTenant<>(zone, QaViolation::getEventTime, QaViolation::getTenant));
  }

  private static <T> FileSink<T> parquet(
      String dir, String table, ParquetWriterFactory<T> writer, ByDateAndTenant<T> buckets) {
    return FileSink.forBulkFormat(new Path(new Path(dir), table), writer)
        .withBucketAssigner(buckets)
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".parquet").build())
        .build();
  }

  /**
   * Avro-to-Parquet writers as Flink's {@code AvroParquetWriters.forSpecificRecord}, except that
   * columns whose values are nearly all distinct (ids, times, free text, scores) are written plain:
   * a dictionary for them only costs a hash look-up per value until Parquet gives up on it.
   */
  static <T extends org.apache.avro.specific.SpecificRecordBase> ParquetWriterFactory<T> writer(
      Class<T> type) {
    String schema = SpecificData.get().getSchema(type).toString();
    return new ParquetWriterFactory<>(
        out -> {
          Schema parsed = new Schema.Parser().parse(schema);
          AvroParquetWriter.Builder<T> builder =
              AvroParquetWriter.<T>builder(out)
                  .withSchema(parsed)
                  .withDataModel(SpecificData.getForClass(type));
          for (Schema.Field field : parsed.getFields()) {
            if (DISTINCT_VALUED.contains(field.name())) {
              builder = builder.withDictionaryEncoding(field.name(), false);
            }
          }
          return builder.build();
        });
  }

  static final java.util.Set<String> DISTINCT_VALUED =
      java.util.Set.of(
          "event_id",
          "conversation_id",
          "event_time",
          "customer_id",
          "text",
          "sentiment",
          "anger",
          "violation_id",
          "message_id");

  /** {@code date=YYYY-MM-DD/tenant=T} from the record's time in the zone. */
  static final class ByDateAndTenant<T> implements BucketAssigner<T, String> {
    private static final long serialVersionUID = 1L;
    private final String zone;
    private final SerializableFunction<T, Instant> time;
    private final SerializableFunction<T, String> tenant;
    private transient ZoneId zoneId;

    ByDateAndTenant(
        String zone,
        SerializableFunction<T, Instant> time,
        SerializableFunction<T, String> tenant) {
      this.zone = zone;
      this.time = time;
      this.tenant = tenant;
    }

    // The last bucket's day [dayStart, dayEnd) and tenant: a stream of events is mostly one day
    // and one tenant, so the id is rebuilt only when either changes.
    private transient long dayStart;
    private transient long dayEnd;
    private transient String lastTenant;
    private transient String lastId;

    @Override
    public String getBucketId(T record, Context context) {
      if (zoneId == null) {
        zoneId = ZoneId.of(zone);
      }
      long t = time.apply(record).toEpochMilli();
      String tenantName = tenant.apply(record);
      if (lastId != null && t >= dayStart && t < dayEnd && tenantName.equals(lastTenant)) {
        return lastId;
      }
      java.time.LocalDate day = Instant.ofEpochMilli(t).atZone(zoneId).toLocalDate();
      dayStart = day.atStartOfDay(zoneId).toInstant().toEpochMilli();
      dayEnd = day.plusDays(1).atStartOfDay(zoneId).toInstant().toEpochMilli();
      lastTenant = tenantName;
      lastId = "date=" + day + "/tenant=" + safe(tenantName);
      return lastId;
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
      return SimpleVersionedStringSerializer.INSTANCE;
    }

    /** A tenant name made safe as one path segment. */
    static String safe(String tenant) {
      return tenant.replaceAll("[^A-Za-z0-9._-]", "_");
    }
  }
}
