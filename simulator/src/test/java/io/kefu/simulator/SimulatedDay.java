package io.kefu.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.json.ConversationEventCodec;
import io.kefu.schemas.json.InvalidRecordException;
import io.kefu.schemas.json.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A simulation run written to a directory, with readers for its files. Test fixture. */
final class SimulatedDay {
  static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  final Simulator.Summary summary;
  final List<ConversationEvent> events = new ArrayList<>();
  final Map<String, List<ConversationEvent>> byConversation = new LinkedHashMap<>();
  final Map<String, ConversationEvent> byId = new LinkedHashMap<>();

  private SimulatedDay(Path dir, Simulator.Summary summary) {
    this.dir = dir;
    this.summary = summary;
  }

  static SimulatedDay run(SimulatorConfig cfg, Path dir, RecordWriter.Format format)
      throws IOException {
    Simulator.Summary summary;
    try (FileOutput out = new FileOutput(dir, format, false)) {
      out.configuration(cfg.toYaml());
      summary = new Simulator(cfg).run(out, (t, n) -> {});
    }
    SimulatedDay day = new SimulatedDay(dir, summary);
    if (format == RecordWriter.Format.JSONL) {
      day.readEvents();
    }
    return day;
  }

  static SimulatorConfig config(long conversations, int days, long seed) {
    SimulatorConfig cfg = SimulatorConfig.defaults();
    cfg.conversations = conversations;
    cfg.days = days;
    cfg.seed = seed;
    return cfg;
  }

  static SimulatorConfig ab(SimulatorConfig cfg) {
    cfg.experiment.enabled = true;
    return cfg;
  }

  private void readEvents() throws IOException {
    ConversationEventCodec codec = new ConversationEventCodec();
    for (Path file : list(dir.resolve("events"))) {
      try (JsonLines lines = JsonLines.open(file, 1 << 20)) {
        while (lines.next()) {
          ConversationEvent e;
          try {
            e = codec.parse(lines);
          } catch (InvalidRecordException ex) {
            throw new AssertionError(file + ":" + ex.line() + ": " + ex.getMessage());
          }
          events.add(e);
          byId.put(e.getEventId(), e);
          byConversation.computeIfAbsent(e.getConversationId(), k -> new ArrayList<>()).add(e);
        }
      }
    }
    for (List<ConversationEvent> list : byConversation.values()) {
      list.sort((a, b) -> a.getEventTime().compareTo(b.getEventTime()));
    }
  }

  static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  List<JsonNode> truth(String file) {
    return jsonLines(dir.resolve("truth").resolve(file));
  }

  List<JsonNode> lines(String file) {
    return jsonLines(dir.resolve(file));
  }

  private static List<JsonNode> jsonLines(Path file) {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<String> lines = Files.lines(file)) {
      for (String l : (Iterable<String>) lines::iterator) {
        out.add(JSON.readTree(l));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
