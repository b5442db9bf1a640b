package io.kefu.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.kefu.audit.batch.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code log.json}: the log's id and format version, written once when the log is created. */
public final class LogMeta {
  private LogMeta() {}

  public static final int FORMAT = 1;

  /** The log id stored in {@code dir}, creating the file with {@code wanted} for a new log. */
  static String loadOrCreate(Path dir, String wanted) throws IOException {
    Path file = dir.resolve(LogFormat.META_FILE);
    if (!Files.exists(file)) {
      Files.write(file, CanonicalJson.bytes(Map.of("format", FORMAT, "log_id", wanted)));
      OperationLog.forceDirectory(dir);
      return wanted;
    }
    String id = read(dir);
    if (wanted != null && !wanted.equals(id) && !"ops".equals(wanted)) {
      throw new IOException(file + ": this log's id is " + id + ", not " + wanted);
    }
    return id;
  }

  /** The log id of an existing log directory. */
  public static String read(Path dir) throws IOException {
    Path file = dir.resolve(LogFormat.META_FILE);
    if (!Files.exists(file)) {
      throw new IOException(dir + " is not an operation log (no " + LogFormat.META_FILE + ")");
    }
    JsonNode n = CanonicalJson.parse(Files.readAllBytes(file));
    if (n.path("format").asInt() != FORMAT || !n.path("log_id").isTextual()) {
      throw new IOException(file + ": unknown log format");
    }
    return n.get("log_id").asText();
  }
}
