package io.kefu.simulator;

import io.kefu.schemas.BrowsingEvent;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.CustomerRecord;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.OrderLine;
import java.io.Closeable;
import java.io.IOException;
import java.time.LocalDate;

/** Where a simulation writes. Events arrive in delivery (ingest) order. */
public interface SimulationOutput extends Closeable {

  void event(ConversationEvent event, LocalDate ingestDay) throws IOException;

  void customer(CustomerRecord record) throws IOException;

  void order(OrderLine line) throws IOException;

  void browsing(BrowsingEvent event) throws IOException;

  void operation(OperationLogRecord record) throws IOException;

  /** One ground-truth record (a record of {@link GroundTruth}) into the named truth file. */
  void truth(String file, Object record) throws IOException;

  /** A whole ground-truth document, e.g. the A/B effect sizes. */
  void truthDocument(String file, Object document) throws IOException;
}
