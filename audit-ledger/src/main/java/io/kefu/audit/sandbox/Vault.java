package io.kefu.audit.sandbox;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The vault table in PostgreSQL: customer data encrypted by {@link SandboxCrypto}, one row per
 * token. The only place where originals are kept; the streaming job writes it, {@code kefu sandbox}
 * reads, re-encrypts and erases it. Not thread-safe (one JDBC connection).
 */
public final class Vault {

  /** The table; also the streaming job's Flyway migration {@code V3__vault.sql}. */
  public static final String DDL =
      "CREATE TABLE IF NOT EXISTS vault ("
          + " token text PRIMARY KEY,"
          + " pseudonym text,"
          + " conversation_id text,"
          + " field text NOT NULL,"
          + " event_id text,"
          + " key_id bigint NOT NULL,"
          + " ciphertext bytea NOT NULL,"
          + " created_at timestamptz NOT NULL);"
          + " CREATE INDEX IF NOT EXISTS vault_pseudonym ON vault (pseudonym);"
          + " CREATE INDEX IF NOT EXISTS vault_conversation ON vault (conversation_id)";

  /** Idempotent insert: a token already there keeps its row. */
  public static final String INSERT =
      "INSERT INTO vault (token, pseudonym, conversation_id, field, event_id, key_id, ciphertext,"
          + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token) DO NOTHING";

  /** A row without its ciphertext: what {@code tokens} lists. */
  public record TokenInfo(
      String token,
      String pseudonym,
      String conversationId,
      String field,
      String eventId,
      long keyId,
      java.time.Instant createdAt) {}

  private final Connection c;

  public Vault(Connection c) {
    this.c = c;
  }

  /** Creates the table when it is not there (the job's migration does the same). */
  public void create() throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(DDL);
    }
  }

  public void insert(VaultEntry e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      bind(ps, e);
      ps.executeUpdate();
    }
  }

  /** Binds {@link #INSERT}'s parameters. */
  public static void bind(PreparedStatement ps, VaultEntry e) throws SQLException {
    ps.setString(1, e.token);
    ps.setString(2, e.pseudonym);
    ps.setString(3, e.conversationId);
    ps.setString(4, e.field);
    ps.setString(5, e.eventId);
    ps.setLong(6, e.keyId & 0xFFFFFFFFL);
    ps.setBytes(7, e.ciphertext);
    ps.setTimestamp(8, new Timestamp(e.createdAt));
  }

  /**
   * The row of {@code token}, with the customer's pseudonym filled in from the conversation's
   * customer row when the row itself has none; null when there is no such token (never was, or
   * erased).
   */
  public VaultEntry find(String token) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT v.token, coalesce(v.pseudonym, (SELECT min(o.pseudonym) FROM vault o"
                + " WHERE o.conversation_id = v.conversation_id AND o.field = 'CUSTOMER_ID')),"
                + " v.conversation_id, v.field, v.event_id, v.key_id, v.ciphertext, v.created_at"
                + " FROM vault v WHERE v.token = ?")) {
      ps.setString(1, token);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        VaultEntry e = new VaultEntry();
        e.token = rs.getString(1);
        e.pseudonym = rs.getString(2);
        e.conversationId = rs.getString(3);
        e.field = rs.getString(4);
        e.eventId = rs.getString(5);
        e.keyId = (int) rs.getLong(6);
        e.ciphertext = rs.getBytes(7);
        e.createdAt = rs.getTimestamp(8).getTime();
        return e;
      }
    }
  }

  /** Every token of a customer (their own rows and those of their conversations). */
  public List<TokenInfo> tokens(String pseudonym) throws SQLException {
    List<TokenInfo> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT token, pseudonym, conversation_id, field, event_id, key_id, created_at"
                + " FROM vault WHERE "
                + OF_CUSTOMER
                + " ORDER BY created_at, token")) {
      ps.setString(1, pseudonym);
      ps.setString(2, pseudonym);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new TokenInfo(
                  rs.getString(1),
                  pseudonym,
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getLong(6),
                  rs.getTimestamp(7).toInstant()));
        }
      }
    }
    return out;
  }

  private static final String OF_CUSTOMER =
      "(pseudonym = ? OR conversation_id IN (SELECT conversation_id FROM vault"
          + " WHERE field = 'CUSTOMER_ID' AND pseudonym = ?))";

  /**
   * Deletes every row of a customer (right to be forgotten): their customer rows and everything
   * found in their conversations. Returns the number of rows deleted.
   */
  public int erase(String pseudonym) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM vault WHERE " + OF_CUSTOMER)) {
      ps.setString(1, pseudonym);
      ps.setString(2, pseudonym);
      return ps.executeUpdate();
    }
  }

  /** Number of rows, and of rows not under the given key. */
  public long[] counts(int primaryKeyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE key_id <> ?) FROM vault")) {
      ps.setLong(1, primaryKeyId & 0xFFFFFFFFL);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /**
   * Re-encrypts every row not under the primary AEAD key with it, in batches of {@code batch} rows,
   * each batch one transaction. A row that does not decrypt stops the run with its token: nothing
   * is ever overwritten with something unreadable. Returns the rows re-encrypted.
   */
  public long reencrypt(SandboxCrypto crypto, int batch) throws SQLException {
    int primary = crypto.aeadKeyId();
    long done = 0;
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      while (true) {
        List<VaultEntry> rows = new ArrayList<>();
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT token, field, ciphertext FROM vault WHERE key_id <> ? ORDER BY token"
                    + " LIMIT ? FOR UPDATE")) {
          ps.setLong(1, primary & 0xFFFFFFFFL);
          ps.setInt(2, batch);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              VaultEntry e = new VaultEntry();
              e.token = rs.getString(1);
              e.field = rs.getString(2);
              e.ciphertext = rs.getBytes(3);
              rows.add(e);
            }
          }
        }
        if (rows.isEmpty()) {
          c.commit();
          return done;
        }
        try (PreparedStatement up =
            c.prepareStatement(
                "UPDATE vault SET ciphertext = ?, key_id = ? WHERE token = ? AND key_id <> ?")) {
          for (VaultEntry e : rows) {
            String plain;
            try {
              plain = crypto.decrypt(e.type(), e.token, e.ciphertext);
            } catch (GeneralSecurityException ex) {
              throw new SQLException(
                  "vault row " + e.token + " does not decrypt (altered, or its key is gone)", ex);
            }
            up.setBytes(1, crypto.encrypt(e.type(), e.token, plain));
            up.setLong(2, primary & 0xFFFFFFFFL);
            up.setString(3, e.token);
            up.setLong(4, primary & 0xFFFFFFFFL);
            up.addBatch();
          }
          up.executeBatch();
        }
        c.commit();
        done += rows.size();
      }
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
