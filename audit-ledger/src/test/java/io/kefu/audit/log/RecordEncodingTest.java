package io.kefu.audit.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kefu.schemas.OperationLogRecord;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class RecordEncodingTest {

  /** Avro's own writer, given the attributes already sorted, is the reference. */
  private static byte[] avro(OperationLogRecord r) throws Exception {
    OperationLogRecord copy = OperationLogRecord.newBuilder(r).build();
    copy.setAttributes(new TreeMap<>(r.getAttributes()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(OperationLogRecord.class).write(copy, enc);
    enc.flush();
    return out.toByteArray();
  }

  @Test
  void canonicalBytesAreAvroBinaryWithSortedAttributes() throws Exception {
    for (long i = 0; i < 500; i++) {
      OperationLogRecord r = SampleRecords.record(i);
      r.setSequence(i * 1_000_003L);
      byte[] ours = RecordEncoding.encode(r);
      assertArrayEquals(avro(r), ours, "record " + i);
      assertEquals(r, RecordEncoding.decode(ours));
      assertEquals(r.getSequence(), RecordEncoding.sequence(ours, 0, ours.length));
    }
  }

  /**
   * Short strings are encoded in place and long ones by the JDK: both must give Avro's bytes, at
   * the boundary (21 chars of three UTF-8 bytes each is 63 bytes, the longest one-byte length) and
   * for every kind of char, including surrogate pairs and lone surrogates.
   */
  @Test
  void stringsOfEveryLengthAndKindMatchAvro() throws Exception {
    String[] pieces = {"a", "ü", "中", "😀", "\uD800", "\uDC00", "x\uD83D", "\u07FF", "\u0800"};
    for (int n = 0; n <= 70; n++) {
      for (String piece : pieces) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
          sb.append(piece);
        }
        String s = sb.substring(0, n);
        OperationLogRecord r = SampleRecords.record(5);
        r.setActor(s);
        r.setPurpose(s + "中");
        r.getAttributes().put(s, s);
        assertArrayEquals(avro(r), RecordEncoding.encode(r), "piece " + piece + " × " + n);
      }
    }
  }

  /** Small maps are sorted by insertion, large ones by Arrays.sort: both in Avro's key order. */
  @Test
  void mapsOfEverySizeAreSortedByKey() throws Exception {
    java.util.Random rnd = new java.util.Random(7);
    for (int size = 0; size <= 40; size++) {
      Map<String, String> shuffled = new LinkedHashMap<>();
      while (shuffled.size() < size) {
        String key = rnd.nextInt(3) == 0 ? "键" + rnd.nextInt(1000) : "k" + rnd.nextInt(1000);
        shuffled.put(key, "v" + shuffled.size());
      }
      OperationLogRecord r = SampleRecords.record(4);
      r.setAttributes(shuffled);
      assertArrayEquals(avro(r), RecordEncoding.encode(r), size + " attributes");
    }
  }

  @Test
  void attributeOrderDoesNotChangeTheBytes() {
    OperationLogRecord a = SampleRecords.record(3);
    Map<String, String> reversed = new LinkedHashMap<>();
    new TreeMap<>(a.getAttributes()).descendingMap().forEach(reversed::put);
    OperationLogRecord b = OperationLogRecord.newBuilder(a).setAttributes(reversed).build();
    assertArrayEquals(RecordEncoding.encode(a), RecordEncoding.encode(b));
  }

  @Test
  void nonCanonicalFormsAreRefused() throws Exception {
    OperationLogRecord r = SampleRecords.record(3);
    // Avro writes map entries in iteration order: unsorted keys read fine but are not canonical.
    Map<String, String> unsorted = new LinkedHashMap<>();
    unsorted.put("z", "1");
    unsorted.put("a", "2");
    OperationLogRecord u = OperationLogRecord.newBuilder(r).setAttributes(unsorted).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(OperationLogRecord.class).write(u, enc);
    enc.flush();
    assertThrows(InvalidLogRecordException.class, () -> RecordEncoding.decode(out.toByteArray()));

    byte[] good = RecordEncoding.encode(r);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThrows(InvalidLogRecordException.class, () -> RecordEncoding.decode(trailing));
    byte[] cut = Arrays.copyOf(good, good.length - 3);
    assertThrows(InvalidLogRecordException.class, () -> RecordEncoding.decode(cut));
    // A padded varint (0 written as 0x80 0x00) is valid Avro but not canonical.
    r.setSequence(0);
    byte[] zero = RecordEncoding.encode(r);
    byte[] padded = new byte[zero.length + 1];
    padded[0] = (byte) 0x80;
    padded[1] = 0;
    System.arraycopy(zero, 1, padded, 2, zero.length - 1);
    assertThrows(InvalidLogRecordException.class, () -> RecordEncoding.decode(padded));
  }
}
