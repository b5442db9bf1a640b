package io.kefu.audit.log;

import io.kefu.schemas.OperationLogRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * The canonical byte form of an operation-log record: Avro binary encoding of {@code
 * OperationLogRecord} (fields in schema order; longs and enum indexes as zig-zag varints; strings
 * as length + UTF-8; a union as branch index + value, null being branch 0) with one rule Avro
 * leaves open fixed: the {@code attributes} map is written as a single block with its entries
 * sorted by key (UTF-16 code unit order, as {@link String#compareTo}), or as the single byte 0 when
 * empty. One record has exactly one byte form, so the hash of a record is well defined.
 *
 * <p>Encoding is hand-written for speed (it runs for every append); decoding uses Avro's own reader
 * and then insists that re-encoding gives back the same bytes, so anything Avro would read but is
 * not canonical (padded varints, split map blocks, unsorted keys, trailing bytes) is refused.
 */
public final class RecordEncoding {
  private RecordEncoding() {}

  private static final ThreadLocal<SpecificDatumReader<OperationLogRecord>> READER =
      ThreadLocal.withInitial(() -> new SpecificDatumReader<>(OperationLogRecord.class));

  /** A growable byte buffer the encoder writes into; reuse one per thread to avoid garbage. */
  public static final class Sink {
    /** Strings up to this many chars are encoded in place (their UTF-8 length fits one byte). */
    private static final int SHORT_STRING = 21;

    byte[] buf = new byte[512];
    int len;

    @SuppressWarnings("unchecked")
    private Map.Entry<String, String>[] entries = new Map.Entry[8];

    public void reset() {
      len = 0;
    }

    public int length() {
      return len;
    }

    public byte[] array() {
      return buf;
    }

    public byte[] toByteArray() {
      return Arrays.copyOf(buf, len);
    }

    void ensure(int more) {
      if (len + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
      }
    }

    void varlong(long v) {
      ensure(10);
      long z = (v << 1) ^ (v >> 63);
      byte[] b = buf;
      int p = len;
      while ((z & ~0x7FL) != 0) {
        b[p++] = (byte) ((z & 0x7F) | 0x80);
        z >>>= 7;
      }
      b[p++] = (byte) z;
      len = p;
    }

    /**
     * Length-prefixed UTF-8: the bytes of {@code String.getBytes(UTF_8)}, as Avro writes them (a
     * lone surrogate becomes '?'). Long strings go through the JDK's encoder, which copies ASCII
     * with vector instructions; short ones are encoded in place, because allocating an array per
     * string costs more than the loop.
     */
    void string(String s) {
      int n = s.length();
      if (n > SHORT_STRING) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        varlong(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buf, len, utf8.length);
        len += utf8.length;
        return;
      }
      ensure(1 + 3 * n);
      byte[] b = buf;
      int p = len + 1; // at most 3 * 21 = 63 bytes: the length is one varint byte
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          b[p++] = (byte) c;
        } else if (c < 0x800) {
          b[p++] = (byte) (0xC0 | (c >> 6));
          b[p++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          b[p++] = (byte) (0xF0 | (cp >> 18));
          b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          b[p++] = (byte) (0x80 | (cp & 0x3F));
        } else if (Character.isSurrogate(c)) {
          b[p++] = '?';
        } else {
          b[p++] = (byte) (0xE0 | (c >> 12));
          b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          b[p++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      b[len] = (byte) ((p - len - 1) << 1); // zig-zag of a length below 64
      len = p;
    }

    /**
     * The map's entries sorted by key, in a reused array. Attribute maps hold a handful of entries,
     * so an insertion sort beats copying to a new array and calling {@link Arrays#sort}.
     */
    @SuppressWarnings("unchecked")
    Map.Entry<String, String>[] sortedEntries(Map<String, String> map) {
      int size = map.size();
      if (entries.length < size) {
        entries = new Map.Entry[Math.max(size, 2 * entries.length)];
      }
      Map.Entry<String, String>[] e = entries;
      int n = 0;
      for (Map.Entry<String, String> x : map.entrySet()) {
        e[n++] = x;
      }
      if (n > 16) {
        Arrays.sort(e, 0, n, Map.Entry.comparingByKey());
        return e;
      }
      for (int i = 1; i < n; i++) {
        Map.Entry<String, String> x = e[i];
        int j = i;
        for (; j > 0 && e[j - 1].getKey().compareTo(x.getKey()) > 0; j--) {
          e[j] = e[j - 1];
        }
        e[j] = x;
      }
      return e;
    }

    void optionalString(String s) {
      if (s == null) {
        varlong(0);
      } else {
        varlong(1);
        string(s);
      }
    }
  }

  /** Appends the canonical bytes of {@code r} to {@code out}. */
  public static void encode(OperationLogRecord r, Sink out) {
    out.varlong(r.getSequence());
    out.varlong(r.getTime().toEpochMilli());
    out.string(r.getActor());
    out.varlong(r.getActorRole().ordinal());
    out.varlong(r.getAction().ordinal());
    out.varlong(r.getResourceType().ordinal());
    out.string(r.getResourceId());
    out.optionalString(r.getCustomerPseudonym());
    out.optionalString(r.getPurpose());
    out.optionalString(r.getTicketRef());
    out.varlong(r.getOutcome().ordinal());
    out.optionalString(r.getClientAddress());
    Long count = r.getRecordCount();
    if (count == null) {
      out.varlong(0);
    } else {
      out.varlong(1);
      out.varlong(count);
    }
    Map<String, String> attributes = r.getAttributes();
    if (attributes != null && !attributes.isEmpty()) {
      out.varlong(attributes.size());
      Map.Entry<String, String>[] entries = out.sortedEntries(attributes);
      for (int i = 0; i < attributes.size(); i++) {
        out.string(entries[i].getKey());
        out.string(entries[i].getValue());
        entries[i] = null;
      }
    }
    out.varlong(0);
  }

  public static byte[] encode(OperationLogRecord r) {
    Sink sink = new Sink();
    encode(r, sink);
    return sink.toByteArray();
  }

  /** Decodes canonical bytes, refusing anything that is not exactly canonical. */
  public static OperationLogRecord decode(byte[] bytes) throws InvalidLogRecordException {
    OperationLogRecord r;
    try {
      BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, null);
      r = READER.get().read(null, in);
      if (!in.isEnd()) {
        throw new InvalidLogRecordException("trailing bytes after the record");
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidLogRecordException("not an operation-log record: " + e.getMessage());
    }
    if (!Arrays.equals(bytes, encode(r))) {
      throw new InvalidLogRecordException("record is not in canonical form");
    }
    return r;
  }

  /** The sequence number, the record's first field, without decoding the rest. */
  public static long sequence(byte[] buf, int offset, int length) throws InvalidLogRecordException {
    long z = 0;
    for (int shift = 0, i = 0; i < Math.min(length, 10); i++, shift += 7) {
      byte b = buf[offset + i];
      z |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (z >>> 1) ^ -(z & 1);
      }
    }
    throw new InvalidLogRecordException("no sequence number at the start of the record");
  }
}
