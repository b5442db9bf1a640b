package io.kefu.audit.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.schemas.OperationLogRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child process appending from four threads is killed with SIGKILL at a random moment, five times
 * over the same log; after each crash the log recovers and still holds every record the child saw
 * acknowledged, byte for byte, in a verifiable chain.
 */
class CrashRecoveryTest {

  @TempDir Path dir;

  @Test
  void everyAcknowledgedRecordSurvivesKillNine() throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    Map<Long, Long> acked = new HashMap<>(); // sequence -> content id
    int tornTails = 0;
    int paddings = 0;
    for (int round = 0; round < 5; round++) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  CrashAppender.class.getName(),
                  dir.toString(),
                  Long.toString(round * 10_000_000L))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      int target = 500 + rnd.nextInt(3_000);
      int seen = 0;
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("ack ")) {
            String[] f = line.split(" ");
            acked.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
            if (++seen == target) {
              child.toHandle().destroyForcibly(); // SIGKILL; the pipe stays open to drain
            }
          }
        }
      }
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertTrue(seen >= target, "child acknowledged only " + seen);

      try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
        if (log.recovery().cutTornTail()) {
          tornTails++;
        }
        if (log.recovery().paddingBytes() > 0) {
          paddings++;
        }
        assertTrue(log.size() >= acked.size(), log.recovery().describe());
      }
      List<byte[]> records = OperationLogTest.readBackAndCheckChain(dir);
      for (Map.Entry<Long, Long> a : acked.entrySet()) {
        OperationLogRecord r = RecordEncoding.decode(records.get(a.getKey().intValue()));
        assertEquals(
            a.getValue().toString(), r.getAttributes().get("content_id"), "record " + a.getKey());
        OperationLogRecord expected = SampleRecords.record(a.getValue());
        expected.getAttributes().put("content_id", a.getValue().toString());
        expected.setSequence(a.getKey());
        assertEquals(expected, r);
      }
    }
    System.out.printf(
        "crash test: %d acknowledged records survived 5 kills (%d torn tails cut, %d direct-write"
            + " paddings cut)%n",
        acked.size(), tornTails, paddings);
  }
}
