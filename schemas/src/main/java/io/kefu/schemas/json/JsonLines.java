package io.kefu.schemas.json;

import java.io.BufferedInputStream;
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
  private byte[] buf = new byte[4096];
  private int len;
  private long originalLength;
  private long lineNumber;
  private boolean eof;

  public JsonLines(InputStream in, int maxBytes) {
    this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
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
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      originalLength++;
      if (len < maxBytes + 1) {
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, Math.min(buf.length * 2, maxBytes + 1));
        }
        buf[len++] = (byte) b;
      }
    }
    if (b == -1) {
      eof = true;
      if (originalLength == 0) {
        return;
      }
    }
    lineNumber++;
    if (len > 0 && buf[len - 1] == '\r' && originalLength == len) {
      len--;
      originalLength--;
    }
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
