package io.kefu.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** PostgreSQL connections of the batch jobs' table writers, on the driver and on executors. */
public final class Jdbc {
  private Jdbc() {}

  public static Connection connect(String jdbc) throws SQLException {
    try {
      Class.forName("org.postgresql.Driver"); // a shaded jar's service file may be merged away
    } catch (ClassNotFoundException e) {
      throw new SQLException("no PostgreSQL JDBC driver on the classpath", e);
    }
    return DriverManager.getConnection(jdbc);
  }

  /**
   * Runs a writer's DDL, a resource beside {@code owner} (idempotent: it creates what is missing);
   * a database error is bad input naming the table.
   */
  public static void createTable(String jdbc, Class<?> owner, String resource, String table) {
    String ddl;
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " missing beside " + owner.getName());
      }
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Connection c = connect(jdbc);
        Statement s = c.createStatement()) {
      s.execute(ddl);
    } catch (SQLException e) {
      throw new BadInputException("cannot create " + table + " at " + jdbc + ": " + e, e);
    }
  }
}
