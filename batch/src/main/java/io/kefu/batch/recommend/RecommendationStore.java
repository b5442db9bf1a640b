package io.kefu.batch.recommend;

import static io.kefu.batch.recommend.Interactions.seq;
import static org.apache.spark.sql.functions.col;

import io.kefu.batch.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * PostgreSQL table {@code recommendations} (DDL: {@code recommendations.sql} beside this class),
 * keyed by (customer_pseudonym, rank). A run replaces the lists of its own customers and no others:
 * the rows are partitioned by customer, and each executor deletes its customers' old rows and
 * inserts their new lists in one transaction, so a reader never sees a customer half written or
 * without a list. The table has no tenant, so a run over one shop's interactions leaves another
 * shop's customers alone; a customer of the run with an empty list loses the old one.
 */
public final class RecommendationStore {
  private RecommendationStore() {}

  static final String INSERT =
      "INSERT INTO recommendations (customer_pseudonym, rank, item_id, score, source,"
          + " model_version, generated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

  static final String DELETE = "DELETE FROM recommendations WHERE customer_pseudonym = ANY (?)";

  private static final int BATCH = 1000;

  /** Creates the table when missing. */
  public static void createTable(String jdbc) {
    Jdbc.createTable(jdbc, RecommendationStore.class, "recommendations.sql", "recommendations");
  }

  /**
   * Replaces the lists of {@code customers} (a {@code customer_pseudonym} column: every customer of
   * the run, with a list or without) by their rows in {@code lists} (the columns of {@code
   * Recommendation}, as {@code kefu batch recommend} writes them). Returns the rows written.
   */
  public static long write(Dataset<Row> lists, Dataset<Row> customers, String jdbc) {
    createTable(jdbc);
    Dataset<Row> rows =
        customers
            .select("customer_pseudonym")
            .distinct()
            .join(lists, seq("customer_pseudonym"), "left")
            .repartition(col("customer_pseudonym"))
            .select(
                "customer_pseudonym",
                "rank",
                "item_id",
                "score",
                "source",
                "model_version",
                "generated_at");
    rows.foreachPartition(new Replace(jdbc));
    return lists.count();
  }

  /**
   * One executor's customers, in one transaction: a customer's old rows are deleted before the
   * first insert that follows its first row, once (its rows are all in this partition, in any
   * order); a row without a rank is a customer without a list, only deleted.
   */
  static final class Replace implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final String jdbc;

    Replace(String jdbc) {
      this.jdbc = jdbc;
    }

    @Override
    public void call(Iterator<Row> rows) throws SQLException {
      if (!rows.hasNext()) {
        return;
      }
      try (Connection c = Jdbc.connect(jdbc);
          PreparedStatement delete = c.prepareStatement(DELETE);
          PreparedStatement insert = c.prepareStatement(INSERT)) {
        c.setAutoCommit(false);
        Set<String> seen = new HashSet<>();
        List<String> toDelete = new ArrayList<>();
        int inserts = 0;
        while (rows.hasNext()) {
          Row r = rows.next();
          String customer = r.getString(0);
          if (seen.add(customer)) {
            toDelete.add(customer);
          }
          if (!r.isNullAt(1)) {
            insert.setString(1, customer);
            insert.setInt(2, r.getInt(1));
            insert.setString(3, r.getString(2));
            insert.setDouble(4, r.getDouble(3));
            insert.setString(5, r.getString(4));
            insert.setString(6, r.getString(5));
            insert.setTimestamp(7, r.<Timestamp>getAs(6));
            insert.addBatch();
            inserts++;
          }
          if (inserts == BATCH || toDelete.size() == BATCH) {
            flush(c, delete, insert, toDelete, inserts);
            inserts = 0;
          }
        }
        flush(c, delete, insert, toDelete, inserts);
        c.commit();
      }
    }

    private static void flush(
        Connection c,
        PreparedStatement delete,
        PreparedStatement insert,
        List<String> toDelete,
        int inserts)
        throws SQLException {
      if (!toDelete.isEmpty()) {
        delete.setArray(1, c.createArrayOf("text", toDelete.toArray()));
        delete.executeUpdate();
        toDelete.clear();
      }
      if (inserts > 0) {
        insert.executeBatch();
      }
    }
  }
}
