package io.kefu.batch;

import io.kefu.schemas.ConversationEvent;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** In-memory lake Datasets: events as rows of the schema Spark reads from the lake's Parquet. */
public final class TestRows {
  private TestRows() {}

  public static final StructType LAKE =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("conversation_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("tenant", DataTypes.StringType)
          .add("channel", DataTypes.StringType)
          .add("queue", DataTypes.StringType)
          .add("customer_id", DataTypes.StringType)
          .add("variant", DataTypes.StringType)
          .add("entry", DataTypes.StringType)
          .add("role", DataTypes.StringType)
          .add("text", DataTypes.StringType)
          .add("language", DataTypes.StringType)
          .add("sentiment", DataTypes.DoubleType)
          .add("anger", DataTypes.DoubleType)
          .add("reason", DataTypes.StringType)
          .add("agent_id", DataTypes.StringType)
          .add("tier", DataTypes.StringType)
          .add("target_queue", DataTypes.StringType)
          .add("target_tier", DataTypes.StringType)
          .add("resolver_role", DataTypes.StringType)
          .add("csat", DataTypes.IntegerType)
          .add("nps", DataTypes.IntegerType)
          .add(
              "attributes",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true));

  public static Dataset<Row> dataset(SparkSession spark, Collection<ConversationEvent> events) {
    List<Row> rows = new ArrayList<>(events.size());
    for (ConversationEvent e : events) {
      rows.add(row(e));
    }
    return spark.createDataFrame(rows, LAKE);
  }

  public static Row row(ConversationEvent e) {
    return RowFactory.create(
        e.getEventId(),
        e.getConversationId(),
        e.getEventType().name(),
        Timestamp.from(e.getEventTime()),
        e.getTenant(),
        name(e.getChannel()),
        e.getQueue(),
        e.getCustomerId(),
        e.getVariant(),
        name(e.getEntry()),
        name(e.getRole()),
        e.getText(),
        e.getLanguage(),
        e.getSentiment(),
        e.getAnger(),
        name(e.getReason()),
        e.getAgentId(),
        name(e.getTier()),
        e.getTargetQueue(),
        name(e.getTargetTier()),
        name(e.getResolverRole()),
        e.getCsat(),
        e.getNps(),
        scala.jdk.javaapi.CollectionConverters.asScala(e.getAttributes()));
  }

  private static String name(Enum<?> e) {
    return e == null ? null : e.name();
  }
}
