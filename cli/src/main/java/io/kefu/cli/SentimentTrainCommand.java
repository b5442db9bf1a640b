package io.kefu.cli;

import io.kefu.core.sentiment.SentimentScorer;
import io.kefu.core.sentiment.SentimentTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the Chinese sentiment model on every corpus row outside the held-out bucket and",
      "write the model file (deterministic: same inputs, same bytes). Prints the path written."
    })
final class SentimentTrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--corpus", paramLabel = "FILE", description = "Labelled CSV (cat,label,review).")
  Path corpus;

  @Option(
      names = "--lexicons",
      paramLabel = "DIR",
      description = "Chinese lexicon directory (HowNet, NTUSD, negation.txt).")
  Path lexicons;

  @Option(names = "--vader", paramLabel = "FILE", description = "VADER lexicon file.")
  Path vader;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Model file (default: the bundled resource in the source tree).")
  Path out;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SentimentTrainer.Inputs defaults = SentimentTrainer.Inputs.under(SentimentCommand.dataDir());
    SentimentTrainer.Inputs in =
        new SentimentTrainer.Inputs(
            corpus == null ? defaults.corpus() : corpus,
            lexicons == null ? defaults.zhLexicons() : lexicons,
            vader == null ? defaults.vaderLexicon() : vader);
    for (Path p : new Path[] {in.corpus(), in.zhLexicons(), in.vaderLexicon()}) {
      if (!Files.exists(p)) {
        err.printf("kefu sentiment train: %s: no such file or directory%n", p);
        return 2;
      }
    }
    Path target =
        out != null
            ? out
            : SentimentCommand.home()
                .resolve("core/src/main/resources/io/kefu/core/sentiment/model.bin");
    long t0 = System.nanoTime();
    SentimentScorer scorer;
    try {
      scorer = new SentimentTrainer(SentimentTrainer.Settings.defaults()).train(in);
    } catch (NoSuchFileException e) {
      err.printf("kefu sentiment train: %s%n", e.getMessage());
      return 2;
    } catch (IOException e) {
      err.printf("kefu sentiment train: %s%n", e.getMessage());
      return 2;
    }
    scorer.writeModel(target);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    stdout.printf(
        "trained on %s of %s rows (%s) in %,d ms%n",
        scorer.provenance().get("train.rows"),
        scorer.provenance().get("corpus.rows"),
        scorer.provenance().get("train.buckets"),
        ms);
    stdout.printf("wrote %s (%,d bytes)%n", target, Files.size(target));
    stdout.flush();
    return 0;
  }
}
