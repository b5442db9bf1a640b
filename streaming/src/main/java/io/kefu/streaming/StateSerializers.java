package io.kefu.streaming;

import io.kefu.core.conversation.ConversationTimeline;
import io.kefu.core.kpi.Fact;
import io.kefu.core.kpi.FactCodec;
import io.kefu.core.kpi.KpiWindows;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Dimension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializers for the core state objects, delegating to their own binary codecs so that
 * {@code core} stays free of Flink. {@code copy} is a deep copy through the codec: the heap state
 * backend uses it to keep snapshots consistent while the object keeps changing.
 */
final class StateSerializers {
  private StateSerializers() {}

  interface Codec<T> extends java.io.Serializable {
    void write(DataOutput out, T value) throws IOException;

    T read(DataInput in) throws IOException;
  }

  abstract static class CodecSerializer<T> extends TypeSerializer<T> {
    private final Codec<T> codec;

    CodecSerializer(Codec<T> codec) {
      this.codec = codec;
    }

    @Override
    public boolean isImmutableType() {
      return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
      return this; // stateless
    }

    @Override
    public T copy(T from) {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        codec.write(new DataOutputStream(bytes), from);
        return codec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public T copy(T from, T reuse) {
      return copy(from);
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
      codec.write(target, record);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
      return codec.read(source);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
      return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object obj) {
      return obj != null && obj.getClass() == getClass();
    }

    @Override
    public int hashCode() {
      return getClass().hashCode();
    }
  }

  static final class SessionSerializer extends CodecSerializer<SessionState> {
    static final SessionSerializer INSTANCE = new SessionSerializer();

    SessionSerializer() {
      super(
          new Codec<>() {
            @Override
            public void write(DataOutput out, SessionState value) throws IOException {
              out.writeLong(value.lastActivity);
              out.writeLong(value.factsTimer);
              out.writeLong(value.lifeTimer);
              value.timeline.writeTo(out);
            }

            @Override
            public SessionState read(DataInput in) throws IOException {
              SessionState s = new SessionState();
              s.lastActivity = in.readLong();
              s.factsTimer = in.readLong();
              s.lifeTimer = in.readLong();
              s.timeline = ConversationTimeline.readFrom(in);
              return s;
            }
          });
    }

    @Override
    public SessionState createInstance() {
      return new SessionState();
    }

    @Override
    public TypeSerializerSnapshot<SessionState> snapshotConfiguration() {
      return new SessionSnapshot();
    }
  }

  /** Snapshot of {@link SessionSerializer}; public with a no-argument constructor for restore. */
  public static final class SessionSnapshot extends SimpleTypeSerializerSnapshot<SessionState> {
    public SessionSnapshot() {
      super(() -> SessionSerializer.INSTANCE);
    }
  }

  static final class QaSerializer extends CodecSerializer<QaState> {
    static final QaSerializer INSTANCE = new QaSerializer();

    QaSerializer() {
      super(
          new Codec<>() {
            @Override
            public void write(DataOutput out, QaState value) throws IOException {
              out.writeLong(value.closedAt);
              out.writeLong(value.lastActivity);
              out.writeLong(value.inspectedUntil);
              out.writeLong(value.timer);
              out.writeInt(value.events.size());
              for (ConversationEvent e : value.events) {
                EventCodec.write(out, e);
              }
            }

            @Override
            public QaState read(DataInput in) throws IOException {
              QaState s = new QaState();
              s.closedAt = in.readLong();
              s.lastActivity = in.readLong();
              s.inspectedUntil = in.readLong();
              s.timer = in.readLong();
              int n = in.readInt();
              for (int i = 0; i < n; i++) {
                s.events.add(EventCodec.read(in));
              }
              return s;
            }
          });
    }

    @Override
    public QaState createInstance() {
      return new QaState();
    }

    @Override
    public TypeSerializerSnapshot<QaState> snapshotConfiguration() {
      return new QaSnapshot();
    }
  }

  /** Snapshot of {@link QaSerializer}; public with a no-argument constructor for restore. */
  public static final class QaSnapshot extends SimpleTypeSerializerSnapshot<QaState> {
    public QaSnapshot() {
      super(() -> QaSerializer.INSTANCE);
    }
  }

