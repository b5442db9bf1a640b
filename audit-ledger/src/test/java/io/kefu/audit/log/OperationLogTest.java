package io.kefu.audit.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.audit.batch.BatchSealer;
import io.kefu.audit.batch.BatchSigner;
import io.kefu.audit.batch.BatchStore;
import io.kefu.audit.batch.SignedBatchHeader;
import io.kefu.audit.merkle.Merkle;
import io.kefu.schemas.OperationLogRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationLogTest {

  @TempDir Path dir;

  private static List<OperationLogRecord> records(long from, long to) {
    return LongStream.range(from, to).mapToObj(SampleRecords::record).toList();
  }

  /** Reads every frame of every segment back, checking the chain with a fresh digest. */
  static List<byte[]> readBackAndCheckChain(Path dir) throws Exception {
    List<byte[]> out = new ArrayList<>();
    byte[] chain = new byte[32];
    for (Path file : Segment.files(dir)) {
      Segment s = Segment.read(file);
      assertTrue(s.headerValid, file.toString());
      assertEquals(-1, s.brokenAt, file + ": " + s.brokenReason);
      assertArrayEquals(chain, s.chainIn, "chain_in of " + file);
      assertEquals(out.size(), s.firstSeq);
      for (Segment.Frame f : s.frames) {
        byte[] record = s.record(f);
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update((byte) 0);
        byte[] leaf = d.digest(record);
        d.update(chain);
        chain = d.digest(leaf);
        assertArrayEquals(
            chain, Arrays.copyOfRange(s.bytes, f.chainOffset(), f.end()), "chain " + f.seq());
        assertEquals(out.size(), f.seq());
        out.add(record);
      }
    }
    return out;
  }

  @Test
  void appendsAreNumberedChainedAndSurviveReopen() throws Exception {
    LogOptions opts = LogOptions.defaults().withSegmentBytes(16 * 1024);
    try (OperationLog log = OperationLog.open(dir, opts)) {
      assertEquals(0, log.append(SampleRecords.record(0)));
      assertEquals(1, log.appendAll(records(1, 400)));
      assertEquals(400, log.size());
    }
    try (OperationLog log = OperationLog.open(dir, opts)) {
      assertFalse(log.recovery().cutTornTail());
      assertEquals(400, log.appendAll(records(400, 1000)));
    }
    assertTrue(Segment.files(dir).size() > 5, "small segments roll");
    List<byte[]> back = readBackAndCheckChain(dir);
    assertEquals(1000, back.size());
    for (int i = 0; i < back.size(); i++) {
      OperationLogRecord expected = SampleRecords.record(i);
      expected.setSequence(i);
      assertEquals(expected, RecordEncoding.decode(back.get(i)));
    }
  }

  @Test
  void concurrentAppendersGetDistinctGapFreeSequences() throws Exception {
    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int base = t * 500;
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    CompletableFuture<Long> f = log.appendAsync(SampleRecords.record(base + i));
                    synchronized (futures) {
                      futures.add(f);
                    }
                  }
                });
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
      Set<Long> seqs = new HashSet<>();
      for (CompletableFuture<Long> f : futures) {
        seqs.add(f.join());
      }
      assertEquals(4000, seqs.size());
      assertEquals(0L, seqs.stream().mapToLong(Long::longValue).min().getAsLong());
      assertEquals(3999L, seqs.stream().mapToLong(Long::longValue).max().getAsLong());
    }
    assertEquals(4000, readBackAndCheckChain(dir).size());
  }

  @Test
  void aTornTailIsCutSavedAndReported() throws Exception {
    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      log.appendAll(records(0, 50));
    }
    Path seg = Segment.files(dir).get(0);
    long cleanSize = Files.size(seg);
    // Half of a frame, as if the process died in the middle of a write.
    byte[] next = RecordEncoding.encode(SampleRecords.record(50));
    byte[] partial = new byte[4 + next.length / 2];
    LogFormat.putU32(partial, 0, next.length);
    System.arraycopy(next, 0, partial, 4, next.length / 2);
    Files.write(seg, partial, StandardOpenOption.APPEND);

    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      Recovery r = log.recovery();
      assertTrue(r.cutTornTail());
      assertEquals(cleanSize, r.tornOffset());
      assertEquals(partial.length, r.tornBytes());
      assertArrayEquals(partial, Files.readAllBytes(r.savedTail()), "cut bytes are kept");
      assertTrue(r.describe().contains("torn tail cut"), r.describe());
      assertEquals(50, log.append(SampleRecords.record(50)));
    }
    assertEquals(51, readBackAndCheckChain(dir).size());
  }

  @Test
  void zeroPaddingAfterTheLastFrameIsCutWithoutATornTail() throws Exception {
    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      log.appendAll(records(0, 50));
    }
    Path seg = Segment.files(dir).get(0);
    long cleanSize = Files.size(seg);
    // What a crash leaves after a direct write: zeros up to the next block.
    Files.write(seg, new byte[4096 - (int) (cleanSize % 4096)], StandardOpenOption.APPEND);
    assertEquals(-1, Segment.read(seg).brokenAt, "padding is a clean end");

    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      Recovery r = log.recovery();
      assertFalse(r.cutTornTail(), r.describe());
      assertEquals(4096 - cleanSize % 4096, r.paddingBytes());
      assertTrue(r.describe().contains("zero padding cut"), r.describe());
      assertEquals(cleanSize, Files.size(seg));
      assertEquals(50, log.append(SampleRecords.record(50)));
    }
    assertEquals(51, readBackAndCheckChain(dir).size());
  }

  @Test
  void zerosBeyondAnyPaddingAreATornTail() throws Exception {
    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      log.appendAll(records(0, 50));
    }
    Path seg = Segment.files(dir).get(0);
    long cleanSize = Files.size(seg);
    Files.write(seg, new byte[LogFormat.MAX_PADDING], StandardOpenOption.APPEND);
    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      Recovery r = log.recovery();
      assertTrue(r.cutTornTail(), r.describe());
      assertEquals(cleanSize, r.tornOffset());
      assertEquals(LogFormat.MAX_PADDING, r.tornBytes());
      assertEquals(50, log.size());
    }
  }

  /**
   * While the log is open its last segment may end in padding, which readers take as the clean end;
   * closing and rolling cut it, so every closed segment ends with its last frame.
   */
  @Test
  void readersSeeWholeFramesWhileOpenAndClosedSegmentsEndWithTheirLastFrame() throws Exception {
    LogOptions opts = LogOptions.defaults().withSegmentBytes(16 * 1024);
    try (OperationLog log = OperationLog.open(dir, opts)) {
      log.appendAll(records(0, 333));
      assertEquals(333, readBackAndCheckChain(dir).size());
      log.append(SampleRecords.record(333));
      assertEquals(334, readBackAndCheckChain(dir).size());
    }
    for (Path file : Segment.files(dir)) {
      Segment s = Segment.read(file);
      int end =
          s.frames.isEmpty() ? LogFormat.HEADER_BYTES : s.frames.get(s.frames.size() - 1).end();
      assertEquals(end, Files.size(file), file.toString());
    }
  }

  @Test
  void aCompleteButCorruptLastFrameIsCutToo() throws Exception {
    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      log.appendAll(records(0, 20));
    }
    Path seg = Segment.files(dir).get(0);
    byte[] b = Files.readAllBytes(seg);
    b[b.length - 1] ^= 1; // the stored chain of the last record, half-written
    Files.write(seg, b);
    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      assertTrue(log.recovery().cutTornTail());
      assertEquals(19, log.size());
    }
  }

  @Test
  void damageThatABatchAlreadySealedIsRefusedNotCut() throws Exception {
    LogOptions opts =
        LogOptions.defaults().withBatches(new BatchSealer.Policy(10, Duration.ofHours(1)));
    try (OperationLog log = OperationLog.open(dir, opts)) {
      log.appendAll(records(0, 25));
    }
    Path seg = Segment.files(dir).get(0);
    byte[] b = Files.readAllBytes(seg);
    b[LogFormat.HEADER_BYTES + 10] ^= 0x20; // inside record 0, sealed in batch 0
    Files.write(seg, b);
    IOException e = assertThrows(IOException.class, () -> OperationLog.open(dir, opts));
    assertTrue(e.getMessage().contains("nothing was cut"), e.getMessage());
    assertArrayEquals(b, Files.readAllBytes(seg), "evidence untouched");
  }

  @Test
  void batchesCloseByCountAndOnRequestWithIndependentlyComputedRoots() throws Exception {
    LogOptions opts =
        LogOptions.defaults().withBatches(new BatchSealer.Policy(100, Duration.ofHours(1)));
    try (OperationLog log = OperationLog.open(dir, opts)) {
      log.appendAll(records(0, 130));
    }
    try (OperationLog log = OperationLog.open(dir, opts)) {
      log.appendAll(records(130, 250));
      List<SignedBatchHeader> closed = log.closeBatches();
      assertEquals(1, closed.size());
      assertEquals(50, closed.get(0).header().count());
    }
    List<byte[]> recs = readBackAndCheckChain(dir);
    List<SignedBatchHeader> batches = new BatchStore(dir).read().batches();
    assertEquals(3, batches.size());
    BatchSigner.Verifier v =
        BatchSigner.Verifier.load(dir.resolve("keys").resolve(BatchSigner.PUBLIC_FILE));
    byte[] prev = new byte[32];
    long first = 0;
    for (int b = 0; b < batches.size(); b++) {
      SignedBatchHeader s = batches.get(b);
      assertTrue(v.valid(s));
      assertEquals(b, s.header().batchId());
      assertEquals(first, s.header().firstSeq());
      assertArrayEquals(prev, s.header().prevHeaderHash());
      List<byte[]> leaves = new ArrayList<>();
      for (long i = s.header().firstSeq(); i <= s.header().lastSeq(); i++) {
        leaves.add(Merkle.leafHash(recs.get((int) i)));
      }
      assertArrayEquals(Merkle.root(leaves), s.header().root());
      prev = MessageDigest.getInstance("SHA-256").digest(s.header().canonicalBytes());
      first = s.header().lastSeq() + 1;
    }
    assertEquals(250, first);
  }

  @Test
  void aSecondWriterIsRefused() throws Exception {
    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      IOException e =
          assertThrows(IOException.class, () -> OperationLog.open(dir, LogOptions.defaults()));
      assertTrue(e.getMessage().contains("another process"), e.getMessage());
    }
  }

  @Test
  void anIncompleteRecordIsRefusedWithoutHarmingOthers() throws Exception {
    try (OperationLog log = OperationLog.open(dir, LogOptions.defaults())) {
      OperationLogRecord bad = SampleRecords.record(1);
      bad.setActor(null);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> log.append(bad));
      assertTrue(e.getMessage().contains("actor"), e.getMessage());
      assertEquals(0, log.append(SampleRecords.record(2)));
    }
  }

  /**
   * Groups in flight through the writer/syncer pipeline, rolling segments and closing batches in
   * the middle of groups: every future gets its group's first sequence, the chain and the batch
   * roots hold, and a reopened log carries on.
   */
  @Test
  void groupsInFlightAreDurableInOrder() throws Exception {
    LogOptions opts =
        LogOptions.defaults()
            .withSegmentBytes(20 * 1024)
            .withBatches(new BatchSealer.Policy(70, Duration.ofHours(1)));
    try (OperationLog log = OperationLog.open(dir, opts)) {
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (int g = 0; g < 30; g++) {
        futures.add(log.appendAllAsync(records(g * 45L, (g + 1) * 45L)));
      }
      for (int g = 0; g < 30; g++) {
        assertEquals(g * 45L, futures.get(g).join());
      }
      assertEquals(1350, log.size());
      List<SignedBatchHeader> closed = log.closeBatches();
      assertEquals(1, closed.size(), "19 full batches closed on the way, the rest on request");
      assertEquals(20, closed.get(0).header().count());
      assertEquals(20, new BatchStore(dir).read().batches().size());
    }
    try (OperationLog log = OperationLog.open(dir, opts)) {
      assertFalse(log.recovery().cutTornTail());
      assertEquals(1350, log.appendAllAsync(records(1350, 1400)).join());
    }
    List<byte[]> recs = readBackAndCheckChain(dir);
    assertEquals(1400, recs.size());
    List<SignedBatchHeader> batches = new BatchStore(dir).read().batches();
    long first = 0;
    for (SignedBatchHeader s : batches) {
      assertEquals(first, s.header().firstSeq());
      List<byte[]> leaves = new ArrayList<>();
      for (long i = s.header().firstSeq(); i <= s.header().lastSeq(); i++) {
        leaves.add(Merkle.leafHash(recs.get((int) i)));
      }
      assertArrayEquals(Merkle.root(leaves), s.header().root());
      first = s.header().lastSeq() + 1;
    }
    assertEquals(1350, first, "the open batch of the second session is not closed yet");
  }

  /** A record the writer cannot take fails the log; waiting callers and close() still return. */
  @Test
  void aFailedWriterFailsLaterAppendsAndStillCloses() throws Exception {
    OperationLog log = OperationLog.open(dir, LogOptions.defaults());
    assertEquals(0, log.appendAll(records(0, 10)));
    OperationLogRecord huge = SampleRecords.record(10);
    huge.getAttributes().put("blob", "x".repeat(LogFormat.MAX_RECORD_BYTES));
    CompletableFuture<Long> bad = log.appendAllAsync(List.of(huge));
    CompletableFuture<Long> after = log.appendAllAsync(records(11, 20));
    assertThrows(java.util.concurrent.CompletionException.class, bad::join);
    assertThrows(java.util.concurrent.CompletionException.class, after::join);
    assertThrows(IOException.class, () -> log.append(SampleRecords.record(21)));
    assertThrows(IOException.class, log::close);
    try (OperationLog again = OperationLog.open(dir, LogOptions.defaults())) {
      assertEquals(10, again.size());
    }
    assertEquals(10, readBackAndCheckChain(dir).size());
  }
}
