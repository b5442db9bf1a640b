package io.kefu.batch;

import static io.kefu.batch.Fixtures.DAY;
import static io.kefu.batch.Fixtures.SHANGHAI;
import static io.kefu.batch.Fixtures.at;
import static io.kefu.batch.Fixtures.closed;
import static io.kefu.batch.Fixtures.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.schemas.ConversationEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeTest {

  @TempDir Path tmp;

  Configuration hadoop() {
    return TestSpark.session().sparkContext().hadoopConfiguration();
  }

  @Test
  void inProgressAndHiddenFilesAreNeverRead() throws Exception {
    Path lake =
        TestLake.write(
            tmp.resolve("lake"),
            List.of(started("c-1", at(0, 9, 0)), closed("c-1", 1, at(0, 9, 5))),
            SHANGHAI);
    Path partition = lake.resolve("events/date=" + DAY + "/tenant=acme");
    // Flink's in-progress part file, and other writers' markers: not Parquet, would fail a read
    Files.writeString(partition.resolve(".part-x-1.parquet.inprogress.0b1c"), "not parquet");
    Files.writeString(partition.resolve("_temporary.parquet"), "not parquet");
    Files.writeString(partition.resolve("_SUCCESS"), "");

    Dataset<Row> events =
        Lake.read(TestSpark.session(), Lake.open(lake.toString(), hadoop()).partitions(DAY, 1));
    assertEquals(2, events.count());
  }

  @Test
  void theTenantColumnIsTheEventsOwnNotThePathSafePartitionValue() throws Exception {
    ConversationEvent e =
        ConversationEvent.newBuilder(started("c-1", at(0, 9, 0))).setTenant("acme corp").build();
    Path lake = TestLake.write(tmp.resolve("lake"), List.of(e), SHANGHAI);
    assertTrue(Files.isDirectory(lake.resolve("events/date=" + DAY + "/tenant=acme_corp")));

    Dataset<Row> events =
        Lake.read(TestSpark.session(), Lake.open(lake.toString(), hadoop()).partitions(DAY, 1));
    assertEquals("acme corp", events.select("tenant").first().getString(0));
    assertEquals(
        List.of("event_id", "conversation_id"),
        List.of(events.columns()).subList(0, 2),
        "only the lake's columns, no date/tenant partition columns");
    assertTrue(!List.of(events.columns()).contains("date"));
  }

  @Test
  void theNextDayIsOptionalTheDayItselfIsNot() throws Exception {
    Path lake = TestLake.write(tmp.resolve("lake"), List.of(started("c-1", at(0, 9, 0))), SHANGHAI);
    Lake opened = Lake.open(lake.toString(), hadoop());
    assertEquals(1, opened.partitions(DAY, 1).size());

    BadInputException missing =
        assertThrows(BadInputException.class, () -> opened.partitions(DAY.plusDays(3), 1));
    assertTrue(
        missing.getMessage().contains("date=" + DAY.plusDays(3))
            && missing.getMessage().contains("the lake has " + DAY + " .. " + DAY),
        missing.getMessage());

    Files.createDirectories(lake.resolve("events/date=" + DAY.minusDays(1) + "/tenant=acme"));
    Files.writeString(
        lake.resolve("events/date=" + DAY.minusDays(1) + "/tenant=acme/.part-0.inprogress"), "x");
    BadInputException empty =
        assertThrows(BadInputException.class, () -> opened.partitions(DAY.minusDays(1), 1));
    assertTrue(empty.getMessage().contains("no committed Parquet file"), empty.getMessage());
  }

  @Test
  void aMissingLakeNamesThePath() {
    Path nowhere = tmp.resolve("no-such-lake");
    BadInputException e =
        assertThrows(BadInputException.class, () -> Lake.open(nowhere.toString(), hadoop()));
    assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());

    BadInputException notALake =
        assertThrows(BadInputException.class, () -> Lake.open(tmp.toString(), hadoop()));
    assertTrue(notALake.getMessage().contains("/events/date=YYYY-MM-DD"), notALake.getMessage());
  }

  @Test
  void theEventsDirectoryItselfIsAcceptedAsTheLake() throws Exception {
    Path lake = TestLake.write(tmp.resolve("lake"), List.of(started("c-1", at(0, 9, 0))), SHANGHAI);
    Lake opened = Lake.open(lake.resolve("events").toString(), hadoop());
    assertEquals(List.of(DAY), List.copyOf(opened.dates()));
  }
}
