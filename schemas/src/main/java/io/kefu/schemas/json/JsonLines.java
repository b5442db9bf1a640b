package io.kefu.schemas.json;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads a JSON-lines stream line by line as raw bytes, without decoding, so that invalid UTF-8 is
 * reported by the parser instead of being silently replaced. Lines longer than the limit are
 * skipped to their end and reported as truncated, so a 10 MB line cannot exhaust memory. Blank
 * lines are skipped; a trailing {@code \r} is dropped.
 */
public final class JsonLines implements Closeable {

  private final InputStream in;
  private final int maxBytes;
  private final byte[] chunk = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] buf = new byte[4096];
  private int len;
  private long originalLength;
  private long lineNumber;
  private boolean eof;

  public JsonLines(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** Opens a file; names ending in {@code .gz} are decompressed. */
  public static JsonLines open(Path file, int maxBytes) throws IOException {
    InputStream raw = Files.newInputStream(file);
    InputStream in =
        file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    return new JsonLines(in, maxBytes);
  }

  /** Advances to the next non-blank line; false at the end of input. */
  public boolean next() throws IOException {
    while (!eof) {
      readLine();
      if (originalLength > 0 && !isBlank()) {
        return true;
      }
    }
    return false;
  }

  private void readLine() throws IOException {
    len = 0;
    originalLength = 0;
    while (true) {
      if (pos == limit) {
        limit = in.read(chunk, 0, chunk.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          eof = true;
          if (originalLength == 0) {
            return;
          }
          break;
        }
      }
      int start = pos;
      while (pos < limit && chunk[pos] != '\n') {
        pos++;
      }
      append(start, pos - start);
      if (pos < limit) {
        pos++; // the newline
        break;
      }
    }
    lineNumber++;
    if (len > 0 && buf[len - 1] == '\r' && originalLength == len) {
      len--;
      originalLength--;
    }
  }

  /** Keeps at most the limit plus one byte of a line; counts all of it. */
  private void append(int from, int n) {
    originalLength += n;
    int keep = Math.min(n, maxBytes + 1 - len);
    if (keep <= 0) {
      return;
    }
    if (len + keep > buf.length) {
      buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, len + keep), maxBytes + 1));
    }
    System.arraycopy(chunk, from, buf, len, keep);
    len += keep;
  }

  private boolean isBlank() {
    for (int i = 0; i < len; i++) {
      byte c = buf[i];
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return originalLength == len;
  }

  /** The current line's bytes, valid until the next call of {@link #next()}. */
  public byte[] bytes() {
    return buf;
  }

  /** Bytes of the current line held in {@link #bytes()}: at most the limit plus one. */
  public int length() {
    return len;
  }

  /** The current line's full length in bytes, even when it was longer than the limit. */
  public long originalLength() {
    return originalLength;
  }

  /** True when the current line was longer than the limit and only its start is held. */
  public boolean truncated() {
    return originalLength > maxBytes;
  }

  /** 1-based number of the current line in the input, counting blank lines. */
  public long lineNumber() {
    return lineNumber;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
