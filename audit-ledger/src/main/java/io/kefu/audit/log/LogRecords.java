package io.kefu.audit.log;

import io.kefu.schemas.OperationLogRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads records back from a log's segments, for audits and reports (not for verification). */
public final class LogRecords {
  private LogRecords() {}

  /**
   * The records whose {@code time} is in {@code [fromMillis, toMillis)}, in log order. Frames that
   * cannot be decoded are skipped here; {@code kefu audit verify} is what reports them.
   */
  public static List<OperationLogRecord> between(Path dir, long fromMillis, long toMillis)
      throws IOException {
    List<OperationLogRecord> out = new ArrayList<>();
    for (Path file : Segment.files(dir)) {
      Segment seg = Segment.read(file);
      for (Segment.Frame f : seg.frames) {
        try {
          OperationLogRecord r = RecordEncoding.decode(seg.record(f));
          long t = r.getTime().toEpochMilli();
          if (t >= fromMillis && t < toMillis) {
            out.add(r);
          }
        } catch (InvalidLogRecordException e) {
          // reported by the verifier, which always runs before a report is made
        }
      }
    }
    return out;
  }
}
