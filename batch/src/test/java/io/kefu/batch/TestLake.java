package io.kefu.batch;

import io.kefu.schemas.ConversationEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes a lake as the streaming job's {@code LakeSink} does: Avro-specific Parquet files under
 * {@code events/date=YYYY-MM-DD/tenant=T/part-*.parquet}, the date of each event's time in the
 * zone.
 */
public final class TestLake {
  private TestLake() {}

  /** Writes {@code events} under {@code lake}, one part file per partition; returns the lake. */
  public static Path write(Path lake, Collection<ConversationEvent> events, ZoneId zone)
      throws IOException {
    Map<Path, List<ConversationEvent>> byPartition = new LinkedHashMap<>();
    for (ConversationEvent e : events) {
      Path dir =
          lake.resolve("events")
              .resolve("date=" + e.getEventTime().atZone(zone).toLocalDate())
              .resolve("tenant=" + e.getTenant().replaceAll("[^A-Za-z0-9._-]", "_"));
      byPartition.computeIfAbsent(dir, d -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<Path, List<ConversationEvent>> p : byPartition.entrySet()) {
      Files.createDirectories(p.getKey());
      part(p.getKey().resolve("part-" + UUID.randomUUID() + "-0.parquet"), p.getValue());
    }
    return lake;
  }

  /** One Parquet part file with the {@link ConversationEvent} Avro schema. */
  public static void part(Path file, List<ConversationEvent> events) throws IOException {
    try (ParquetWriter<ConversationEvent> w =
        AvroParquetWriter.<ConversationEvent>builder(new LocalOutputFile(file))
            .withSchema(ConversationEvent.getClassSchema())
            .withDataModel(SpecificData.getForClass(ConversationEvent.class))
            .build()) {
      for (ConversationEvent e : events) {
        w.write(e);
      }
    }
  }
}
