package io.kefu.streaming;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Kafka records (one JSON event per record value) as {@link Envelope}s. */
final class KafkaEnvelopes implements KafkaRecordDeserializationSchema<Envelope> {
  private static final long serialVersionUID = 1L;

  private final Parsing parsing;

  KafkaEnvelopes(Parsing parsing) {
    this.parsing = parsing;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Envelope> out) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    out.collect(
        parsing.parse(
            value,
            value.length,
            value.length,
            record.topic() + "/" + record.partition() + "/" + record.offset()));
  }

  @Override
  public TypeInformation<Envelope> getProducedType() {
    return StateSerializers.ENVELOPE;
  }
}
