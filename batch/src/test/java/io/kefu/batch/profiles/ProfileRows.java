package io.kefu.batch.profiles;

import io.kefu.batch.Fixtures;
import io.kefu.batch.TestSpark;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Tiny in-memory inputs of the profiles job in its own column layouts ({@link Inputs#LAKE}, {@link
 * Inputs#ORDERS}, {@link Inputs#BROWSING}); times are {@code hh:mm} on a day relative to {@link
 * Fixtures#DAY} in Shanghai, the snapshot date of the tests.
 */
final class ProfileRows {
  private ProfileRows() {}

  static final ProfileJob.AsOf AS_OF = new ProfileJob.AsOf(Fixtures.DAY, Fixtures.SHANGHAI);

  static Timestamp t(int dayOffset, int hour) {
    return Timestamp.from(Fixtures.at(dayOffset, hour, 0));
  }

  static Timestamp t(int dayOffset, int hour, int minute) {
    return Timestamp.from(Fixtures.at(dayOffset, hour, minute));
  }

  /** Lake events of one conversation, built step by step. */
  static final class Conversation {
    final String id;
    final List<Row> rows = new ArrayList<>();

    Conversation(String id, String customer, String channel, Timestamp start) {
      this.id = id;
      rows.add(
          RowFactory.create(
              id,
              "CONVERSATION_STARTED",
              start,
              "acme",
              customer,
              channel,
              null,
              null,
              null,
              null,
              null));
    }

    Conversation say(Timestamp at, String role, String language, Double sentiment, Double anger) {
      rows.add(
          RowFactory.create(
              id, "MESSAGE", at, "acme", null, null, role, language, sentiment, anger, null));
      return this;
    }

    Conversation event(String type, Timestamp at) {
      rows.add(RowFactory.create(id, type, at, "acme", null, null, null, null, null, null, null));
      return this;
    }

    Conversation survey(Timestamp at, int csat) {
      rows.add(
          RowFactory.create(
              id, "SURVEY_SUBMITTED", at, "acme", null, null, null, null, null, null, csat));
      return this;
    }
  }

  static Dataset<Row> lake(Conversation... conversations) {
    List<Row> rows = new ArrayList<>();
    for (Conversation c : conversations) {
      rows.addAll(c.rows);
    }
    return TestSpark.session().createDataFrame(rows, Inputs.LAKE);
  }

  static Row line(
      String order, String customer, Timestamp at, String category, int quantity, String price) {
    return RowFactory.create(
        order, customer, "acme", at, "p-" + category, category, quantity, new BigDecimal(price));
  }

  static Dataset<Row> orders(Row... lines) {
    return TestSpark.session().createDataFrame(List.of(lines), Inputs.ORDERS);
  }

  static Row view(String customer, Timestamp at, String category, String action) {
    return RowFactory.create(customer, "acme", at, "p-" + category, category, action);
  }

  static Dataset<Row> browsing(Row... events) {
    return TestSpark.session().createDataFrame(List.of(events), Inputs.BROWSING);
  }

  static Instant instant(Timestamp t) {
    return t.toInstant();
  }
}
