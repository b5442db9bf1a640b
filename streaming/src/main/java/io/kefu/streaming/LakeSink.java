package io.kefu.streaming;

import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.QaViolation;
import java.time.Instant;
import java.time.ZoneId;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.parquet.avro.AvroParquetWriters;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.function.SerializableFunction;

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
        ConversationEvent.class,
        new ByDateAndTenant<>(zone, ConversationEvent::getEventTime, ConversationEvent::getTenant));
  }

  /** QA violations under {@code DIR/violations/date=…/tenant=…/}, dated by the message's time. */
  public static FileSink<QaViolation> violations(String dir, String zone) {
    return parquet(
        dir,
        "violations",
        QaViolation.class,
        new ByDateAndTenant<>(zone, QaViolation::getEventTime, QaViolation::getTenant));
  }

  private static <T extends org.apache.avro.specific.SpecificRecordBase> FileSink<T> parquet(
      String dir, String table, Class<T> type, ByDateAndTenant<T> buckets) {
    return FileSink.forBulkFormat(
            new Path(new Path(dir), table), AvroParquetWriters.forSpecificRecord(type))
        .withBucketAssigner(buckets)
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".parquet").build())
        .build();
  }

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

    @Override
    public String getBucketId(T record, Context context) {
      if (zoneId == null) {
        zoneId = ZoneId.of(zone);
      }
      Instant t = time.apply(record);
      return "date=" + t.atZone(zoneId).toLocalDate() + "/tenant=" + safe(tenant.apply(record));
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
