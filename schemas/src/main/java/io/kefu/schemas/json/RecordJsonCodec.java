package io.kefu.schemas.json;

import static io.kefu.schemas.json.InvalidRecordException.Problem.INVALID_UTF8;
import static io.kefu.schemas.json.InvalidRecordException.Problem.INVALID_VALUE;
import static io.kefu.schemas.json.InvalidRecordException.Problem.MALFORMED_JSON;
import static io.kefu.schemas.json.InvalidRecordException.Problem.MISSING_FIELD;
import static io.kefu.schemas.json.InvalidRecordException.Problem.TOO_LARGE;
import static io.kefu.schemas.json.InvalidRecordException.Problem.UNKNOWN_ENUM;
import static io.kefu.schemas.json.InvalidRecordException.Problem.UNKNOWN_FIELD;
import static io.kefu.schemas.json.InvalidRecordException.Problem.WRONG_TYPE;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Reads and writes one Avro specific record as one JSON object with the schema's snake_case field
 * names: nullable unions are plain values or {@code null}, enums are their symbols, timestamps are
 * epoch milliseconds, dates are ISO-8601 strings, decimals are numbers. Null fields are left out
 * when writing.
 *
 * <p>Reading is strict and precise: malformed JSON, invalid UTF-8, duplicate keys, a wrong type, an
 * unknown enum symbol or a missing required field raise an {@link InvalidRecordException} naming
 * the field, what was expected and what was found. Unknown fields go to the record's {@code
 * attributes} map when the schema has one, and are an error otherwise.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RecordJsonCodec<T extends SpecificRecordBase> {

  /** Default longest accepted line; longer input is a {@code TOO_LARGE} error, never parsed. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  static final String ATTRIBUTES = "attributes";

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          // correctly rounded like Double.parseDouble, several times faster
          .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(DEFAULT_MAX_BYTES * 4)
                  .maxNestingDepth(64)
                  .build())
          .build();

  private final Schema schema;
  private final Supplier<T> factory;
  private final Map<String, FieldCodec> fieldsByName;
  private final FieldCodec[] fields;
  private final FieldCodec attributes;
  private final boolean flattenAttributes;
  private final int maxBytes;

  private RecordJsonCodec(
      Schema schema, Supplier<T> factory, boolean flattenAttributes, int maxBytes) {
    this.schema = schema;
    this.factory = factory;
    this.flattenAttributes = flattenAttributes;
    this.maxBytes = maxBytes;
    this.fields = new FieldCodec[schema.getFields().size()];
    this.fieldsByName = new HashMap<>();
    for (Schema.Field f : schema.getFields()) {
      FieldCodec codec = new FieldCodec(f);
      fields[f.pos()] = codec;
      fieldsByName.put(f.name(), codec);
    }
    FieldCodec attrs = fieldsByName.get(ATTRIBUTES);
    this.attributes = attrs != null && attrs.type.getType() == Schema.Type.MAP ? attrs : null;
  }

  /**
   * A codec for records of {@code type}, with unknown fields nested under {@code attributes} when
   * writing.
   */
  public static <T extends SpecificRecordBase> RecordJsonCodec<T> of(Class<T> type) {
    return new RecordJsonCodec<>(schemaOf(type), factoryOf(type), false, DEFAULT_MAX_BYTES);
  }

  /**
   * A codec that writes {@code attributes} entries back as top-level fields, so that a record read
   * from the wire is written in the shape it arrived in.
   */
  public static <T extends SpecificRecordBase> RecordJsonCodec<T> flattened(Class<T> type) {
    return new RecordJsonCodec<>(schemaOf(type), factoryOf(type), true, DEFAULT_MAX_BYTES);
  }

  /** The same codec with another longest accepted input, in bytes. */
  public RecordJsonCodec<T> withMaxBytes(int bytes) {
    return new RecordJsonCodec<>(schema, factory, flattenAttributes, bytes);
  }

  public Schema schema() {
    return schema;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** Parses one JSON object from UTF-8 bytes. */
  public T read(byte[] bytes) throws InvalidRecordException {
    return read(bytes, 0, bytes.length);
  }

  /** Parses one JSON object from {@code len} UTF-8 bytes at {@code off}. */
  public T read(byte[] bytes, int off, int len) throws InvalidRecordException {
    if (len > maxBytes) {
      throw new InvalidRecordException(
          TOO_LARGE, null, "at most " + maxBytes + " bytes", len + " bytes");
    }
    checkUtf8(bytes, off, len);
    try (JsonParser p = JSON.createParser(bytes, off, len)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new InvalidRecordException(MALFORMED_JSON, null, "a JSON object", "an empty line");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new InvalidRecordException(MALFORMED_JSON, null, "a JSON object", describe(p));
      }
      T record = readObject(p);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new InvalidRecordException(
            MALFORMED_JSON, null, "end of input after the object", describe(p));
      }
      return record;
    } catch (JsonEOFException e) {
      throw new InvalidRecordException(
          MALFORMED_JSON, null, "a complete JSON object", "end of input");
    } catch (StreamConstraintsException e) {
      throw new InvalidRecordException(TOO_LARGE, null, null, e.getOriginalMessage());
    } catch (JsonParseException e) {
      String msg = e.getOriginalMessage();
      if (msg != null && msg.startsWith("Duplicate field")) {
        throw new InvalidRecordException(MALFORMED_JSON, null, "unique field names", msg);
      }
      throw new InvalidRecordException(
          MALFORMED_JSON, null, null, msg + " at column " + e.getLocation().getColumnNr());
    } catch (CharConversionException e) {
      throw new InvalidRecordException(INVALID_UTF8, null, "UTF-8", e.getMessage());
    } catch (IOException e) {
      throw new InvalidRecordException(MALFORMED_JSON, null, null, e.getMessage());
    }
  }

  private T readObject(JsonParser p) throws IOException, InvalidRecordException {
    T record = factory.get();
    boolean[] seen = new boolean[fields.length];
    Map<String, String> extra = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      p.nextToken();
      FieldCodec field = fieldsByName.get(name);
      if (field != null) {
        if (seen[field.pos]) {
          throw duplicate(name);
        }
        seen[field.pos] = true;
        Object value = field.read(p);
        if (field == attributes && value != null) {
          if (extra == null) {
            extra = new LinkedHashMap<>();
          }
          @SuppressWarnings("unchecked")
          Map<String, String> given = (Map<String, String>) value;
          extra.putAll(given);
        } else {
          record.put(field.pos, value);
        }
      } else if (attributes != null) {
        if (extra == null) {
          extra = new LinkedHashMap<>();
        }
        if (extra.put(name, asText(p)) != null) {
          throw duplicate(name);
        }
      } else {
        throw new InvalidRecordException(UNKNOWN_FIELD, name, "one of " + fieldNames(), "it");
      }
    }
    for (FieldCodec f : fields) {
      if (f == attributes) {
        record.put(f.pos, extra != null ? extra : new HashMap<String, String>());
      } else if (!seen[f.pos]) {
        if (f.required) {
          throw new InvalidRecordException(MISSING_FIELD, f.name, f.expected, "nothing");
        }
        record.put(f.pos, f.defaultValue());
      }
    }
    return record;
  }

  /**
   * A repeated key is ambiguous (which value counts?), so it is an error. Checked here rather than
   * by Jackson's duplicate detection, which allocates a set for every object.
   */
  private static InvalidRecordException duplicate(String name) {
    return new InvalidRecordException(MALFORMED_JSON, name, "each field once", "it twice");
  }

  /** Writes the record as one JSON object (no trailing newline) to a generator. */
  public void write(T record, JsonGenerator gen) throws IOException {
    gen.writeStartObject();
    for (FieldCodec f : fields) {
      Object value = record.get(f.pos);
      if (value == null) {
        continue;
      }
      if (f == attributes) {
        @SuppressWarnings("unchecked")
        Map<String, String> map = (Map<String, String>) value;
        if (map.isEmpty()) {
          continue;
        }
        if (flattenAttributes) {
          for (Map.Entry<String, String> e : map.entrySet()) {
            // A key equal to a schema field cannot come from parsing; writing it would clash.
            if (!fieldsByName.containsKey(e.getKey())) {
              gen.writeStringField(e.getKey(), e.getValue());
            }
          }
          continue;
        }
      }
      gen.writeFieldName(f.jsonName);
      f.write(value, gen);
    }
    gen.writeEndObject();
  }

  /** The record as UTF-8 JSON bytes (no trailing newline). */
  public byte[] toBytes(T record) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator gen = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      write(record, gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The record as a JSON string. */
  public String toJson(T record) {
    return new String(toBytes(record), StandardCharsets.UTF_8);
  }

  /** Parses a JSON string. */
  public T fromJson(String json) throws InvalidRecordException {
    return read(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A generator that writes records one per line to {@code out}; call {@link #writeLine} for each.
   * The caller closes it.
   */
  public static JsonGenerator lineGenerator(OutputStream out) throws IOException {
    JsonGenerator gen = JSON.createGenerator(out, JsonEncoding.UTF8);
    gen.setRootValueSeparator(null);
    return gen;
  }

  /** Writes the record and a newline. */
  public void writeLine(T record, JsonGenerator gen) throws IOException {
    write(record, gen);
    gen.writeRaw('\n');
  }

  private List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    for (FieldCodec f : fields) {
      names.add(f.name);
    }
    return names;
  }

  // --- UTF-8 --------------------------------------------------------------------------------

  /**
   * Rejects invalid UTF-8 with the byte offset, before JSON parsing: Jackson reports some invalid
   * sequences only inside strings it decodes, and never says where.
   */
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  static void checkUtf8(byte[] bytes, int off, int len) throws InvalidRecordException {
    // Well-formed sequences per RFC 3629 / Unicode Table 3-7: no overlongs, no surrogates.
    int end = off + len;
    int i = off;
    while (i < end) {
      // Eight ASCII bytes at a time: all of a line but its non-Latin text.
      while (i + 8 <= end && ((long) LONGS.get(bytes, i) & 0x8080808080808080L) == 0) {
        i += 8;
      }
      if (i >= end) {
        break;
      }
      int c = bytes[i];
      if (c >= 0) {
        i++;
        continue;
      }
      c &= 0xff;
      int continuation;
      int low = 0x80;
      int high = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        continuation = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        continuation = 2;
        low = c == 0xE0 ? 0xA0 : 0x80;
        high = c == 0xED ? 0x9F : 0xBF;
      } else if (c >= 0xF0 && c <= 0xF4) {
        continuation = 3;
        low = c == 0xF0 ? 0x90 : 0x80;
        high = c == 0xF4 ? 0x8F : 0xBF;
      } else {
        throw invalidUtf8(i - off);
      }
      if (i + continuation >= end) {
        throw invalidUtf8(i - off);
      }
      int second = bytes[i + 1] & 0xff;
      if (second < low || second > high) {
        throw invalidUtf8(i - off);
      }
      for (int k = 2; k <= continuation; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          throw invalidUtf8(i - off);
        }
      }
      i += continuation + 1;
    }
  }

  private static InvalidRecordException invalidUtf8(int offset) {
    return new InvalidRecordException(
        INVALID_UTF8, null, "UTF-8 text", "an invalid byte sequence at byte " + (offset + 1));
  }

  // --- fields -------------------------------------------------------------------------------

  private static String asText(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t.isScalarValue()) {
      return t == JsonToken.VALUE_NULL ? "null" : p.getText();
    }
    // Nested value: keep its JSON text.
    ByteArrayBuilder out = new ByteArrayBuilder(64);
    try (JsonGenerator gen = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      gen.copyCurrentStructure(p);
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  static String describe(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      return "end of input";
    }
    switch (t) {
      case VALUE_STRING:
        return "string " + quote(p.getText());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "number " + abbreviate(p.getText());
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "boolean " + p.getText();
      case VALUE_NULL:
        return "null";
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      default:
        return abbreviate(p.getText());
    }
  }

  private static String quote(String s) {
    return '"' + abbreviate(s) + '"';
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "…";
  }

  /** How one schema field is read and written. */
  private static final class FieldCodec {
    final String name;
    final SerializedString jsonName; // pre-encoded: writing names is hot in the simulator
    final int pos;
    final Schema type; // the non-null branch
    final boolean nullable;
    final boolean required;
    final String expected;
    final Schema.Field field;
    final Map<String, Object> enumSymbols;
    final FieldCodec items; // for arrays and maps

    FieldCodec(Schema.Field f) {
      this(f.name(), f.pos(), f.schema(), f);
    }

    private FieldCodec(String name, int pos, Schema declared, Schema.Field field) {
      this.name = name;
      this.jsonName = new SerializedString(name);
      this.pos = pos;
      this.field = field;
      Schema t = declared;
      boolean isNullable = false;
      if (declared.getType() == Schema.Type.UNION) {
        List<Schema> branches = declared.getTypes();
        if (branches.size() != 2 || branches.get(0).getType() != Schema.Type.NULL) {
          throw new IllegalArgumentException(
              "field " + name + ": only [\"null\", T] unions are supported");
        }
        t = branches.get(1);
        isNullable = true;
      }
      this.type = t;
      this.nullable = isNullable;
      this.required = !isNullable && (field == null || !field.hasDefaultValue());
      this.expected = expectedOf(t);
      if (t.getType() == Schema.Type.ENUM) {
        Map<String, Object> symbols = new HashMap<>();
        for (String s : t.getEnumSymbols()) {
          symbols.put(s, SpecificData.get().createEnum(s, t));
        }
        this.enumSymbols = symbols;
      } else {
        this.enumSymbols = null;
      }
      if (t.getType() == Schema.Type.ARRAY) {
        this.items = new FieldCodec(name + "[]", -1, t.getElementType(), null);
      } else if (t.getType() == Schema.Type.MAP) {
        this.items = new FieldCodec(name + "{}", -1, t.getValueType(), null);
      } else {
        this.items = null;
      }
    }

    Object defaultValue() {
      if (nullable) {
        return null;
      }
      if (type.getType() == Schema.Type.MAP) {
        return new HashMap<String, String>();
      }
      if (type.getType() == Schema.Type.ARRAY) {
        return new ArrayList<>();
      }
      return SpecificData.get().getDefaultValue(field);
    }

    Object read(JsonParser p) throws IOException, InvalidRecordException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        if (nullable) {
          return null;
        }
        throw wrongType(p);
      }
      LogicalType logical = type.getLogicalType();
      switch (type.getType()) {
        case STRING:
          if (t != JsonToken.VALUE_STRING) {
            throw wrongType(p);
          }
          return p.getText();
        case BOOLEAN:
          if (t == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
          }
          if (t == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
          }
          throw wrongType(p);
        case INT:
          if (logical instanceof LogicalTypes.Date) {
            if (t != JsonToken.VALUE_STRING) {
              throw wrongType(p);
            }
            try {
              return LocalDate.parse(p.getText());
            } catch (DateTimeException e) {
              throw new InvalidRecordException(INVALID_VALUE, name, expected, describe(p));
            }
          }
          if (t != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(p);
          }
          if (p.getNumberType() != JsonParser.NumberType.INT) {
            throw new InvalidRecordException(INVALID_VALUE, name, "a 32-bit integer", describe(p));
          }
          return p.getIntValue();
        case LONG:
          if (t != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(p);
          }
          if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidRecordException(INVALID_VALUE, name, "a 64-bit integer", describe(p));
          }
          long v = p.getLongValue();
          return logical instanceof LogicalTypes.TimestampMillis ? Instant.ofEpochMilli(v) : v;
        case DOUBLE:
        case FLOAT:
          if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw wrongType(p);
          }
          double d = p.getDoubleValue();
          if (!Double.isFinite(d)) {
            throw new InvalidRecordException(INVALID_VALUE, name, "a finite number", describe(p));
          }
          return type.getType() == Schema.Type.FLOAT ? (Object) (float) d : (Object) d;
        case BYTES:
          if (logical instanceof LogicalTypes.Decimal) {
            return readDecimal(p, (LogicalTypes.Decimal) logical);
          }
          throw new IllegalStateException("field " + name + ": plain bytes are not supported");
        case ENUM:
          if (t != JsonToken.VALUE_STRING) {
            throw wrongType(p);
          }
          Object symbol = enumSymbols.get(p.getText());
          if (symbol == null) {
            throw new InvalidRecordException(
                UNKNOWN_ENUM, name, "one of " + type.getEnumSymbols(), describe(p));
          }
          return symbol;
        case ARRAY:
          if (t != JsonToken.START_ARRAY) {
            throw wrongType(p);
          }
          List<Object> list = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(items.read(p));
          }
          return list;
        case MAP:
          if (t != JsonToken.START_OBJECT) {
            throw wrongType(p);
          }
          Map<String, String> map = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            map.put(key, asText(p));
          }
          return map;
        default:
          throw new IllegalStateException("field " + name + ": unsupported type " + type);
      }
    }

    private Object readDecimal(JsonParser p, LogicalTypes.Decimal decimal)
        throws IOException, InvalidRecordException {
      JsonToken t = p.currentToken();
      BigDecimal value;
      try {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          value = p.getDecimalValue();
        } else if (t == JsonToken.VALUE_STRING) {
          value = new BigDecimal(p.getText());
        } else {
          throw wrongType(p);
        }
        value = value.setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new InvalidRecordException(INVALID_VALUE, name, expected, describe(p));
      }
      if (value.precision() > decimal.getPrecision()) {
        throw new InvalidRecordException(INVALID_VALUE, name, expected, describe(p));
      }
      return value;
    }

    private InvalidRecordException wrongType(JsonParser p) throws IOException {
      return new InvalidRecordException(WRONG_TYPE, name, expected, describe(p));
    }

    /**
     * Non-ASCII text (Chinese) is encoded by the JDK's intrinsic UTF-8 encoder, about twice as fast
     * as Jackson encoding it char by char; Jackson still escapes what JSON requires.
     */
    private static void writeText(String text, JsonGenerator gen) throws IOException {
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) >= 0x80) {
          byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
          gen.writeUTF8String(utf8, 0, utf8.length);
          return;
        }
      }
      gen.writeString(text);
    }

    void write(Object value, JsonGenerator gen) throws IOException {
      switch (type.getType()) {
        case STRING:
          writeText((String) value, gen);
          return;
        case BOOLEAN:
          gen.writeBoolean((Boolean) value);
          return;
        case INT:
          if (value instanceof LocalDate) {
            gen.writeString(value.toString());
          } else {
            gen.writeNumber((Integer) value);
          }
          return;
        case LONG:
          gen.writeNumber(
              value instanceof Instant ? ((Instant) value).toEpochMilli() : (Long) value);
          return;
        case DOUBLE:
          gen.writeNumber((Double) value);
          return;
        case FLOAT:
          gen.writeNumber((Float) value);
          return;
        case BYTES:
          gen.writeNumber((BigDecimal) value);
          return;
        case ENUM:
          gen.writeString(value.toString());
          return;
        case ARRAY:
          gen.writeStartArray();
          for (Object item : (List<?>) value) {
            items.write(item, gen);
          }
          gen.writeEndArray();
          return;
        case MAP:
          gen.writeStartObject();
          for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            gen.writeStringField(e.getKey().toString(), String.valueOf(e.getValue()));
          }
          gen.writeEndObject();
          return;
        default:
          throw new IllegalStateException("field " + name + ": unsupported type " + type);
      }
    }

    private static String expectedOf(Schema t) {
      LogicalType logical = t.getLogicalType();
      if (logical instanceof LogicalTypes.TimestampMillis) {
        return "integer (epoch milliseconds, UTC)";
      }
      if (logical instanceof LogicalTypes.Date) {
        return "string (ISO date yyyy-mm-dd)";
      }
      if (logical instanceof LogicalTypes.Decimal) {
        return "number with at most " + ((LogicalTypes.Decimal) logical).getScale() + " decimals";
      }
      switch (t.getType()) {
        case STRING:
          return "string";
        case INT:
        case LONG:
          return "integer";
        case DOUBLE:
        case FLOAT:
          return "number";
        case BOOLEAN:
          return "boolean";
        case ENUM:
          return "string, one of " + t.getEnumSymbols();
        case ARRAY:
          return "array";
        case MAP:
          return "object";
        default:
          return t.getType().getName();
      }
    }
  }

  // --- reflection-free construction ---------------------------------------------------------

  private static Schema schemaOf(Class<? extends SpecificRecordBase> type) {
    return SpecificData.get().getSchema(type);
  }

  private static <T extends SpecificRecordBase> Supplier<T> factoryOf(Class<T> type) {
    try {
      var ctor = type.getDeclaredConstructor();
      return () -> {
        try {
          return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot create " + type.getName(), e);
        }
      };
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(type.getName() + " has no no-argument constructor", e);
    }
  }

  @Override
  public String toString() {
    return "RecordJsonCodec[" + schema.getFullName() + "]";
  }
}
