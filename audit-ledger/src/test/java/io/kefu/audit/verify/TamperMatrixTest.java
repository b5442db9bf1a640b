package io.kefu.audit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.audit.anchor.Anchoring;
import io.kefu.audit.anchor.EmbeddedLedger;
import io.kefu.audit.batch.BatchHeader;
import io.kefu.audit.batch.BatchSealer;
import io.kefu.audit.batch.BatchSigner;
import io.kefu.audit.batch.CanonicalJson;
import io.kefu.audit.batch.SignedBatchHeader;
import io.kefu.audit.log.LogFormat;
import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.OperationLog;
import io.kefu.audit.log.RecordEncoding;
import io.kefu.audit.log.SampleRecords;
import io.kefu.audit.log.Segment;
import io.kefu.schemas.OperationLogRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of tampering on a 10,000-record log in 10 anchored batches is detected, classified and
 * located at the right first bad record; so is each of 1,500 random single-byte mutations of the
 * log's and the ledger's files.
 */
class TamperMatrixTest {

  static final int RECORDS = 10_000;
  static final int BATCH = 1_000;

  @TempDir static Path pristine;
  @TempDir Path work;

  @BeforeAll
  static void buildAnchoredLog() throws Exception {
    Path log = pristine.resolve("log");
    LogOptions opts =
        LogOptions.defaults()
            .withSegmentBytes(256 * 1024)
            .withBatches(new BatchSealer.Policy(BATCH, Duration.ofHours(1)));
    try (OperationLog l = OperationLog.open(log, opts)) {
      l.appendAll(LongStream.range(0, RECORDS).mapToObj(SampleRecords::record).toList());
      l.closeBatches();
    }
    try (EmbeddedLedger ledger = EmbeddedLedger.open(pristine.resolve("ledger"))) {
      Anchoring.anchorAll(log, ledger, null);
    }
  }

  private Path log() {
    return work.resolve("log");
  }