  static final class WindowsSerializer extends CodecSerializer<KpiWindows> {
    static final WindowsSerializer INSTANCE = new WindowsSerializer();

    WindowsSerializer() {
      super(
          new Codec<>() {
            @Override
            public void write(DataOutput out, KpiWindows value) throws IOException {
              value.writeTo(out);
            }

            @Override
            public KpiWindows read(DataInput in) throws IOException {
              return KpiWindows.readFrom(in);
            }
          });
    }

    @Override
    public KpiWindows createInstance() {
      return new KpiWindows();
    }

    @Override
    public TypeSerializerSnapshot<KpiWindows> snapshotConfiguration() {
      return new WindowsSnapshot();
    }
  }

  static final class FactSerializer extends CodecSerializer<Fact> {
    static final FactSerializer INSTANCE = new FactSerializer();

    FactSerializer() {
      super(
          new Codec<>() {
            @Override
            public void write(DataOutput out, Fact value) throws IOException {
              FactCodec.write(out, value);
            }

            @Override
            public Fact read(DataInput in) throws IOException {
              return FactCodec.read(in);
            }
          });
    }

    @Override
    public Fact createInstance() {
      return new Fact();
    }

    @Override
    public TypeSerializerSnapshot<Fact> snapshotConfiguration() {
      return new FactSnapshot();
    }
  }

  /** Snapshot of {@link FactSerializer}. */
  public static final class FactSnapshot extends SimpleTypeSerializerSnapshot<Fact> {
    public FactSnapshot() {
      super(() -> FactSerializer.INSTANCE);
    }
  }

  static final class KeyedPartialSerializer extends CodecSerializer<KeyedPartial> {
    static final KeyedPartialSerializer INSTANCE = new KeyedPartialSerializer();

    KeyedPartialSerializer() {
      super(
          new Codec<>() {
            @Override
            public void write(DataOutput out, KeyedPartial value) throws IOException {
              out.writeUTF(value.key);
              out.writeUTF(value.tenant);
              out.writeByte(value.dimension.ordinal());
              out.writeUTF(value.value);
              value.windows.writeTo(out);
            }

            @Override
            public KeyedPartial read(DataInput in) throws IOException {
              KeyedPartial p = new KeyedPartial();
              p.key = in.readUTF();
              p.tenant = in.readUTF();
              p.dimension = Dimension.values()[in.readByte()];
              p.value = in.readUTF();
              p.windows = KpiWindows.readFrom(in);
              return p;
            }
          });
    }

    @Override
    public KeyedPartial createInstance() {
      return new KeyedPartial();
    }

    @Override
    public TypeSerializerSnapshot<KeyedPartial> snapshotConfiguration() {
      return new KeyedPartialSnapshot();
    }
  }

  /** Snapshot of {@link KeyedPartialSerializer}. */
  public static final class KeyedPartialSnapshot
      extends SimpleTypeSerializerSnapshot<KeyedPartial> {
    public KeyedPartialSnapshot() {
      super(() -> KeyedPartialSerializer.INSTANCE);
    }
  }

  static final class EventSerializer extends CodecSerializer<ConversationEvent> {
    static final EventSerializer INSTANCE = new EventSerializer();

    EventSerializer() {
      super(
          new Codec<>() {
            @Override
            public void write(DataOutput out, ConversationEvent value) throws IOException {
              EventCodec.write(out, value);
            }

            @Override
            public ConversationEvent read(DataInput in) throws IOException {
              return EventCodec.read(in);
            }
          });
    }

    @Override
    public ConversationEvent createInstance() {
      return new ConversationEvent();
    }

    @Override
    public TypeSerializerSnapshot<ConversationEvent> snapshotConfiguration() {
      return new EventSnapshot();
    }
  }

  /** Snapshot of {@link EventSerializer}. */
  public static final class EventSnapshot extends SimpleTypeSerializerSnapshot<ConversationEvent> {
    public EventSnapshot() {
      super(() -> EventSerializer.INSTANCE);
    }
  }

