package io.kefu.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentCommandTest {
  @TempDir Path tmp;

  private static Path sharedSentiment() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("core"))) {
      dir = dir.getParent();
    }
    Path data =
        dir == null ? Path.of("/nonexistent") : dir.resolve("../shared/data/sentiment").normalize();
    assumeTrue(Files.isDirectory(data), "shared sentiment data not found at " + data);
    return data;
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  @Test
  void scorePrintsTextAndJson() {
    CliRun run = CliRun.of("sentiment", "score", "我要投诉！马上给我退款！");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("language=zh") && run.out().contains("ANGRY"), run.out());
    CliRun json = CliRun.of("sentiment", "score", "not bad", "--json");
    assertEquals(0, json.exitCode(), json.err());
    assertTrue(
        json.out()
            .strip()
            .matches(
                "\\{\"sentiment\":0\\.\\d+,\"anger\":[0-9.]+,\"language\":\"en\",\"angry\":false}"),
        json.out());
  }

  @Test
  void evalOnAGivenFileEndsWithAccuracy() throws Exception {
    Path data = tmp.resolve("mine.csv");
    Files.writeString(
        data, "label,review\n1,非常满意，质量很好\n0,质量太差了，很失望\n1,Great service\n0,\"terrible, broken\"\n");
    CliRun run = CliRun.of("sentiment", "eval", "--data", data.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("accuracy=1.0000", lastLine(run.out()), run.out());
    assertTrue(run.out().contains("confusion"), run.out());
  }

  @Test
  void badInputNamesFileLineAndFieldAndExitsTwo() throws Exception {
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, "label,review\n1,好\nyes,坏\n");
    CliRun run = CliRun.of("sentiment", "eval", "--data", bad.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains(bad + ":3: field label"), run.err());
    CliRun missing = CliRun.of("sentiment", "eval", "--data", tmp.resolve("none.csv").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("none.csv"), missing.err());
    Path notModel = tmp.resolve("model.bin");
    Files.writeString(notModel, "nope");
    CliRun badModel = CliRun.of("sentiment", "score", "hi", "--model", notModel.toString());
    assertEquals(2, badModel.exitCode());
    assertTrue(badModel.err().contains(notModel.toString()), badModel.err());
  }

  @Test
  void trainThenEvalTheHeldOutSplit() throws Exception {
    Path data = sharedSentiment();
    Path model = tmp.resolve("model.bin");
    CliRun train =
        CliRun.of(
            "sentiment", "train",
            "--corpus", data.resolve("online_shopping_10_cats.csv").toString(),
            "--lexicons", data.resolve("zh-lexicons").toString(),
            "--vader", data.resolve("en-lexicons/vader_lexicon.txt").toString(),
            "--out", model.toString());
    assertEquals(0, train.exitCode(), train.err());
    assertTrue(train.out().contains("wrote " + model), train.out());
    try (var bundled =
        io.kefu.core.sentiment.SentimentScorer.class.getResourceAsStream("model.bin")) {
      assertArrayEquals(
          bundled.readAllBytes(), Files.readAllBytes(model), "same inputs, same bytes");
    }
    CliRun eval =
        CliRun.of(
            "sentiment",
            "eval",
            "--data",
            data.resolve("online_shopping_10_cats.csv").toString(),
            "--model",
            model.toString());
    assertEquals(0, eval.exitCode(), eval.err());
    double all = Double.parseDouble(lastLine(eval.out()).substring("accuracy=".length()));
    assertTrue(all > 0.9, eval.out());
  }
}
