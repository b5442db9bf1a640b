package io.kefu.audit.batch;

import io.kefu.audit.log.LogFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The closed batches of one log: {@code batches.jsonl} in the log directory, one signed header per
 * line in canonical JSON ({@link SignedBatchHeader#toJsonBytes()}), appended and fsynced when a
 * batch closes. Reading is strict — a line that is not exactly the canonical form of a valid signed
 * header is reported with its line number, never skipped.
 */
public final class BatchStore {

  /** A line that could not be read as a signed header. */
  public record BadLine(int line, String reason) {}

  /** Everything read from the file: the headers up to the first bad line, and that line. */
  public record Contents(List<SignedBatchHeader> batches, BadLine bad) {}

  private final Path file;

  public BatchStore(Path logDir) {
    this.file = logDir.resolve(LogFormat.BATCHES_FILE);
  }

  public Path file() {
    return file;
  }

  public Contents read() throws IOException {
    List<SignedBatchHeader> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return new Contents(out, null);
    }
    byte[] all = Files.readAllBytes(file);
    int line = 0;
    int start = 0;
    while (start < all.length) {
      line++;
      int nl = start;
      while (nl < all.length && all[nl] != '\n') {
        nl++;
      }
      if (nl == all.length) {
        return new Contents(out, new BadLine(line, "last line has no newline (torn write?)"));
      }
      byte[] bytes = Arrays.copyOfRange(all, start, nl);
      try {
        SignedBatchHeader s = SignedBatchHeader.fromJson(bytes);
        if (!Arrays.equals(bytes, s.toJsonBytes())) {
          return new Contents(out, new BadLine(line, "not in canonical form"));
        }
        out.add(s);
      } catch (IllegalArgumentException e) {
        return new Contents(out, new BadLine(line, e.getMessage()));
      }
      start = nl + 1;
    }
    return new Contents(out, null);
  }

  /** Appends one header and forces it to disk. */
  public void append(SignedBatchHeader s) throws IOException {
    byte[] json = s.toJsonBytes();
    ByteBuffer buf = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(false);
    }
  }
}
