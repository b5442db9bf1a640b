package io.kefu.batch;

import io.kefu.schemas.BrowsingEvent;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.CustomerRecord;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.OrderLine;
import io.kefu.simulator.SimulationOutput;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Two simulated days (from {@link Fixtures#DAY}, Asia/Shanghai, about 200 conversations a day,
 * default violation rates), simulated once per test JVM.
 */
public final class Simulated {
  private Simulated() {}

  private static List<ConversationEvent> events;

  public static synchronized List<ConversationEvent> events() {
    if (events == null) {
      SimulatorConfig cfg = SimulatorConfig.defaults();
      cfg.seed = 11;
      cfg.startDate = Fixtures.DAY;
      cfg.days = 2;
      cfg.conversations = 400;
      cfg.zone = Fixtures.SHANGHAI.getId();
      cfg.experiment.enabled = false;
      cfg.commerce.enabled = false;
      cfg.oplog.enabled = false;
      events = List.copyOf(of(cfg));
    }
    return events;
  }

  /** The conversation events of any simulation, in delivery order (everything else dropped). */
  public static List<ConversationEvent> of(SimulatorConfig cfg) {
    Collecting out = new Collecting();
    try {
      new Simulator(cfg).run(out, (t, n) -> {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.events;
  }

  /** Keeps the events, drops everything else. */
  private static final class Collecting implements SimulationOutput {
    final List<ConversationEvent> events = new ArrayList<>();

    @Override
    public void event(ConversationEvent event, LocalDate ingestDay) {
      events.add(event);
    }

    @Override
    public void customer(CustomerRecord record) {}

    @Override
    public void order(OrderLine line) {}

    @Override
    public void browsing(BrowsingEvent event) {}

    @Override
    public void operation(OperationLogRecord record) {}

    @Override
    public void truth(String file, Object record) {}

    @Override
    public void truthDocument(String file, Object document) {}

    @Override
    public void close() {}
  }
}
