package io.kefu.batch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

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
}
