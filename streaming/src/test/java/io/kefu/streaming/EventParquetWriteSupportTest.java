package io.kefu.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.EventType;
import io.kefu.schemas.json.ConversationEventCodec;
import io.kefu.simulator.FileOutput;
import io.kefu.simulator.RecordWriter;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's event writer against parquet-avro's own: on a simulated day plus every golden event
 * and edge cases (absent optional fields, empty and non-empty attribute maps, Chinese text), both
 * write the very same file, byte for byte, and Avro reads back the events that went in.
 */
class EventParquetWriteSupportTest {

  @TempDir Path tmp;

  @Test
  void writesTheFileParquetAvroWrites() throws Exception {
    List<ConversationEvent> events = events();
    assertTrue(events.size() > 10_000, "events: " + events.size());

    Path ours = tmp.resolve("ours.parquet");
    Path theirs = tmp.resolve("theirs.parquet");
    Set<String> plain = LakeSink.DISTINCT_VALUED;
    try (ParquetWriter<ConversationEvent> w =
        EventParquetWriteSupport.writer(new LocalOutputFile(ours), plain)) {
      for (ConversationEvent e : events) {
        w.write(e);
      }
    }
    AvroParquetWriter.Builder<ConversationEvent> builder =
        AvroParquetWriter.<ConversationEvent>builder(new LocalOutputFile(theirs))
            .withSchema(ConversationEvent.getClassSchema())
            .withDataModel(org.apache.avro.specific.SpecificData.get());
    for (String column : plain) {
      builder = builder.withDictionaryEncoding(column, false);
    }
    try (ParquetWriter<ConversationEvent> w = builder.build()) {
      for (ConversationEvent e : events) {
        w.write(e);
      }
    }

    try (ParquetFileReader a = ParquetFileReader.open(new LocalInputFile(ours));
        ParquetFileReader b = ParquetFileReader.open(new LocalInputFile(theirs))) {
      FileMetaData ma = a.getFooter().getFileMetaData();
      FileMetaData mb = b.getFooter().getFileMetaData();
      assertEquals(mb.getSchema(), ma.getSchema());
      assertEquals(mb.getKeyValueMetaData(), ma.getKeyValueMetaData());
    }
    assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours), "the same bytes");

    List<ConversationEvent> back = new ArrayList<>();
    try (ParquetReader<ConversationEvent> r =
        AvroParquetReader.<ConversationEvent>builder(new LocalInputFile(ours))
            .withDataModel(org.apache.avro.specific.SpecificData.get())
            .build()) {
      for (ConversationEvent e = r.read(); e != null; e = r.read()) {
        back.add(e);
      }
    }
    assertEquals(events, back);
  }

  private List<ConversationEvent> events() throws Exception {
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.conversations = 1000;
    cfg.days = 1;
    cfg.seed = 5;
    try (FileOutput out = new FileOutput(tmp.resolve("sim"), RecordWriter.Format.JSONL, false)) {
      new Simulator(cfg).run(out, (t, n) -> {});
    }
    ConversationEventCodec codec = new ConversationEventCodec();
    List<ConversationEvent> events = new ArrayList<>();
    try (Stream<Path> files = Files.list(tmp.resolve("sim/events"))) {
      for (Path f : files.sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          events.add(codec.fromJson(line));
        }
      }
    }
    for (EventType type : EventType.values()) {
      events.add(EventCodecTest.golden(type));
    }
    ConversationEvent bare = EventCodecTest.golden(EventType.CLOSED);
    bare.setChannel(null);
    bare.setQueue(null);
    bare.setAttributes(Map.of());
    events.add(bare);
    ConversationEvent rich = EventCodecTest.golden(EventType.MESSAGE);
    rich.setText("您好！退款已经到账了吗？😀 \"quoted\" \\ end");
    rich.setAttributes(Map.of("来源", "小程序", "ticket", "T-1", "empty", ""));
    events.add(rich);
    return events;
  }
}
