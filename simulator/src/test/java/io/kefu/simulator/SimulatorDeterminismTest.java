package io.kefu.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SimulatorDeterminismTest {

  @TempDir Path tmp;

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  @ParameterizedTest
  @EnumSource(RecordWriter.Format.class)
  void sameSeedGivesByteIdenticalFiles(RecordWriter.Format format) throws Exception {
    SimulatedDay.run(SimulatedDay.ab(SimulatedDay.config(1500, 2, 7)), tmp.resolve("a"), format);
    SimulatedDay.run(SimulatedDay.ab(SimulatedDay.config(1500, 2, 7)), tmp.resolve("b"), format);
    List<Path> a = files(tmp.resolve("a"));
    assertEquals(a, files(tmp.resolve("b")));
    for (Path p : a) {
      assertArrayEquals(
          Files.readAllBytes(tmp.resolve("a").resolve(p)),
          Files.readAllBytes(tmp.resolve("b").resolve(p)),
          p + " differs between two runs with the same seed");
    }
  }

  @Test
  void anotherSeedGivesOtherTraffic() throws Exception {
    SimulatedDay.run(SimulatedDay.config(500, 1, 7), tmp.resolve("a"), RecordWriter.Format.JSONL);
    SimulatedDay.run(SimulatedDay.config(500, 1, 8), tmp.resolve("b"), RecordWriter.Format.JSONL);
    Path events = Path.of("events", "2026-11-23.jsonl");
    assertFalse(
        Arrays.equals(
            Files.readAllBytes(tmp.resolve("a").resolve(events)),
            Files.readAllBytes(tmp.resolve("b").resolve(events))));
  }

  @Test
  void aFirstEventDeliveredLateDoesNotStopTheRun() throws Exception {
    // seed 1022: the very first event draws a delivery delay, and the events generated after it
    // are due before it; the run used to fail with "due before the clock"
    Path out = tmp.resolve("late-first");
    SimulatedDay.run(SimulatedDay.config(1200, 1, 1022), out, RecordWriter.Format.JSONL);
    List<String> lines = Files.readAllLines(out.resolve(Path.of("events", "2026-11-23.jsonl")));
    assertFalse(lines.isEmpty());
    assertEquals(1200, lines.stream().filter(l -> l.contains("\"CONVERSATION_STARTED\"")).count());
  }
}
