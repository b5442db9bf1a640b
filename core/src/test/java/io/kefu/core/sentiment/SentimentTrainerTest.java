package io.kefu.core.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentTrainerTest {
  @TempDir Path tmp;

  private static List<LabelledReview> heldOut(Path corpus) throws IOException {
    List<LabelledReview> test = new ArrayList<>();
    for (LabelledReview r : LabelledCsv.read(corpus)) {
      if (HeldOutSplit.isTest(r.text())) {
        test.add(r);
      }
    }
    return test;
  }

  @Test
  void trainingIsDeterministic() throws Exception {
    SentimentTrainer.Inputs in = SentimentTrainer.Inputs.under(SharedData.sentimentDir());
    List<LabelledReview> slice = LabelledCsv.read(in.corpus()).subList(0, 3_000);
    SentimentTrainer trainer =
        new SentimentTrainer(new SentimentTrainer.Settings(16, 2, 0.2, 1e-6, 7));
    byte[] first = trainer.train(slice, in, Map.of("slice", "0-3000")).toBytes();
    byte[] second = trainer.train(slice, in, Map.of("slice", "0-3000")).toBytes();
    assertArrayEquals(first, second);
  }

  @Test
  void modelRoundTrip() throws Exception {
    SentimentScorer bundled = SentimentScorer.defaults();
    Path file = tmp.resolve("model.bin");
    bundled.model().write(file);
    SentimentScorer loaded = SentimentScorer.load(file);
    assertArrayEquals(bundled.model().toBytes(), loaded.model().toBytes());
    assertEquals(bundled.provenance(), loaded.provenance());
    for (String t : List.of("非常满意", "not bad", "我要投诉！", "这个 product is good 很好")) {
      assertEquals(bundled.score(t), loaded.score(t), t);
    }
    try (InputStream in =
        SentimentScorer.class.getResourceAsStream(SentimentScorer.MODEL_RESOURCE)) {
      assertArrayEquals(in.readAllBytes(), Files.readAllBytes(file), "write(read(x)) == x");
    }
  }

  @Test
  void rejectsForeignAndTruncatedFiles() throws Exception {
    Path junk = tmp.resolve("junk.bin");
    Files.writeString(junk, "not a model");
    IOException e = assertThrows(IOException.class, () -> SentimentScorer.load(junk));
    assertTrue(
        e.getMessage().contains(junk.toString()) && e.getMessage().contains("magic"),
        e.getMessage());
    byte[] good = SentimentScorer.defaults().model().toBytes();
    Path cut = tmp.resolve("cut.bin");
    Files.write(cut, java.util.Arrays.copyOf(good, good.length / 2));
    assertThrows(IOException.class, () -> SentimentScorer.load(cut));
  }

  @Test
  void bundledModelReachesNinetyPercentOnTheHeldOutSplit() throws Exception {
    Path corpus = SharedData.sentimentDir().resolve("online_shopping_10_cats.csv");
    List<LabelledReview> test = heldOut(corpus);
    assertTrue(test.size() > 11_000 && test.size() < 14_000, "held-out rows " + test.size());
    SentimentEvaluation ev = SentimentEvaluation.of(SentimentScorer.defaults(), test);
    System.out.println(ev.report());
    assertTrue(ev.accuracy() >= 0.90, ev.report());
    assertEquals(
        SentimentTrainer.sha256(corpus),
        SentimentScorer.defaults().provenance().get("corpus.sha256"));
  }

  @Test
  void retrainingTheCorpusReproducesTheBundledModel() throws Exception {
    SentimentTrainer.Inputs in = SentimentTrainer.Inputs.under(SharedData.sentimentDir());
    long t0 = System.nanoTime();
    SentimentScorer trained = new SentimentTrainer(SentimentTrainer.Settings.defaults()).train(in);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 60_000, "training took " + ms + " ms");
    // the trainer excluded exactly the held-out bucket
    assertEquals(
        Integer.toString(
            Integer.parseInt(trained.provenance().get("corpus.rows"))
                - heldOut(in.corpus()).size()),
        trained.provenance().get("train.rows"));
    try (InputStream bundled =
        SentimentScorer.class.getResourceAsStream(SentimentScorer.MODEL_RESOURCE)) {
      assertArrayEquals(
          bundled.readAllBytes(),
          trained.model().toBytes(),
          "bundled model is stale: run kefu sentiment train");
    }
  }

  @Test
  void splitIsStableAndAboutOneFifth() {
    assertEquals(HeldOutSplit.bucket("质量很好"), HeldOutSplit.bucket("\uFEFF质量很好 "));
    int test = 0;
    for (int i = 0; i < 10_000; i++) {
      test += HeldOutSplit.isTest("review " + i) ? 1 : 0;
    }
    assertTrue(test > 1_800 && test < 2_200, "test share " + test);
  }

  @Test
  void csvErrorsNameFileLineAndField() throws Exception {
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, "cat,label,review\nx,1,好\nx,maybe,坏\n");
    IOException e = assertThrows(IOException.class, () -> LabelledCsv.read(bad));
    assertTrue(e.getMessage().startsWith(bad + ":3: field label"), e.getMessage());
    Path quoted = tmp.resolve("quoted.csv");
    Files.writeString(
        quoted, "\uFEFFlabel,review\n1,\"good, \"\"very\"\" good\"\n0,\"two\nlines\"\n");
    List<LabelledReview> rows = LabelledCsv.read(quoted);
    assertEquals(
        List.of(
            new LabelledReview(2, 1, "good, \"very\" good"),
            new LabelledReview(3, 0, "two\nlines")),
        rows);
  }
}
