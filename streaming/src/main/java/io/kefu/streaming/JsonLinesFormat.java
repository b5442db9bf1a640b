package io.kefu.streaming;

import io.kefu.schemas.json.JsonLines;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Conversation events as JSON lines, read as raw bytes (so invalid UTF-8 is reported, not replaced)
 * and parsed into {@link Envelope}s whose dead letters name the file and line. One format instance
 * per file: Flink's stream formats are not told which file they read.
 */
final class JsonLinesFormat extends SimpleStreamFormat<Envelope> {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final Parsing parsing;
  private final int maxBytes;

  JsonLinesFormat(String file, Parsing parsing, int maxBytes) {
    this.file = file;
    this.parsing = parsing;
    this.maxBytes = maxBytes;
  }

  @Override
  public StreamFormat.Reader<Envelope> createReader(
      Configuration config, FSDataInputStream stream) {
    JsonLines lines = new JsonLines(stream, maxBytes);
    return new StreamFormat.Reader<>() {
      @Override
      public Envelope read() throws java.io.IOException {
        if (!lines.next()) {
          return null;
        }
        return parsing.parse(
            lines.bytes(), lines.length(), lines.originalLength(), file + ":" + lines.lineNumber());
      }

      @Override
      public void close() throws java.io.IOException {
        lines.close();
      }
    };
  }

  @Override
  public TypeInformation<Envelope> getProducedType() {
    return StateSerializers.ENVELOPE;
  }
}
