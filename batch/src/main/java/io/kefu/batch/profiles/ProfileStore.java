package io.kefu.batch.profiles;

import io.kefu.batch.Jdbc;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * PostgreSQL table {@code customer_profiles} (DDL: {@code customer_profiles.sql} beside this
 * class). Every executor upserts its partition by (tenant, customer_pseudonym, snapshot_date);
 * afterwards the rows of the snapshot date that this run did not write (customers gone since an
 * earlier run of the same date) are deleted, so a re-run leaves exactly its own rows and readers
 * never see the snapshot empty.
 */
public final class ProfileStore {
  private ProfileStore() {}

  static final String COLUMNS =
      "tenant, customer_pseudonym, snapshot_date, contacts_30d, contacts_90d, channels_used,"
          + " preferred_channel, last_contact, csat_mean, csat_last, sentiment_mean,"
          + " sentiment_trend, complaints, repeat_contacts_7d, resolution_rate, rfm_recency_days,"
          + " rfm_frequency, rfm_monetary, rfm_segment, top_categories, value_tier, churn_risk,"
          + " churn_reasons, preferred_language, rfm_r_score, rfm_f_score, rfm_m_score,"
          + " unresolved_contacts, order_trend, loaded_at";

  static final String UPSERT = upsert();

  private static String upsert() {
    String[] cols = COLUMNS.split(",\\s*");
    StringBuilder sb =
        new StringBuilder("INSERT INTO customer_profiles (" + COLUMNS + ") VALUES (");
    for (int i = 0; i < cols.length; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    sb.append(") ON CONFLICT (tenant, customer_pseudonym, snapshot_date) DO UPDATE SET ");
    boolean first = true;
    for (String c : cols) {
      if (List.of("tenant", "customer_pseudonym", "snapshot_date").contains(c)) {
        continue;
      }
      sb.append(first ? "" : ", ").append(c).append(" = EXCLUDED.").append(c);
      first = false;
    }
    return sb.toString();
  }

  /** Creates the table and its indexes when missing. */
  public static void createTable(String jdbc) {
    Jdbc.createTable(jdbc, ProfileStore.class, "customer_profiles.sql", "customer_profiles");
  }

  /**
   * Upserts {@code profiles} ({@link ProfileJob#score} columns) with {@code loadedAt}, then deletes
   * the rows of {@code snapshot} written before {@code loadedAt}. Returns the rows left.
   */
  public static long write(
      Dataset<Row> profiles, String jdbc, LocalDate snapshot, Timestamp loadedAt) {
    createTable(jdbc);
    profiles.foreachPartition(new Upsert(jdbc, loadedAt));
    try (Connection c = Jdbc.connect(jdbc);
        PreparedStatement delete =
            c.prepareStatement(
                "DELETE FROM customer_profiles WHERE snapshot_date = ? AND loaded_at < ?");
        PreparedStatement count =
            c.prepareStatement("SELECT count(*) FROM customer_profiles WHERE snapshot_date = ?")) {
      delete.setDate(1, Date.valueOf(snapshot));
      delete.setTimestamp(2, loadedAt);
      delete.executeUpdate();
      count.setDate(1, Date.valueOf(snapshot));
      try (var rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("customer_profiles at " + jdbc + ": " + e.getMessage(), e);
    }
  }

  /** One executor's upserts, in batches of 1,000 rows, one transaction per partition. */
  static final class Upsert implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final String jdbc;
    private final Timestamp loadedAt;

    Upsert(String jdbc, Timestamp loadedAt) {
      this.jdbc = jdbc;
      this.loadedAt = loadedAt;
    }

    @Override
    public void call(Iterator<Row> rows) throws SQLException {
      if (!rows.hasNext()) {
        return;
      }
      try (Connection c = Jdbc.connect(jdbc);
          PreparedStatement ps = c.prepareStatement(UPSERT)) {
        c.setAutoCommit(false);
        int pending = 0;
        while (rows.hasNext()) {
          bind(c, ps, rows.next(), loadedAt);
          ps.addBatch();
          if (++pending == 1000) {
            ps.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          ps.executeBatch();
        }
        c.commit();
      }
    }
  }

  static void bind(Connection c, PreparedStatement ps, Row r, Timestamp loadedAt)
      throws SQLException {
    int i = 1;
    ps.setString(i++, r.getAs("tenant"));
    ps.setString(i++, r.getAs("customer_pseudonym"));
    ps.setDate(i++, r.getAs("snapshot_date"));
    ps.setInt(i++, r.<Integer>getAs("contacts_30d"));
    ps.setInt(i++, r.<Integer>getAs("contacts_90d"));
    ps.setArray(i++, c.createArrayOf("text", strings(r, "channels_used")));
    ps.setString(i++, r.getAs("preferred_channel"));
    ps.setTimestamp(i++, r.getAs("last_contact"));
    setDouble(ps, i++, r, "csat_mean");
    setInt(ps, i++, r, "csat_last");
    setDouble(ps, i++, r, "sentiment_mean");
    setDouble(ps, i++, r, "sentiment_trend");
    ps.setInt(i++, r.<Integer>getAs("complaints"));
    ps.setInt(i++, r.<Integer>getAs("repeat_contacts_7d"));
    setDouble(ps, i++, r, "resolution_rate");
    setInt(ps, i++, r, "rfm_recency_days");
    ps.setInt(i++, r.<Integer>getAs("rfm_frequency"));
    ps.setBigDecimal(i++, r.getAs("rfm_monetary"));
    ps.setString(i++, r.getAs("rfm_segment"));
    ps.setArray(i++, c.createArrayOf("text", strings(r, "top_categories")));
    ps.setString(i++, r.getAs("value_tier"));
    setDouble(ps, i++, r, "churn_risk");
    ps.setArray(i++, c.createArrayOf("text", strings(r, "churn_reasons")));
    ps.setString(i++, r.getAs("preferred_language"));
    setInt(ps, i++, r, "rfm_r_score");
    setInt(ps, i++, r, "rfm_f_score");
    setInt(ps, i++, r, "rfm_m_score");
    setInt(ps, i++, r, "unresolved_contacts");
    setInt(ps, i++, r, "order_trend");
    ps.setTimestamp(i, loadedAt);
  }

  private static Object[] strings(Row r, String column) {
    List<Object> list = r.getList(r.fieldIndex(column));
    return list.toArray();
  }

  private static void setDouble(PreparedStatement ps, int i, Row r, String column)
      throws SQLException {
    Object v = r.getAs(column);
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, ((Number) v).doubleValue());
    }
  }

  private static void setInt(PreparedStatement ps, int i, Row r, String column)
      throws SQLException {
    Object v = r.getAs(column);
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, ((Number) v).intValue());
    }
  }
}
