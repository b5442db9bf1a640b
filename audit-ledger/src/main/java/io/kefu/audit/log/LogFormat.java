package io.kefu.audit.log;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The on-disk layout of the operation log. A log directory holds segment files named by the
 * sequence of their first record ({@code 00000000000000000000.seg}, zero-padded to 20 digits), each
 *
 * <pre>
 * segment = header frame* padding?
 * header  = "KEFULOG1" (8 bytes) | first_seq (u64 big-endian) | chain_in (32 bytes)
 * frame   = length (u32 big-endian, 1 … 1 MiB) | record (length bytes, {@link RecordEncoding}) | chain (32 bytes)
 * padding = zero bytes, fewer than 64 KiB, up to the end of the file
 * leaf_i  = SHA-256(0x00 ‖ record_i)              — the RFC 9162 leaf hash, reused by the batches
 * chain_i = SHA-256(chain_{i-1} ‖ leaf_i)          — chain_{-1} = 32 zero bytes
 * </pre>
 *
 * {@code chain_in} of a segment is the chain value of the record before its first one, so each
 * segment can be checked on its own and the joins between segments are checked too. Records carry
 * their own sequence (the first field), which must run gap-free from 0.
 *
 * <p>Padding is what a direct write ({@code O_DIRECT}) leaves: it must end on a file-system block,
 * so the open segment is zero-filled to the next block after its last frame. A frame's length is at
 * least 1, so zeros up to the end of the file cannot be mistaken for frames. The writer cuts the
 * padding when it closes or rolls a segment, and recovery cuts it (without calling it a torn tail)
 * when a crash left it.
 */
public final class LogFormat {
  private LogFormat() {}

  public static final byte[] MAGIC = "KEFULOG1".getBytes(StandardCharsets.US_ASCII);
  public static final int HASH = 32;
  public static final int HEADER_BYTES = MAGIC.length + 8 + HASH;
  public static final int FRAME_OVERHEAD = 4 + HASH;
  public static final int MAX_RECORD_BYTES = 1 << 20;

  /** Zero padding after a segment's last frame is shorter than this. */
  public static final int MAX_PADDING = 64 << 10;

  public static final byte[] GENESIS = new byte[HASH];
  public static final String SEGMENT_SUFFIX = ".seg";
  public static final String BATCHES_FILE = "batches.jsonl";
  public static final String RECEIPTS_FILE = "anchors.jsonl";
  public static final String META_FILE = "log.json";
  public static final String TORN_DIR = "torn";

  public static String segmentName(long firstSeq) {
    return String.format("%020d%s", firstSeq, SEGMENT_SUFFIX);
  }

  /** The first sequence encoded in a segment's file name, or -1 when it is not a segment name. */
  public static long segmentFirstSeq(Path file) {
    String name = file.getFileName().toString();
    if (name.length() != 20 + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX)) {
      return -1;
    }
    for (int i = 0; i < 20; i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return -1;
      }
    }
    return Long.parseLong(name.substring(0, 20));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  /** Hashing with one reusable digest; not thread-safe, one per thread. */
  public static final class Hasher {
    private final MessageDigest d = sha256();

    public void leaf(byte[] buf, int off, int len, byte[] out) {
      d.update((byte) 0);
      d.update(buf, off, len);
      digestInto(out, 0);
    }

    /** SHA-256 of {@code in[off, off+len)} into {@code out} at {@code outOff}. */
    public void digest(byte[] in, int off, int len, byte[] out, int outOff) {
      d.update(in, off, len);
      digestInto(out, outOff);
    }

    public void chain(byte[] prev, byte[] leaf, byte[] out, int outOff) {
      d.update(prev, 0, HASH);
      d.update(leaf, 0, HASH);
      digestInto(out, outOff);
    }

    /**
     * {@link #leaf} and {@link #chain} of one record, each hash one digest update over a contiguous
     * input (the writer's hot path): {@code buf[prefixAt]} is 0x00 and the record's {@code len}
     * bytes follow it; {@code link} holds chain_{i-1} in its first half and ends as chain_i ‖
     * leaf_i.
     */
    public void leafAndChain(byte[] buf, int prefixAt, int len, byte[] link) {
      digest(buf, prefixAt, 1 + len, link, HASH); // leaf_i = SHA-256(0x00 ‖ record_i)
      digest(link, 0, 2 * HASH, link, 0); // chain_i = SHA-256(chain_{i-1} ‖ leaf_i)
    }

    private void digestInto(byte[] out, int off) {
      try {
        d.digest(out, off, HASH);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static long u64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  static void putU64(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static int u32(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  static void putU32(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
