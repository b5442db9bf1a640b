package io.kefu.batch.profiles;

import io.kefu.batch.Fixtures;
import io.kefu.batch.TestLake;
import io.kefu.schemas.BrowsingEvent;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.CustomerRecord;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.OrderLine;
import io.kefu.simulator.FileOutput;
import io.kefu.simulator.RecordWriter;
import io.kefu.simulator.SimulationOutput;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A small simulated shop, made once per test JVM in a temporary directory: three days of contacts
 * from {@link Fixtures#DAY} (Shanghai) written as a lake, and the simulator's own files beside it —
 * orders.jsonl, browsing.jsonl (180 days of history) and truth/preferences.jsonl. 3,000
 * conversations make 1,800 customers and about 45,000 orders and views.
 */
public final class SimulatedShop {
  private SimulatedShop() {}

  private static Path dir;

  /** The simulator's output directory (orders.jsonl, browsing.jsonl, truth/). */
  public static synchronized Path simulator() {
    ensure();
    return dir.resolve("sim");
  }

  /** The lake of the simulated contacts. */
  public static synchronized Path lake() {
    ensure();
    return dir.resolve("lake");
  }

  /** The last simulated day. */
  public static LocalDate lastDay() {
    return Fixtures.DAY.plusDays(2);
  }

  private static void ensure() {
    if (dir != null) {
      return;
    }
    try {
      Path d = Files.createTempDirectory("kefu-shop");
      SimulatorConfig cfg = SimulatorConfig.defaults();
      cfg.seed = 5;
      cfg.startDate = Fixtures.DAY;
      cfg.days = 3;
      cfg.conversations = 3000;
      cfg.zone = Fixtures.SHANGHAI.getId();
      cfg.experiment.enabled = false;
      cfg.oplog.enabled = false;
      List<ConversationEvent> events = new ArrayList<>();
      try (FileOutput files = new FileOutput(d.resolve("sim"), RecordWriter.Format.JSONL, false)) {
        new Simulator(cfg).run(new Tee(files, events), (t, n) -> {});
      }
      TestLake.write(d.resolve("lake"), events, Fixtures.SHANGHAI);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(d)));
      dir = d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path d) {
    try (var walk = Files.walk(d)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a temporary directory: best effort
    }
  }

  /** Conversation events into a list (for the lake), everything else into the simulator's files. */
  private record Tee(FileOutput files, List<ConversationEvent> events) implements SimulationOutput {
    @Override
    public void event(ConversationEvent event, LocalDate ingestDay) {
      events.add(event);
    }

    @Override
    public void customer(CustomerRecord record) {}

    @Override
    public void order(OrderLine line) throws IOException {
      files.order(line);
    }

    @Override
    public void browsing(BrowsingEvent event) throws IOException {
      files.browsing(event);
    }

    @Override
    public void operation(OperationLogRecord record) {}

    @Override
    public void truth(String file, Object record) throws IOException {
      files.truth(file, record);
    }

    @Override
    public void truthDocument(String file, Object document) throws IOException {
      files.truthDocument(file, document);
    }

    @Override
    public void close() {}
  }
}
