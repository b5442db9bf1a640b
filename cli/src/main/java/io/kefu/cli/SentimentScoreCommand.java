package io.kefu.cli;

import io.kefu.core.sentiment.MessageScore;
import io.kefu.core.sentiment.SentimentScorer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = "Score one message: sentiment in [-1, 1], anger in [0, 1], language.")
final class SentimentScoreCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TEXT", description = "The message.")
  String text;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--model", paramLabel = "FILE", description = "Model file (default: bundled).")
  Path model;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    SentimentScorer scorer;
    if (model == null) {
      scorer = SentimentScorer.defaults();
    } else {
      if (!Files.isRegularFile(model)) {
        spec.commandLine().getErr().printf("kefu sentiment score: %s: no such model file%n", model);
        return 2;
      }
      try {
        scorer = SentimentScorer.load(model);
      } catch (IOException e) {
        spec.commandLine().getErr().printf("kefu sentiment score: %s%n", e.getMessage());
        return 2;
      }
    }
    MessageScore s = scorer.score(text);
    boolean angry = s.anger() >= SentimentScorer.ANGER_THRESHOLD;
    if (json) {
      // four fixed keys; the language is one of four ASCII codes, so no escaping is needed
      out.printf(
          Locale.ROOT,
          "{\"sentiment\":%s,\"anger\":%s,\"language\":\"%s\",\"angry\":%b}%n",
          round(s.sentiment()),
          round(s.anger()),
          s.language(),
          angry);
    } else {
      out.printf(
          Locale.ROOT,
          "sentiment=%.4f anger=%.4f language=%s%s%n",
          s.sentiment(),
          s.anger(),
          s.language(),
          angry ? " ANGRY" : "");
    }
    out.flush();
    return 0;
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
