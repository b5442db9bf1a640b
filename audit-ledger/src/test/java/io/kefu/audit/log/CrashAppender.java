package io.kefu.audit.log;

import io.kefu.audit.batch.BatchSealer;
import io.kefu.schemas.OperationLogRecord;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link CrashRecoveryTest}: appends records forever from four threads and
 * prints {@code ack SEQ CONTENT-ID} for every record the log acknowledged, until it is killed.
 */
public final class CrashAppender {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long base = Long.parseLong(args[1]);
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    OperationLog log =
        OperationLog.open(
            dir,
            LogOptions.defaults()
                .withSegmentBytes(64 * 1024)
                .withBatches(new BatchSealer.Policy(500, Duration.ofMillis(200))));
    out.println("open " + log.size());
    out.flush();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      long id0 = base + t * 1_000_000_000L;
      Thread th =
          new Thread(
              () -> {
                for (long id = id0; ; id++) {
                  OperationLogRecord r = SampleRecords.record(id);
                  r.getAttributes().put("content_id", Long.toString(id));
                  try {
                    long seq = log.append(r);
                    synchronized (out) {
                      out.println("ack " + seq + " " + id);
                      out.flush();
                    }
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
  }
}
