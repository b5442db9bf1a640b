package io.kefu.audit.log;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The open segment file, written by the log's syncer thread. Where the file system allows it, the
 * file is opened for direct I/O ({@code O_DIRECT}): the frames go from the flush buffer to the disk
 * without being copied into the page cache, which was most of the syncer's CPU time (the copy, then
 * the writeback of the dirty pages at the fsync). Each group is still forced ({@link #force})
 * before it is acknowledged: that flushes the disk's write cache and the file size.
 *
 * <p>A direct write starts and ends on a block boundary. So each write begins with the file's last
 * partial block again (kept in {@link #tail}; rewriting its durable bytes with the same values
 * cannot tear them) and is padded with zeros to the next block. The padding is overwritten by the
 * next write and cut when the segment is closed; a crash can leave it behind, which {@link
 * LogFormat} allows after the last frame and recovery cuts.
 *
 * <p>Where the file system refuses {@code O_DIRECT} (tmpfs on older kernels, some network file
 * systems), or with the system property {@code kefu.audit.directIo=false}, writes go through the
 * page cache instead, and there is no padding.
 */
final class SegmentWriter implements AutoCloseable {

  private final FileChannel channel;

  /** The block size direct writes are aligned to; 1 for writes through the page cache. */
  private final int align;

  /** The bytes of the file's last partial block, {@code [size - size % align, size)}. */
  private final byte[] tail;

  private final byte[] zeros;

  /** The file's length without padding: the end of the last frame written. */
  private long size;

  /** False while a write is under way or after one failed: then close() leaves the file alone. */
  private boolean whole = true;

  private SegmentWriter(FileChannel channel, int align, long size, byte[] tail) {
    this.channel = channel;
    this.align = align;
    this.size = size;
    this.tail = tail;
    this.zeros = new byte[align];
  }

  /**
   * Opens {@code file} for appending after its first {@code size} bytes, for direct I/O with blocks
   * of {@code align} bytes when {@code align > 1} and the file system takes it, else through the
   * page cache.
   */
  static SegmentWriter open(Path file, long size, int align) throws IOException {
    if (align > 1) {
      byte[] tail = directTail(file, size, align);
      if (tail != null) {
        FileChannel ch =
            FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        return new SegmentWriter(ch, align, size, tail);
      }
    }
    return new SegmentWriter(FileChannel.open(file, StandardOpenOption.WRITE), 1, size, null);
  }

  /**
   * The partial block at the end of the file's first {@code size} bytes, read with direct I/O: a
   * probe that the file system takes direct I/O with this alignment. Null when it does not.
   */
  private static byte[] directTail(Path file, long size, int align) throws IOException {
    int partial = (int) (size % align);
    ByteBuffer block = ByteBuffer.allocateDirect(2 * align - 1).alignedSlice(align);
    try (FileChannel in =
        FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
      in.read(block, size - partial);
    } catch (UnsupportedOperationException | IOException e) {
      if (!Files.isRegularFile(file)) {
        throw e;
      }
      return null; // no direct I/O on this file system: through the page cache
    }
    if (block.position() < partial) {
      throw new IOException(file + " is shorter than " + size + " bytes");
    }
    byte[] tail = new byte[align];
    block.get(0, tail, 0, partial);
    return tail;
  }

  /**
   * The block size to align the frames of {@code file}'s log to: the file system's block size when
   * direct I/O is on and that size is a power of two, else 1 (writes through the page cache).
   */
  static int alignmentFor(Path file) {
    if (!Boolean.parseBoolean(System.getProperty("kefu.audit.directIo", "true"))) {
      return 1;
    }
    try {
      long block = Files.getFileStore(file).getBlockSize();
      return block > 1 && block <= (1 << 16) && Long.bitCount(block) == 1 ? (int) block : 1;
    } catch (IOException | UnsupportedOperationException e) {
      return 1;
    }
  }

  /** The block size writes are aligned to (1: through the page cache). */
  int alignment() {
    return align;
  }

  long size() {
    return size;
  }

  /**
   * Appends the frames in {@code buf[prefix, buf.position())}. The buffer must be aligned to {@link
   * #alignment()}, {@code prefix} must be {@code size() % alignment()} (those first bytes are
   * filled here with the partial block), and the buffer must have room for the padding after the
   * frames.
   */
  void write(ByteBuffer buf, int prefix) throws IOException {
    int end = buf.position();
    whole = false;
    if (align == 1) {
      buf.limit(end).position(prefix);
      while (buf.hasRemaining()) {
        channel.write(buf, size + buf.position() - prefix);
      }
    } else {
      if (prefix != size % align) {
        throw new IllegalStateException(
            "frames planned at block offset " + prefix + ", the segment is at " + size);
      }
      buf.put(0, tail, 0, prefix);
      int padded = (end + align - 1) & -align;
      buf.put(end, zeros, 0, padded - end);
      buf.limit(padded).position(0);
      long start = size - prefix;
      while (buf.hasRemaining()) {
        channel.write(buf, start + buf.position());
      }
      int partial = (int) ((size + end - prefix) % align);
      buf.get(end - partial, tail, 0, partial);
    }
    size += end - prefix;
    whole = true;
  }

  /** Forces the written frames and the file's size to the disk. */
  void force() throws IOException {
    channel.force(false);
  }

  /**
   * Cuts the padding, forces and closes. After a failed write the file is left as it is, for
   * recovery to look at.
   */
  @Override
  public void close() throws IOException {
    try {
      if (whole && align > 1 && channel.size() != size) {
        channel.truncate(size);
        channel.force(false);
      }
    } finally {
      channel.close();
    }
  }
}
