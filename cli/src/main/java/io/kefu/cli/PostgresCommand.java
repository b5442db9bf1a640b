package io.kefu.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "postgres",
    mixinStandardHelpOptions = true,
    description = {
      "Run the embedded PostgreSQL server in the foreground (Ctrl-C stops it).",
      "The server comes from a Maven artifact: nothing to install. Use it to look at the",
      "demo's tables again, or as the database of benchmarks."
    })
final class PostgresCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      description = "Data directory (kept; created when missing).")
  Path data;

  @Option(names = "--port", defaultValue = "0", description = "Port (default: a free one).")
  int port;

  @Override
  public Integer call() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.open(data.toAbsolutePath(), port)) {
      spec.commandLine().getOut().println(db.jdbcUrl());
      spec.commandLine().getOut().flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }
}
