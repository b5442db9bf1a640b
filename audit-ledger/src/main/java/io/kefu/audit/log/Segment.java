package io.kefu.audit.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * One segment file read into memory and cut into frames. Parsing never throws on bad content: the
 * first place where the bytes stop being a frame is reported as {@link #brokenAt} with the reason,
 * and the frames before it are kept, so both recovery and the verifier can say exactly where a
 * segment goes wrong.
 */
public final class Segment {

  /** One frame: where its record and stored chain value are in {@link #bytes}. */
  public record Frame(long seq, int start, int recordOffset, int recordLength, int end) {
    public int chainOffset() {
      return recordOffset + recordLength;
    }
  }

  public final Path file;
  public final byte[] bytes;
  public final boolean headerValid;
  public final long firstSeq;
  public final byte[] chainIn;
  public final List<Frame> frames;

  /** Byte offset where parsing stopped for a reason other than the clean end, or -1. */
  public final int brokenAt;

  public final String brokenReason;

  private Segment(
      Path file,
      byte[] bytes,
      boolean headerValid,
      long firstSeq,
      byte[] chainIn,
      List<Frame> frames,
      int brokenAt,
      String brokenReason) {
    this.file = file;
    this.bytes = bytes;
    this.headerValid = headerValid;
    this.firstSeq = firstSeq;
    this.chainIn = chainIn;
    this.frames = frames;
    this.brokenAt = brokenAt;
    this.brokenReason = brokenReason;
  }

  public static Segment read(Path file) throws IOException {
    return parse(file, Files.readAllBytes(file));
  }

  static Segment parse(Path file, byte[] b) {
    if (b.length < LogFormat.HEADER_BYTES
        || !Arrays.equals(
            b, 0, LogFormat.MAGIC.length, LogFormat.MAGIC, 0, LogFormat.MAGIC.length)) {
      return new Segment(
          file, b, false, -1, null, List.of(), 0, "segment header is missing or damaged");
    }
    long firstSeq = LogFormat.u64(b, LogFormat.MAGIC.length);
    byte[] chainIn = Arrays.copyOfRange(b, LogFormat.MAGIC.length + 8, LogFormat.HEADER_BYTES);
    List<Frame> frames = new ArrayList<>();
    int pos = LogFormat.HEADER_BYTES;
    int brokenAt = -1;
    String reason = null;
    while (pos < b.length) {
      if (b.length - pos < 4) {
        brokenAt = pos;
        reason = "file ends inside a frame's length";
        break;
      }
      int len = LogFormat.u32(b, pos);
      if (len <= 0 || len > LogFormat.MAX_RECORD_BYTES) {
        brokenAt = pos;
        reason = "impossible record length " + Integer.toUnsignedString(len);
        break;
      }
      int end = pos + 4 + len + LogFormat.HASH;
      if (end > b.length || end < 0) {
        brokenAt = pos;
        reason = "file ends inside a frame";
        break;
      }
      long seq;
      try {
        seq = RecordEncoding.sequence(b, pos + 4, len);
      } catch (InvalidLogRecordException e) {
        brokenAt = pos;
        reason = e.getMessage();
        break;
      }
      frames.add(new Frame(seq, pos, pos + 4, len, end));
      pos = end;
    }
    return new Segment(file, b, true, firstSeq, chainIn, frames, brokenAt, reason);
  }

  public byte[] record(Frame f) {
    return Arrays.copyOfRange(bytes, f.recordOffset, f.recordOffset + f.recordLength);
  }

  /** Segment files of a log directory in sequence order. */
  public static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> LogFormat.segmentFirstSeq(p) >= 0).sorted().toList();
    }
  }
}