  private Path ledgerDir() {
    return work.resolve("ledger");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted().toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  private VerificationReport verify() throws Exception {
    try (EmbeddedLedger ledger = EmbeddedLedger.open(ledgerDir())) {
      BatchSigner.Verifier key =
          BatchSigner.Verifier.load(pristine.resolve("log/keys/" + BatchSigner.PUBLIC_FILE));
      return LogVerifier.verify(log(), ledger, key, null);
    }
  }

  private void assertFirst(Tampering kind, long seq) throws Exception {
    VerificationReport r = verify();
    assertFalse(r.intact(), "tampering went unnoticed");
    assertEquals(seq, r.firstProblem().firstBadSeq(), r.summary());
    assertEquals(kind, r.firstProblem().kind(), r.summary());
  }

  /** The segment file holding record {@code seq} and that record's frame. */
  private record Located(Path file, byte[] bytes, Segment.Frame frame) {}

  private Located locate(long seq) throws IOException {
    for (Path f : Segment.files(log())) {
      Segment s = Segment.read(f);
      for (Segment.Frame fr : s.frames) {
        if (fr.seq() == seq) {
          return new Located(f, s.bytes, fr);
        }
      }
    }
    throw new AssertionError("no record " + seq);
  }

  private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, from);
    out.writeBytes(insert);
    out.write(b, to, b.length - to);
    return out.toByteArray();
  }

  @Test
  void thePristineLogIsIntact() throws Exception {
    copyTree(pristine, work);
    VerificationReport r = verify();
    assertTrue(r.intact(), r.summary());
    assertEquals(RECORDS, r.records());
    assertEquals(10, r.batches());
    assertEquals(10, r.anchoredBatches());
    assertEquals(RECORDS, r.anchoredRecords());
  }

  @Test
  void modifiedRecord() throws Exception {
    copyTree(pristine, work);
    Located l = locate(4321);
    byte[] b = l.bytes().clone();
    b[l.frame().recordOffset() + l.frame().recordLength() - 5] ^= 0x01;
    Files.write(l.file(), b);
    assertFirst(Tampering.MODIFIED, 4321);
  }

  @Test
  void deletedRecord() throws Exception {
    copyTree(pristine, work);
    Located l = locate(4321);
    Files.write(l.file(), splice(l.bytes(), l.frame().start(), l.frame().end(), new byte[0]));
    assertFirst(Tampering.DELETED, 4321);
  }

  @Test
  void insertedRecord() throws Exception {
    copyTree(pristine, work);
    Located l = locate(4321);
    OperationLogRecord forged = SampleRecords.record(77);
    forged.setSequence(4321);
    forged.setActor("nobody");
    byte[] rec = RecordEncoding.encode(forged);
    byte[] frame = new byte[4 + rec.length + 32];
    frame[0] = (byte) (rec.length >>> 24);
    frame[1] = (byte) (rec.length >>> 16);
    frame[2] = (byte) (rec.length >>> 8);
    frame[3] = (byte) rec.length;
    System.arraycopy(rec, 0, frame, 4, rec.length);
    Files.write(l.file(), splice(l.bytes(), l.frame().start(), l.frame().start(), frame));
    assertFirst(Tampering.INSERTED, 4321);
  }

  @Test
  void reorderedRecords() throws Exception {
    copyTree(pristine, work);
    Located a = locate(4321);
    Located b = locate(4322);
    assertEquals(a.file(), b.file());
    byte[] fa = Arrays.copyOfRange(a.bytes(), a.frame().start(), a.frame().end());
    byte[] fb = Arrays.copyOfRange(a.bytes(), b.frame().start(), b.frame().end());
    byte[] both = new byte[fa.length + fb.length];
    System.arraycopy(fb, 0, both, 0, fb.length);
    System.arraycopy(fa, 0, both, fb.length, fa.length);
    Files.write(a.file(), splice(a.bytes(), a.frame().start(), b.frame().end(), both));
    assertFirst(Tampering.REORDERED, 4321);
  }

  @Test
  void truncatedLog() throws Exception {
    copyTree(pristine, work);
    Located l = locate(9000);
    Files.write(l.file(), Arrays.copyOf(l.bytes(), l.frame().start()));
    List<Path> files = Segment.files(log());
    for (Path f : files.subList(files.indexOf(l.file()) + 1, files.size())) {
      Files.delete(f);
    }
    assertFirst(Tampering.TRUNCATED, 9000);
  }

  @Test
  void truncatedBatchList() throws Exception {
    copyTree(pristine, work);
    Path batches = log().resolve(LogFormat.BATCHES_FILE);
    List<String> lines = Files.readAllLines(batches, StandardCharsets.UTF_8);
    Files.write(
        batches, (String.join("\n", lines.subList(0, 7)) + "\n").getBytes(StandardCharsets.UTF_8));
    assertFirst(Tampering.TRUNCATED, 7000);
  }

  @Test
  void deletedBatchHeader() throws Exception {
    copyTree(pristine, work);
    Path batches = log().resolve(LogFormat.BATCHES_FILE);
    List<String> lines = new ArrayList<>(Files.readAllLines(batches, StandardCharsets.UTF_8));
    lines.remove(4);
    Files.write(batches, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    assertFirst(Tampering.DELETED, 4000);
  }

  /** A forger rewrites batch 3's anchor (with another key) and re-links every later entry. */
  @Test
  void forgedAnchor() throws Exception {
    copyTree(pristine, work);
    Path file = ledgerDir().resolve(EmbeddedLedger.FILE);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    BatchSigner otherKey = BatchSigner.loadOrCreate(work.resolve("forger-keys"));
    List<SignedBatchHeader> forged = new ArrayList<>();
    byte[] prev = BatchHeader.NO_PREVIOUS;
    for (String line : lines) {
      SignedBatchHeader s =
          SignedBatchHeader.fromJson(
              CanonicalJson.parse(line.getBytes(StandardCharsets.UTF_8)).get("batch"));
      BatchHeader h = s.header();
      byte[] root = h.root();
      if (h.batchId() == 3) {
        root[0] ^= 1;
      }
      BatchHeader nh =
          new BatchHeader(
              h.version(),
              h.logId(),
              h.batchId(),
              h.firstSeq(),
              h.lastSeq(),
              h.count(),
              root,
              prev,
              h.closedAt(),
              otherKey.keyId());
      SignedBatchHeader ns = h.batchId() < 3 ? s : otherKey.signed(nh);
      forged.add(ns);
      prev = ns.headerHash();
    }
    Files.delete(file);
    try (EmbeddedLedger l = EmbeddedLedger.open(ledgerDir())) {
      for (SignedBatchHeader s : forged) {
        l.anchor(s);
      }
    }
    assertFirst(Tampering.FORGED_ANCHOR, 3000);
  }

  /** An insider with the signing key changes a record and re-seals everything: the anchor tells. */
  @Test
  void resealedLogIsCaughtByTheAnchor() throws Exception {
    copyTree(pristine, work);
    Path log = log();
    Path rewritten = work.resolve("rewritten");
    Files.createDirectories(rewritten.resolve("keys"));
    Files.copy(
        log.resolve("keys/" + BatchSigner.PRIVATE_FILE),
        rewritten.resolve("keys/" + BatchSigner.PRIVATE_FILE));
    Files.copy(
        log.resolve("keys/" + BatchSigner.PUBLIC_FILE),
        rewritten.resolve("keys/" + BatchSigner.PUBLIC_FILE));
    LogOptions opts =
        LogOptions.defaults()
            .withSegmentBytes(256 * 1024)
            .withBatches(new BatchSealer.Policy(BATCH, Duration.ofHours(1)));
    try (OperationLog l = OperationLog.open(rewritten, opts)) {
      List<OperationLogRecord> records = new ArrayList<>();
      for (long i = 0; i < RECORDS; i++) {
        OperationLogRecord r = SampleRecords.record(i);
        if (i == 5555) {
          r.setPurpose("changed afterwards");
        }
        records.add(r);
      }
      l.appendAll(records);
      l.closeBatches();
    }
    try (Stream<Path> s = Files.walk(log)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.move(rewritten, log);
    VerificationReport r = verify();
    assertFalse(r.intact());
    assertEquals(Tampering.RESEALED, r.firstProblem().kind(), r.summary());
    Problem changed =
        r.problems().stream().filter(p -> p.kind() == Tampering.MODIFIED).findFirst().orElseThrow();
    assertEquals(5000, changed.firstBadSeq(), r.summary());
  }

  @Test
  void randomByteMutationsAreAllDetectedAtTheRightRecord() throws Exception {
    copyTree(pristine, work);
    List<Path> segments = Segment.files(log());
    List<Segment> parsed = new ArrayList<>();
    for (Path p : segments) {
      parsed.add(Segment.read(p));
    }
    Path batches = log().resolve(LogFormat.BATCHES_FILE);
    Path anchors = ledgerDir().resolve(EmbeddedLedger.FILE);
    SplittableRandom rnd = new SplittableRandom(20261127);
    int mutations = 1_500;
    for (int m = 0; m < mutations; m++) {
      int pick = rnd.nextInt(10);
      Path file;
      long expected;
      byte[] original;
      int offset;
      if (pick < 6) {
        int s = rnd.nextInt(segments.size());
        file = segments.get(s);
        original = parsed.get(s).bytes;
        offset = rnd.nextInt(original.length);
        expected = parsed.get(s).firstSeq;
        for (Segment.Frame f : parsed.get(s).frames) {
          if (offset >= f.start() && offset < f.end()) {
            expected = f.seq();
          }
        }
      } else {
        file = pick < 8 ? batches : anchors;
        original = Files.readAllBytes(file);
        offset = rnd.nextInt(original.length);
        int line = 0;
        for (int i = 0; i < offset; i++) {
          if (original[i] == '\n') {
            line++;
          }
        }
        expected = (long) line * BATCH;
      }
      byte[] mutated = original.clone();
      mutated[offset] ^= (byte) (1 + rnd.nextInt(255));
      Files.write(file, mutated);
      try {
        VerificationReport r = verify();
        String what = file.getFileName() + " byte " + offset + ": ";
        assertFalse(r.intact(), what + "mutation went unnoticed");
        assertEquals(expected, r.firstProblem().firstBadSeq(), what + r.summary());
      } finally {
        Files.write(file, original);
      }
    }
    assertTrue(verify().intact());
  }
}
