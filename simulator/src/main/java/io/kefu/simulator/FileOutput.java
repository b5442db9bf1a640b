package io.kefu.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kefu.schemas.BrowsingEvent;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.CustomerRecord;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.OrderLine;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulator's files in one directory:
 *
 * <pre>
 * events/YYYY-MM-DD.jsonl   conversation events by delivery day, in delivery order
 * customers.jsonl           CRM records (with PII)
 * orders.jsonl, browsing.jsonl, oplog.jsonl
 * truth/                    what was injected (violations, PII, preferences, suspicious operations…)
 * simulation.yaml           the effective configuration
 * </pre>
 *
 * With {@code --format parquet} the data files are Parquet instead; truth files are always JSON.
 */
public final class FileOutput implements SimulationOutput {

  private static final ObjectMapper TRUTH =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private final Path dir;
  private final RecordWriter.Format format;
  private final boolean gzip;
  private LocalDate eventDay;
  private RecordWriter<ConversationEvent> events;
  private RecordWriter<CustomerRecord> customers;
  private RecordWriter<OrderLine> orders;
  private RecordWriter<BrowsingEvent> browsing;
  private RecordWriter<OperationLogRecord> operations;
  private final Map<String, OutputStream> truthFiles = new LinkedHashMap<>();

  public FileOutput(Path dir, RecordWriter.Format format, boolean gzip) throws IOException {
    this.dir = dir;
    this.format = format;
    this.gzip = gzip && format == RecordWriter.Format.JSONL;
    Files.createDirectories(dir.resolve("events"));
    Files.createDirectories(dir.resolve("truth"));
  }

  private Path data(String name) {
    return dir.resolve(name + format.extension(gzip));
  }

  @Override
  public void event(ConversationEvent event, LocalDate ingestDay) throws IOException {
    if (!ingestDay.equals(eventDay)) {
      if (events != null) {
        events.close();
      }
      eventDay = ingestDay;
      events =
          RecordWriter.open(
              dir.resolve("events").resolve(ingestDay + format.extension(gzip)),
              ConversationEvent.class,
              format);
    }
    events.write(event);
  }

  @Override
  public void customer(CustomerRecord record) throws IOException {
    if (customers == null) {
      customers = RecordWriter.open(data("customers"), CustomerRecord.class, format);
    }
    customers.write(record);
  }

  @Override
  public void order(OrderLine line) throws IOException {
    if (orders == null) {
      orders = RecordWriter.open(data("orders"), OrderLine.class, format);
    }
    orders.write(line);
  }

  @Override
  public void browsing(BrowsingEvent event) throws IOException {
    if (browsing == null) {
      browsing = RecordWriter.open(data("browsing"), BrowsingEvent.class, format);
    }
    browsing.write(event);
  }

  @Override
  public void operation(OperationLogRecord record) throws IOException {
    if (operations == null) {
      operations = RecordWriter.open(data("oplog"), OperationLogRecord.class, format);
    }
    operations.write(record);
  }

  @Override
  public void truth(String file, Object record) throws IOException {
    OutputStream out = truthFiles.get(file);
    if (out == null) {
      out =
          new BufferedOutputStream(
              Files.newOutputStream(dir.resolve("truth").resolve(file)), 1 << 16);
      truthFiles.put(file, out);
    }
    TRUTH.writeValue(out, record);
    out.write('\n');
  }

  @Override
  public void truthDocument(String file, Object document) throws IOException {
    TRUTH
        .writer()
        .with(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("truth").resolve(file).toFile(), document);
  }

  /** Writes the effective configuration beside the data. */
  public void configuration(String yaml) throws IOException {
    Files.writeString(dir.resolve("simulation.yaml"), yaml);
  }

  @Override
  public void close() throws IOException {
    for (AutoCloseable c : new AutoCloseable[] {events, customers, orders, browsing, operations}) {
      if (c != null) {
        try {
          c.close();
        } catch (IOException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        }
      }
    }
    for (OutputStream out : truthFiles.values()) {
      out.close();
    }
  }
}
