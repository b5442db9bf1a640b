package io.kefu.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kefu sentiment …}: train, evaluate and try the message sentiment and anger scorer. */
@Command(
    name = "sentiment",
    mixinStandardHelpOptions = true,
    description = {
      "Sentiment and anger of customer messages (Chinese model + English VADER).",
      "Training data defaults to $kefu.home/../shared/data/sentiment."
    },
    subcommands = {
      SentimentTrainCommand.class,
      SentimentEvalCommand.class,
      SentimentScoreCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success, 1 failure, 2 invalid input (file, line and field named)."
    })
final class SentimentCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The kefu installation ({@code kefu.home}, set by bin/kefu), or the working directory. */
  static Path home() {
    String home = System.getProperty("kefu.home");
    return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
  }

  /** {@code $kefu.home/../shared/data/sentiment}. */
  static Path dataDir() {
    return home().resolve("../shared/data/sentiment").normalize();
  }
}
