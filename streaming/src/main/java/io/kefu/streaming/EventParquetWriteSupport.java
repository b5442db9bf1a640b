package io.kefu.streaming;

import io.kefu.schemas.ConversationEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;

/**
 * Writes conversation events to Parquet exactly as parquet-avro's {@code AvroWriteSupport} does —
 * the same schema (converted from the Avro schema by parquet-avro itself), the same values, the
 * same {@code parquet.avro.schema} footer entry, so Spark, DuckDB and Avro readers see no
 * difference — but straight from the record's fields: the generic writer resolved every union and
 * looked up every enum symbol per value, a third of the lake's cost.
 */
final class EventParquetWriteSupport extends WriteSupport<ConversationEvent> {
  private static final Schema AVRO = ConversationEvent.getClassSchema();

  private final MessageType schema;
  private final FieldWriter[] fields;
  private RecordConsumer out;

  EventParquetWriteSupport(Configuration conf) {
    schema = new AvroSchemaConverter(conf).convert(AVRO);
    List<Schema.Field> avroFields = AVRO.getFields();
    fields = new FieldWriter[avroFields.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = writer(nonNull(avroFields.get(i).schema()), schema.getType(i));
    }
  }

  /** A Parquet writer for events, for Flink's {@code ParquetWriterFactory}. */
  static ParquetWriter<ConversationEvent> writer(OutputFile file, java.util.Set<String> plain)
      throws java.io.IOException {
    Builder builder = new Builder(file);
    for (String column : plain) {
      builder = builder.withDictionaryEncoding(column, false);
    }
    return builder.build();
  }

  @Override
  public String getName() {
    return "avro"; // the writer.model.name parquet-avro records
  }

  @Override
  public WriteContext init(Configuration configuration) {
    Map<String, String> meta = new HashMap<>();
    meta.put("parquet.avro.schema", AVRO.toString());
    return new WriteContext(schema, meta);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    out = recordConsumer;
  }

  @Override
  public void write(ConversationEvent e) {
    out.startMessage();
    for (int i = 0; i < fields.length; i++) {
      Object value = e.get(i);
      if (value != null) {
        String name = schema.getFieldName(i);
        out.startField(name, i);
        fields[i].write(out, value);
        out.endField(name, i);
      }
    }
    out.endMessage();
  }

  private interface FieldWriter {
    void write(RecordConsumer out, Object value);
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s;
    }
    for (Schema branch : s.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        return branch;
      }
    }
    throw new IllegalArgumentException("a union of nulls: " + s);
  }

  private static FieldWriter writer(Schema avro, org.apache.parquet.schema.Type parquet) {
    switch (avro.getType()) {
      case STRING:
        return (out, v) -> out.addBinary(Binary.fromString(v.toString()));
      case ENUM:
        {
          // one Binary per symbol, made once
          List<String> symbols = avro.getEnumSymbols();
          Map<String, Binary> bySymbol = new HashMap<>();
          for (String symbol : symbols) {
            bySymbol.put(symbol, Binary.fromConstantByteArray(symbol.getBytes(UTF_8)));
          }
          return (out, v) -> out.addBinary(bySymbol.get(((Enum<?>) v).name()));
        }
      case LONG:
        return (out, v) ->
            out.addLong(v instanceof Instant ? ((Instant) v).toEpochMilli() : (Long) v);
      case INT:
        return (out, v) -> out.addInteger((Integer) v);
      case DOUBLE:
        return (out, v) -> out.addDouble((Double) v);
      case MAP:
        return mapWriter(parquet.asGroupType());
      default:
        throw new IllegalArgumentException("no writer for " + avro);
    }
  }

  /** Avro maps of strings as parquet-avro lays them out: a repeated key/value group. */
  private static FieldWriter mapWriter(GroupType map) {
    GroupType entry = map.getType(0).asGroupType();
    String entries = map.getFieldName(0);
    String key = entry.getFieldName(0);
    String value = entry.getFieldName(1);
    return (out, v) -> {
      Map<?, ?> m = (Map<?, ?>) v;
      out.startGroup();
      if (!m.isEmpty()) {
        out.startField(entries, 0);
        for (Map.Entry<?, ?> kv : m.entrySet()) {
          out.startGroup();
          out.startField(key, 0);
          out.addBinary(Binary.fromString(kv.getKey().toString()));
          out.endField(key, 0);
          if (kv.getValue() != null) {
            out.startField(value, 1);
            out.addBinary(Binary.fromString(kv.getValue().toString()));
            out.endField(value, 1);
          }
          out.endGroup();
        }
        out.endField(entries, 0);
      }
      out.endGroup();
    };
  }

  private static final java.nio.charset.Charset UTF_8 = java.nio.charset.StandardCharsets.UTF_8;

  private static final class Builder extends ParquetWriter.Builder<ConversationEvent, Builder> {
    Builder(OutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<ConversationEvent> getWriteSupport(Configuration conf) {
      return new EventParquetWriteSupport(conf);
    }
  }
}
