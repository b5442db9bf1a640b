package io.kefu.streaming;

import io.kefu.schemas.Alert;
import io.kefu.schemas.json.RecordJsonCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alerts to a Kafka topic for the systems that act on them (routing an angry customer to a human),
 * as JSON keyed by conversation. At-least-once: consumers de-duplicate on {@code alert_id}, which
 * is derived from the message and so the same on a replay.
 */
final class AlertSinks {
  private AlertSinks() {}

  static KafkaSink<Alert> kafka(String bootstrap, String topic) {
    return KafkaSink.<Alert>builder()
        .setBootstrapServers(bootstrap)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setRecordSerializer(new AlertJson(topic))
        .build();
  }

  /** One alert as one JSON record. */
  static final class AlertJson implements KafkaRecordSerializationSchema<Alert> {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private transient RecordJsonCodec<Alert> codec;

    AlertJson(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        Alert alert, KafkaSinkContext context, Long timestamp) {
      if (codec == null) {
        codec = RecordJsonCodec.of(Alert.class);
      }
      return new ProducerRecord<>(
          topic, alert.getConversationId().getBytes(StandardCharsets.UTF_8), codec.toBytes(alert));
    }
  }
}