  /**
   * What the sources hand on: a tag, then the event in {@link EventCodec}'s form or the dead
   * letter's fields. Several file sources meet in a union before validation, so every record
   * crosses this serializer; Flink's POJO serializer with Avro inside it cost a fifth of the
   * receiving task.
   */
  static final class EnvelopeSerializer extends CodecSerializer<Envelope> {
    static final EnvelopeSerializer INSTANCE = new EnvelopeSerializer();

    EnvelopeSerializer() {
      super(
          new Codec<>() {
            @Override
            public void write(DataOutput out, Envelope value) throws IOException {
              if (value.event != null) {
                out.writeByte(0);
                EventCodec.write(out, value.event);
                return;
              }
              DeadLetter d = value.dead;
              out.writeByte(1);
              writeNullable(out, d.origin);
              writeNullable(out, d.problem);
              writeNullable(out, d.field);
              writeNullable(out, d.message);
              writeNullable(out, d.raw);
              out.writeLong(d.rawBytes);
              out.writeLong(d.ingestTime);
            }

            @Override
            public Envelope read(DataInput in) throws IOException {
              if (in.readByte() == 0) {
                return Envelope.of(EventCodec.read(in));
              }
              DeadLetter d = new DeadLetter();
              d.origin = readNullable(in);
              d.problem = readNullable(in);
              d.field = readNullable(in);
              d.message = readNullable(in);
              d.raw = readNullable(in);
              d.rawBytes = in.readLong();
              d.ingestTime = in.readLong();
              return Envelope.of(d);
            }
          });
    }

    private static void writeNullable(DataOutput out, String s) throws IOException {
      out.writeBoolean(s != null);
      if (s != null) {
        EventCodec.writeLong(out, s);
      }
    }

    private static String readNullable(DataInput in) throws IOException {
      return in.readBoolean() ? EventCodec.readLong(in) : null;
    }

    @Override
    public Envelope createInstance() {
      return new Envelope();
    }

    @Override
    public TypeSerializerSnapshot<Envelope> snapshotConfiguration() {
      return new EnvelopeSnapshot();
    }
  }

  /** Snapshot of {@link EnvelopeSerializer}. */
  public static final class EnvelopeSnapshot extends SimpleTypeSerializerSnapshot<Envelope> {
    public EnvelopeSnapshot() {
      super(() -> EnvelopeSerializer.INSTANCE);
    }
  }

  /** Type information that hands Flink one of these serializers. */
  static final class Info<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;
    private final TypeSerializer<T> serializer;

    Info(Class<T> type, TypeSerializer<T> serializer) {
      this.type = type;
      this.serializer = serializer;
    }

    @Override
    public boolean isBasicType() {
      return false;
    }

    @Override
    public boolean isTupleType() {
      return false;
    }

    @Override
    public int getArity() {
      return 1;
    }

    @Override
    public int getTotalFields() {
      return 1;
    }

    @Override
    public Class<T> getTypeClass() {
      return type;
    }

    @Override
    public boolean isKeyType() {
      return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
      return serializer;
    }

    @Override
    public String toString() {
      return "kefu " + type.getSimpleName();
    }

    @Override
    public boolean equals(Object obj) {
      return obj instanceof Info && ((Info<?>) obj).type == type;
    }

    @Override
    public int hashCode() {
      return type.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
      return obj instanceof Info;
    }
  }

  static final TypeInformation<Fact> FACT = new Info<>(Fact.class, FactSerializer.INSTANCE);
  static final TypeInformation<Envelope> ENVELOPE =
      new Info<>(Envelope.class, EnvelopeSerializer.INSTANCE);
  static final TypeInformation<ConversationEvent> EVENT =
      new Info<>(ConversationEvent.class, EventSerializer.INSTANCE);
  static final TypeInformation<KeyedPartial> KEYED_PARTIAL =
      new Info<>(KeyedPartial.class, KeyedPartialSerializer.INSTANCE);

  /** Snapshot of {@link WindowsSerializer}. */
  public static final class WindowsSnapshot extends SimpleTypeSerializerSnapshot<KpiWindows> {
    public WindowsSnapshot() {
      super(() -> WindowsSerializer.INSTANCE);
    }
  }
}
