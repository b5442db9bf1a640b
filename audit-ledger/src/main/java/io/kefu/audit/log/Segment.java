package io.kefu.audit.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The file's bytes: the first {@link #length} of this array (it may be a reused buffer). */
  public final byte[] bytes;

  public final int length;
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
      int length,
      boolean headerValid,
      long firstSeq,
      byte[] chainIn,
      List<Frame> frames,
      int brokenAt,
      String brokenReason) {
    this.file = file;
    this.bytes = bytes;
    this.length = length;
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

  /**
   * Reads {@code file} into {@code buffer} when it fits (a reader going through many segments
   * reuses a few buffers instead of allocating 64 MiB per segment), else into a new array. The
   * segment's {@link #bytes} is then the buffer; only its first {@link #length} bytes are the file.
   */
  public static Segment read(Path file, byte[] buffer) throws IOException {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 16) {
        throw new IOException(file + ": segment of " + size + " bytes is too large");
      }
      byte[] b = buffer != null && buffer.length >= size ? buffer : new byte[(int) size];
      java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b, 0, (int) size);
      while (bb.hasRemaining()) {
        if (ch.read(bb) < 0) {
          break; // truncated while reading: parse what is there
        }
      }
      return parse(file, b, bb.position());
    }
  }

  static Segment parse(Path file, byte[] b) {
    return parse(file, b, b.length);
  }

  private static Segment parse(Path file, byte[] b, int length) {
    if (length < LogFormat.HEADER_BYTES
        || !Arrays.equals(
            b, 0, LogFormat.MAGIC.length, LogFormat.MAGIC, 0, LogFormat.MAGIC.length)) {
      return new Segment(
          file, b, length, false, -1, null, List.of(), 0, "segment header is missing or damaged");
    }
    long firstSeq = LogFormat.u64(b, LogFormat.MAGIC.length);
    byte[] chainIn = Arrays.copyOfRange(b, LogFormat.MAGIC.length + 8, LogFormat.HEADER_BYTES);
    Frames frames = new Frames(length / 256);
    int pos = LogFormat.HEADER_BYTES;
    int brokenAt = -1;
    String reason = null;
    while (pos < length) {
      if (length - pos < LogFormat.MAX_PADDING && b[pos] == 0 && isZero(b, pos, length)) {
        break; // the padding of a direct write: the clean end
      }
      if (length - pos < 4) {
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
      if (end > length || end < 0) {
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
      frames.add(seq, pos, len);
      pos = end;
    }
    return new Segment(file, b, length, true, firstSeq, chainIn, frames, brokenAt, reason);
  }

  /** Whether {@code b[from, to)} holds only zero bytes. */
  static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The frames of a segment as three primitive arrays behind a {@link List} view: a 64 MiB segment
   * holds about 250,000 frames, and a list of objects made parsing (and its garbage) a quarter of
   * the verifier's time. {@link #get} builds the small record on demand.
   */
  private static final class Frames extends java.util.AbstractList<Frame>
      implements java.util.RandomAccess {
    private long[] seqs;
    private int[] starts;
    private int[] lengths;
    private int size;

    Frames(int capacity) {
      int c = Math.max(16, capacity);
      seqs = new long[c];
      starts = new int[c];
      lengths = new int[c];
    }

    void add(long seq, int start, int recordLength) {
      if (size == seqs.length) {
        int c = size * 2;
        seqs = Arrays.copyOf(seqs, c);
        starts = Arrays.copyOf(starts, c);
        lengths = Arrays.copyOf(lengths, c);
      }
      seqs[size] = seq;
      starts[size] = start;
      lengths[size] = recordLength;
      size++;
    }

    @Override
    public Frame get(int i) {
      java.util.Objects.checkIndex(i, size);
      int start = starts[i];
      int len = lengths[i];
      return new Frame(seqs[i], start, start + 4, len, start + 4 + len + LogFormat.HASH);
    }

    @Override
    public int size() {
      return size;
    }
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
