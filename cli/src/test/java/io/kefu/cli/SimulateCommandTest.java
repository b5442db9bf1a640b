package io.kefu.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimulateCommandTest {

  @TempDir Path tmp;

  @Test
  void simulatedFilesValidateAndRepeatExactly() throws Exception {
    for (String name : List.of("a", "b")) {
      CliRun run =
          CliRun.of(
              "simulate",
              "--conversations",
              "800",
              "--days",
              "2",
              "--seed",
              "7",
              "--gzip",
              "--out",
              tmp.resolve(name).toString());
      assertEquals(0, run.exitCode(), run.err());
      assertTrue(run.out().contains("CONVERSATION_STARTED"), run.out());
    }
    CliRun validate = CliRun.of("validate", tmp.resolve("a/events").toString());
    assertEquals(0, validate.exitCode(), validate.out() + validate.err());
    assertTrue(validate.out().contains(" 0 invalid"), validate.out());

    try (Stream<Path> files = Files.walk(tmp.resolve("a"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path twin = tmp.resolve("b").resolve(tmp.resolve("a").relativize(f));
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(twin), f.toString());
      }
    }
  }

  @Test
  void parquetOutputValidates() {
    CliRun run =
        CliRun.of(
            "simulate",
            "--conversations",
            "300",
            "--format",
            "parquet",
            "--out",
            tmp.resolve("p").toString());
    assertEquals(0, run.exitCode(), run.err());
    CliRun validate = CliRun.of("validate", tmp.resolve("p/events").toString());
    assertEquals(0, validate.exitCode(), validate.out() + validate.err());
  }

  @Test
  void badConfigKeyIsNamed() throws Exception {
    Path config = tmp.resolve("bad.yaml");
    Files.writeString(config, "system:\n  bot_containmnet: 0.5\n");
    CliRun run =
        CliRun.of("simulate", "--config", config.toString(), "--out", tmp.resolve("x").toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("bot_containmnet"), run.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "simulate", "validate"})
  void everyCommandHasHelp(String command) {
    CliRun run = CliRun.of(command, "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("Usage: kefu " + command), run.out());
  }
}
