package io.kefu.cli;

import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.json.InvalidRecordException;
import io.kefu.schemas.json.JsonLines;
import io.kefu.schemas.json.RecordJsonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Reads operation-log records from JSON lines (optionally gzipped) or Parquet files in chunks.
 * Records that are not valid go to a dead-letter file with where they came from and why; nothing is
 * dropped silently.
 */
final class OperationLogInput implements AutoCloseable {

  static final int MAX_LINE_BYTES = 1 << 20;
  private static final RecordJsonCodec<OperationLogRecord> CODEC =
      RecordJsonCodec.of(OperationLogRecord.class);

  /** Receives chunks of valid records in input order. */
  interface Sink {
    void accept(List<OperationLogRecord> chunk) throws IOException;
  }

  private final Path deadLetters;
  private OutputStream dead;
  long read;
  long rejected;
  final List<String> firstRejections = new ArrayList<>();

  OperationLogInput(Path deadLetters) {
    this.deadLetters = deadLetters;
  }

  void readFile(Path file, int chunk, Sink sink) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    if (file.getFileName().toString().endsWith(".parquet")) {
      readParquet(file, chunk, sink);
    } else {
      readJsonLines(file, chunk, sink);
    }
  }

  private void readJsonLines(Path file, int chunk, Sink sink) throws IOException {
    List<OperationLogRecord> buf = new ArrayList<>(chunk);
    try (JsonLines in = JsonLines.open(file, MAX_LINE_BYTES)) {
      while (in.next()) {
        read++;
        try {
          buf.add(CODEC.read(in.bytes(), 0, in.length()));
        } catch (InvalidRecordException e) {
          reject(
              file + ":" + in.lineNumber(),
              e.getMessage(),
              new String(in.bytes(), 0, in.length(), StandardCharsets.UTF_8));
        }
        if (buf.size() == chunk) {
          sink.accept(buf);
          buf = new ArrayList<>(chunk);
        }
      }
    }
    if (!buf.isEmpty()) {
      sink.accept(buf);
    }
  }

  private void readParquet(Path file, int chunk, Sink sink) throws IOException {
    List<OperationLogRecord> buf = new ArrayList<>(chunk);
    try (ParquetReader<OperationLogRecord> reader =
        AvroParquetReader.<OperationLogRecord>builder(new LocalInputFile(file))
            .withDataModel(SpecificData.getForClass(OperationLogRecord.class))
            .build()) {
      for (OperationLogRecord r = reader.read(); r != null; r = reader.read()) {
        read++;
        buf.add(r);
        if (buf.size() == chunk) {
          sink.accept(buf);
          buf = new ArrayList<>(chunk);
        }
      }
    }
    if (!buf.isEmpty()) {
      sink.accept(buf);
    }
  }

  /** Writes one rejected input to the dead-letter file: where, why, and the raw text. */
  void reject(String where, String reason, String raw) throws IOException {
    rejected++;
    if (firstRejections.size() < 10) {
      firstRejections.add(where + ": " + reason);
    }
    if (dead == null) {
      Files.createDirectories(deadLetters.toAbsolutePath().getParent());
      dead =
          Files.newOutputStream(deadLetters, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    var node = io.kefu.audit.batch.CanonicalJson.mapper().createObjectNode();
    node.put("where", where);
    node.put("reason", reason);
    node.put("input", raw);
    dead.write(io.kefu.audit.batch.CanonicalJson.mapper().writeValueAsBytes(node));
    dead.write('\n');
    dead.flush();
  }

  @Override
  public void close() throws IOException {
    if (dead != null) {
      dead.close();
    }
  }
}
