package io.kefu.batch.report;

import io.kefu.schemas.BrowsingEvent;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.CustomerRecord;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.OrderLine;
import io.kefu.simulator.SimulationOutput;
import io.kefu.simulator.Simulator;
import io.kefu.simulator.SimulatorConfig;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The conversation events of a simulation, in delivery order (everything else dropped). */
public final class SimulatedEvents {
  private SimulatedEvents() {}

  public static List<ConversationEvent> of(SimulatorConfig cfg) throws Exception {
    List<ConversationEvent> out = new ArrayList<>();
    new Simulator(cfg)
        .run(
            new SimulationOutput() {
              @Override
              public void event(ConversationEvent event, LocalDate ingestDay) {
                out.add(event);
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
            },
            (t, n) -> {});
    return out;
  }
}
