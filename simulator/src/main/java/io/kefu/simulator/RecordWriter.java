package io.kefu.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import io.kefu.schemas.json.RecordJsonCodec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/** Writes records of one type to one file, as JSON lines (optionally gzipped) or Parquet. */
public interface RecordWriter<T extends SpecificRecordBase> extends AutoCloseable {

  void write(T record) throws IOException;

  @Override
  void close() throws IOException;

  /** File formats of the simulator's output. */
  enum Format {
    JSONL,
    PARQUET;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public String extension(boolean gzip) {
      return this == PARQUET ? ".parquet" : gzip ? ".jsonl.gz" : ".jsonl";
    }
  }

  static <T extends SpecificRecordBase> RecordWriter<T> open(
      Path file, Class<T> type, Format format) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (format == Format.PARQUET) {
      return parquet(file, type);
    }
    return jsonLines(file, RecordJsonCodec.flattened(type), file.toString().endsWith(".gz"));
  }

  static <T extends SpecificRecordBase> RecordWriter<T> jsonLines(
      Path file, RecordJsonCodec<T> codec, boolean gzip) throws IOException {
    OutputStream raw = Files.newOutputStream(file);
    OutputStream out =
        gzip ? new GZIPOutputStream(raw, 1 << 16) : new BufferedOutputStream(raw, 1 << 16);
    JsonGenerator gen = RecordJsonCodec.lineGenerator(out);
    return new RecordWriter<T>() {
      @Override
      public void write(T record) throws IOException {
        codec.writeLine(record, gen);
      }

      @Override
      public void close() throws IOException {
        gen.close();
      }
    };
  }

  /**
   * Parquet row groups of about 8 MB (Parquet's default is 128 MB): a reader splits a file at row
   * groups only, so a month's browsing file written as one row group was read by one task.
   */
  long PARQUET_ROW_GROUP_BYTES = 8L << 20;

  static <T extends SpecificRecordBase> RecordWriter<T> parquet(Path file, Class<T> type)
      throws IOException {
    SpecificData model = SpecificData.getForClass(type);
    ParquetWriter<T> writer =
        AvroParquetWriter.<T>builder(new LocalOutputFile(file))
            .withSchema(model.getSchema(type))
            .withDataModel(model)
            .withConf(new Configuration(false))
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupSize(PARQUET_ROW_GROUP_BYTES)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .build();
    return new RecordWriter<T>() {
      @Override
      public void write(T record) throws IOException {
        writer.write(record);
      }

      @Override
      public void close() throws IOException {
        writer.close();
      }
    };
  }
}
