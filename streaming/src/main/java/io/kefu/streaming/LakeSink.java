package io.kefu.streaming;

import io.kefu.schemas.ConversationEvent;
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

/**
 * The event lake: validated events as Parquet under {@code DIR/events/date=YYYY-MM-DD/tenant=T/},
 * the date in the configured zone. Part files are committed on checkpoints, so the lake holds every
 * event exactly once even across failures; Spark, DuckDB and notebooks read it as a partitioned
 * table.
 */
public final class LakeSink {
  private LakeSink() {}

  public static FileSink<ConversationEvent> events(String dir, String zone) {
    return FileSink.forBulkFormat(
            new Path(new Path(dir), "events"),
            AvroParquetWriters.forSpecificRecord(ConversationEvent.class))
        .withBucketAssigner(new ByDateAndTenant(zone))
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".parquet").build())
        .build();
  }

  /** {@code date=YYYY-MM-DD/tenant=T} from the event time in the zone. */
  static final class ByDateAndTenant implements BucketAssigner<ConversationEvent, String> {
    private static final long serialVersionUID = 1L;
    private final String zone;
    private transient ZoneId zoneId;

    ByDateAndTenant(String zone) {
      this.zone = zone;
    }

    @Override
    public String getBucketId(ConversationEvent e, Context context) {
      if (zoneId == null) {
        zoneId = ZoneId.of(zone);
      }
      Instant t = e.getEventTime();
      return "date=" + t.atZone(zoneId).toLocalDate() + "/tenant=" + safe(e.getTenant());
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
