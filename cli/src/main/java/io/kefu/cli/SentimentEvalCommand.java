package io.kefu.cli;

import io.kefu.core.sentiment.HeldOutSplit;
import io.kefu.core.sentiment.LabelledCsv;
import io.kefu.core.sentiment.LabelledReview;
import io.kefu.core.sentiment.SentimentEvaluation;
import io.kefu.core.sentiment.SentimentScorer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a model on labelled reviews: accuracy, precision/recall/F1 per class and the",
      "confusion matrix; the last line is accuracy=0.xxxx. Without --data: the held-out split",
      "of the shared corpus (the bucket the trainer never sees)."
    })
final class SentimentEvalCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      description = "CSV with a header holding label (1 positive, 0 negative) and review columns.")
  Path data;

  @Option(names = "--model", paramLabel = "FILE", description = "Model file (default: bundled).")
  Path model;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path file =
        data != null ? data : SentimentCommand.dataDir().resolve("online_shopping_10_cats.csv");
    if (!Files.isRegularFile(file)) {
      err.printf("kefu sentiment eval: %s: no such file%n", file);
      return 2;
    }
    if (model != null && !Files.isRegularFile(model)) {
      err.printf("kefu sentiment eval: %s: no such model file%n", model);
      return 2;
    }
    SentimentScorer scorer;
    List<LabelledReview> rows;
    try {
      scorer = model == null ? SentimentScorer.defaults() : SentimentScorer.load(model);
      rows = LabelledCsv.read(file);
    } catch (IOException e) {
      err.printf("kefu sentiment eval: %s%n", e.getMessage());
      return 2;
    }
    if (data == null) {
      List<LabelledReview> test = new ArrayList<>();
      for (LabelledReview r : rows) {
        if (HeldOutSplit.isTest(r.text())) {
          test.add(r);
        }
      }
      rows = test;
      out.printf(
          "%s: held-out split (bucket %d of %d)%n",
          file, HeldOutSplit.TEST_BUCKET, HeldOutSplit.BUCKETS);
    } else {
      out.printf("%s%n", file);
    }
    if (rows.isEmpty()) {
      err.printf("kefu sentiment eval: %s: no labelled rows%n", file);
      return 2;
    }
    out.println(SentimentEvaluation.of(scorer, rows).report());
    out.flush();
    return 0;
  }
}
