package io.kefu.batch;

import static io.kefu.batch.Fixtures.SHANGHAI;
import static io.kefu.batch.Fixtures.at;
import static io.kefu.batch.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.schemas.Channel;
import io.kefu.schemas.ConversationEvent;
import io.kefu.schemas.Entry;
import io.kefu.schemas.EventType;
import io.kefu.schemas.HandoffReason;
import io.kefu.schemas.ResolverRole;
import io.kefu.schemas.Role;
import io.kefu.schemas.Tier;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventRowsTest {

  @TempDir Path tmp;

  /** Every field set at least once, every enum type, Chinese text, millisecond times. */
  static List<ConversationEvent> everyField() {
    String c = "c-1";
    return List.of(
        event(c, 0, EventType.CONVERSATION_STARTED, at(0, 9, 0).plusMillis(137))
            .setChannel(Channel.MINI_PROGRAM)
            .setQueue("billing")
            .setCustomerId("p-7f1c")
            .setVariant("new")
            .setEntry(Entry.BOT)
            .setAttributes(Map.of("campaign", "双十一", "x", ""))
            .build(),
        event(c, 1, EventType.MESSAGE, at(0, 9, 1))
            .setRole(Role.CUSTOMER)
            .setText("我的订单怎么还没到？")
            .setLanguage("zh")
            .setSentiment(-0.25)
            .setAnger(0.5)
            .build(),
        event(c, 2, EventType.HANDOFF_REQUESTED, at(0, 9, 2))
            .setQueue("billing")
            .setReason(HandoffReason.ANGER)
            .build(),
        event(c, 3, EventType.AGENT_ASSIGNED, at(0, 9, 3))
            .setAgentId("agent-7")
            .setTier(Tier.AGENT)
            .build(),
        event(c, 4, EventType.TRANSFERRED, at(0, 9, 4))
            .setTargetQueue("expert")
            .setTargetTier(Tier.EXPERT)
            .build(),
        event(c, 5, EventType.RESOLVED, at(0, 9, 5)).setResolverRole(ResolverRole.AGENT).build(),
        event(c, 6, EventType.SURVEY_SUBMITTED, at(1, 10, 0)).setCsat(5).setNps(9).build());
  }

  @Test
  void eventsWrittenAsTheLakeSinkDoesComeBackEqual() throws Exception {
    List<ConversationEvent> written = everyField();
    Path lake = TestLake.write(tmp.resolve("lake"), written, SHANGHAI);
    Lake opened =
        Lake.open(lake.toString(), TestSpark.session().sparkContext().hadoopConfiguration());
    Dataset<Row> rows = Lake.read(TestSpark.session(), opened.partitions(Fixtures.DAY, 1));

    assertEquals(
        DataTypes.TimestampType,
        rows.schema().apply("event_time").dataType(),
        "Avro timestamp-millis reads as a Spark TIMESTAMP");
    EventRows mapper = new EventRows(rows.schema());
    List<ConversationEvent> read = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      read.add(mapper.toEvent(r));
    }
    read.sort(Comparator.comparing(ConversationEvent::getEventId));
    assertEquals(written, read);
  }

  @Test
  void timestampsInEveryFormSparkMayReturn() {
    Instant t = Instant.parse("2026-03-02T01:02:03.456Z");
    assertEquals(t, EventRows.instant(Timestamp.from(t)));
    assertEquals(t, EventRows.instant(t));
    assertEquals(t, EventRows.instant(LocalDateTime.ofInstant(t, ZoneOffset.UTC)));
    assertEquals(t, EventRows.instant(t.toEpochMilli()));
    assertThrows(IllegalArgumentException.class, () -> EventRows.instant("2026-03-02"));
  }

  @Test
  void anOlderLakeWithoutOptionalColumnsMapsThemToNull() {
    StructType minimal =
        new StructType()
            .add("event_id", DataTypes.StringType)
            .add("conversation_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType)
            .add("tenant", DataTypes.StringType);
    Instant t = at(0, 8, 0);
    ConversationEvent e =
        new EventRows(minimal)
            .toEvent(RowFactory.create("e-1", "c-1", "CLOSED", Timestamp.from(t), "acme"));
    assertEquals(EventType.CLOSED, e.getEventType());
    assertEquals(t, e.getEventTime());
    assertNull(e.getChannel());
    assertTrue(e.getAttributes().isEmpty());
  }

  @Test
  void anUnknownEnumValueNamesTheEvent() {
    StructType schema =
        new StructType()
            .add("event_id", DataTypes.StringType)
            .add("conversation_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType)
            .add("tenant", DataTypes.StringType)
            .add("channel", DataTypes.StringType);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new EventRows(schema)
                    .toEvent(
                        RowFactory.create(
                            "e-9", "c-1", "MESSAGE", Timestamp.from(at(0, 8, 0)), "acme", "FAX")));
    assertTrue(e.getMessage().contains("e-9") && e.getMessage().contains("FAX"), e.getMessage());

    IllegalArgumentException noTenant =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new EventRows(schema)
                    .toEvent(
                        RowFactory.create(
                            "e-8", "c-1", "MESSAGE", Timestamp.from(at(0, 8, 0)), null, null)));
    assertTrue(noTenant.getMessage().contains("e-8: tenant is null"), noTenant.getMessage());
  }

  @Test
  void aLakeWithoutARequiredColumnIsRejectedWithTheColumns() {
    StructType schema = new StructType().add("event_id", DataTypes.StringType);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new EventRows(schema));
    assertTrue(e.getMessage().contains("conversation_id"), e.getMessage());
  }
}
