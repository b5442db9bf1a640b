package io.kefu.core.sentiment;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The parameters of the scorer: the Chinese linear model (quantised hashed n-gram weights, dense
 * lexicon weights, bias, and the lexicon as phrase hashes) and the English VADER lexicon.
 *
 * <p>File layout: the 8 ASCII bytes {@code KEFUSENT}, a big-endian int format version, then a gzip
 * stream of: provenance (count, then UTF key/value pairs in key order), hash bits, weight scale,
 * bias, dense weights, 2^bits little-endian int16 weights, the Chinese polarity and modifier phrase
 * tables, and the VADER lexicon (count, then UTF word and float valence, in word order). Nothing in
 * it depends on the clock, so the same corpus and settings give the same bytes.
 */
final class SentimentModel {
  static final int FORMAT_VERSION = 2;
  private static final byte[] MAGIC = {'K', 'E', 'F', 'U', 'S', 'E', 'N', 'T'};

  final SortedMap<String, String> provenance;
  final int bits;
  final int shift;
  final short[] weights;
  final float weightScale;
  final float bias;
  final float[] dense;
  final PhraseTable zhWords;
  final PhraseTable zhModifiers;
  final String[] vaderWords;
  final float[] vaderValence;
  final LongFloatMap vader;

  SentimentModel(
      Map<String, String> provenance,
      int bits,
      short[] weights,
      float weightScale,
      float bias,
      float[] dense,
      PhraseTable zhWords,
      PhraseTable zhModifiers,
      String[] vaderWords,
      float[] vaderValence) {
    if (bits < 8 || bits > 26 || weights.length != 1 << bits) {
      throw new IllegalArgumentException(
          "weights length " + weights.length + " does not match hash bits " + bits);
    }
    if (dense.length != ChineseFeatures.DENSE || vaderWords.length != vaderValence.length) {
      throw new IllegalArgumentException(
          "dense weights " + dense.length + " != " + ChineseFeatures.DENSE);
    }
    this.provenance = Collections.unmodifiableSortedMap(new TreeMap<>(provenance));
    this.bits = bits;
    this.shift = 64 - bits;
    this.weights = weights;
    this.weightScale = weightScale;
    this.bias = bias;
    this.dense = dense;
    this.zhWords = zhWords;
    this.zhModifiers = zhModifiers;
    this.vaderWords = vaderWords;
    this.vaderValence = vaderValence;
    this.vader = LongFloatMap.of(vaderWords, vaderValence);
  }

  byte[] toBytes() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    bytes.write(MAGIC);
    new DataOutputStream(bytes).writeInt(FORMAT_VERSION);
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes, 1 << 16))) {
      out.writeInt(provenance.size());
      for (Map.Entry<String, String> e : provenance.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
      out.writeInt(bits);
      out.writeFloat(weightScale);
      out.writeFloat(bias);
      for (float d : dense) {
        out.writeFloat(d);
      }
      ByteBuffer buf = ByteBuffer.allocate(weights.length * 2).order(ByteOrder.LITTLE_ENDIAN);
      buf.asShortBuffer().put(weights);
      out.write(buf.array());
      zhWords.write(out);
      zhModifiers.write(out);
      out.writeInt(vaderWords.length);
      for (int i = 0; i < vaderWords.length; i++) {
        out.writeUTF(vaderWords[i]);
        out.writeFloat(vaderValence[i]);
      }
    }
    return bytes.toByteArray();
  }

  void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, toBytes());
  }

  static SentimentModel read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  static SentimentModel read(InputStream raw, String source) throws IOException {
    DataInputStream head = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
    byte[] magic = new byte[MAGIC.length];
    try {
      head.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException(source + ": not a kefu sentiment model (bad magic)");
      }
      int version = head.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(
            source + ": model format version " + version + ", expected " + FORMAT_VERSION);
      }
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(new GZIPInputStream(head, 1 << 16), 1 << 16));
      int n = in.readInt();
      if (n < 0 || n > 1000) {
        throw new IOException(source + ": provenance count " + n + " out of range");
      }
      TreeMap<String, String> provenance = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        provenance.put(in.readUTF(), in.readUTF());
      }
      int bits = in.readInt();
      if (bits < 8 || bits > 26) {
        throw new IOException(source + ": hash bits " + bits + " out of range [8, 26]");
      }
      float scale = in.readFloat();
      float bias = in.readFloat();
      float[] dense = new float[ChineseFeatures.DENSE];
      for (int i = 0; i < dense.length; i++) {
        dense[i] = in.readFloat();
      }
      byte[] raw16 = new byte[2 << bits];
      in.readFully(raw16);
      short[] weights = new short[1 << bits];
      ByteBuffer.wrap(raw16).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(weights);
      PhraseTable words = PhraseTable.read(in);
      PhraseTable modifiers = PhraseTable.read(in);
      int v = in.readInt();
      if (v < 0 || v > 1_000_000) {
        throw new IOException(source + ": VADER lexicon size " + v + " out of range");
      }
      String[] vw = new String[v];
      float[] vv = new float[v];
      for (int i = 0; i < v; i++) {
        vw[i] = in.readUTF();
        vv[i] = in.readFloat();
      }
      return new SentimentModel(
          provenance, bits, weights, scale, bias, dense, words, modifiers, vw, vv);
    } catch (java.io.EOFException e) {
      throw new IOException(source + ": truncated model file", e);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }
}
