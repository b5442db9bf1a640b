package io.kefu.core.sentiment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trains the Chinese model: logistic regression with AdaGrad and L2 over hashed character n-grams
 * and the lexicon features, in one thread, in a seeded order, so the same corpus, lexicons and
 * {@link Settings} give a byte-identical model file.
 */
public final class SentimentTrainer {

  /** Hyper-parameters (chosen on the validation bucket, see the README). */
  public record Settings(int bits, int epochs, double learningRate, double l2, long seed) {
    public static Settings defaults() {
      return new Settings(19, 6, 0.2, 1e-6, 20240611L);
    }
  }

  /** Where the training inputs are. */
  public record Inputs(Path corpus, Path zhLexicons, Path vaderLexicon) {
    /** The standard layout under {@code dir}: the corpus, zh-lexicons/ and en-lexicons/. */
    public static Inputs under(Path dir) {
      return new Inputs(
          dir.resolve("online_shopping_10_cats.csv"),
          dir.resolve("zh-lexicons"),
          dir.resolve("en-lexicons").resolve("vader_lexicon.txt"));
    }
  }

  private final Settings settings;

  public SentimentTrainer(Settings settings) {
    this.settings = settings;
  }

  /** Trains on every row outside the held-out bucket. */
  public SentimentScorer train(Inputs in) throws IOException {
    List<LabelledReview> rows = LabelledCsv.read(in.corpus());
    List<LabelledReview> train = new ArrayList<>();
    for (LabelledReview r : rows) {
      if (HeldOutSplit.bucket(r.text()) != HeldOutSplit.TEST_BUCKET) {
        train.add(r);
      }
    }
    Map<String, String> provenance = provenance(in, rows.size(), train.size(), "buckets 1-4");
    return SentimentScorer.of(train(train, in, provenance));
  }

  /** Trains on the given rows (tests and tuning). */
  SentimentModel train(List<LabelledReview> train, Inputs in, Map<String, String> provenance)
      throws IOException {
    PhraseTable words = PhraseTable.of(Lexicons.polarity(in.zhLexicons()));
    PhraseTable modifiers = PhraseTable.of(Lexicons.modifiers(in.zhLexicons()));
    TreeMap<String, Float> vader = Lexicons.vader(in.vaderLexicon());

    int bits = settings.bits();
    int shift = 64 - bits;
    int n = train.size();
    int[][] idx = new int[n][];
    float[] scale = new float[n];
    double[][] dense = new double[n][ChineseFeatures.DENSE];
    byte[] y = new byte[n];
    char[] z = new char[64];
    int[] buf = new int[192];
    for (int i = 0; i < n; i++) {
      String text = train.get(i).text();
      if (z.length < text.length()) {
        z = new char[text.length() * 2];
        buf = new int[text.length() * 6];
      }
      int m = stream(text, z);
      int k = ChineseFeatures.ngramIndices(z, m, shift, buf);
      idx[i] = java.util.Arrays.copyOf(buf, k);
      scale[i] = k == 0 ? 0 : (float) (1 / Math.sqrt(k));
      ChineseFeatures.lexicon(z, m, words, modifiers, dense[i]);
      y[i] = (byte) train.get(i).label();
    }

    double[] w = new double[1 << bits];
    double[] g2 = new double[1 << bits];
    double[] d = new double[ChineseFeatures.DENSE];
    double[] dg2 = new double[ChineseFeatures.DENSE];
    double b = 0;
    double bg2 = 0;
    double lr = settings.learningRate();
    double l2 = settings.l2();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(settings.seed());
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int o = 0; o < n; o++) {
        int i = order[o];
        int[] f = idx[i];
        double s = scale[i];
        double logit = b;
        double sum = 0;
        for (int k : f) {
          sum += w[k];
        }
        logit += sum * s;
        for (int j = 0; j < d.length; j++) {
          logit += d[j] * dense[i][j];
        }
        double p = 1 / (1 + Math.exp(-logit));
        double g = p - y[i];
        for (int k : f) {
          double gk = g * s + l2 * w[k];
          g2[k] += gk * gk;
          w[k] -= lr * gk / Math.sqrt(g2[k] + 1e-8);
        }
        for (int j = 0; j < d.length; j++) {
          double gj = g * dense[i][j];
          dg2[j] += gj * gj;
          d[j] -= lr * gj / Math.sqrt(dg2[j] + 1e-8);
        }
        bg2 += g * g;
        b -= lr * g / Math.sqrt(bg2 + 1e-8);
      }
    }

    double max = 0;
    for (double v : w) {
      max = Math.max(max, Math.abs(v));
    }
    float wscale = (float) (max == 0 ? 1 : max / Short.MAX_VALUE);
    short[] q = new short[w.length];
    for (int i = 0; i < w.length; i++) {
      q[i] = (short) Math.round(w[i] / wscale);
    }
    float[] df = new float[d.length];
    for (int j = 0; j < d.length; j++) {
      df[j] = (float) d[j];
    }
    String[] vw = vader.keySet().toArray(new String[0]);
    float[] vv = new float[vw.length];
    for (int i = 0; i < vw.length; i++) {
      vv[i] = vader.get(vw[i]);
    }
    return new SentimentModel(provenance, bits, q, wscale, (float) b, df, words, modifiers, vw, vv);
  }

  private static int stream(String text, char[] z) {
    int m = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = Scratch.normalize(text.charAt(i));
      if (c != 0 && !Character.isWhitespace(c)) {
        z[m++] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : (c >= '0' && c <= '9') ? '0' : c;
      }
    }
    return m;
  }

  Map<String, String> provenance(Inputs in, int rows, int trained, String trainedOn)
      throws IOException {
    Map<String, String> p = new TreeMap<>();
    p.put("format.version", Integer.toString(SentimentModel.FORMAT_VERSION));
    p.put("corpus.file", in.corpus().getFileName().toString());
    p.put("corpus.sha256", sha256(in.corpus()));
    p.put("corpus.rows", Integer.toString(rows));
    p.put("train.rows", Integer.toString(trained));
    p.put("train.buckets", trainedOn);
    p.put("split.rule", HeldOutSplit.RULE);
    p.put(
        "model.zh",
        "logistic regression, AdaGrad, L2; hashed char 1-3-grams x 1/sqrt(count)"
            + " + "
            + ChineseFeatures.DENSE
            + " lexicon features; int16 weights");
    p.put("hyper.bits", Integer.toString(settings.bits()));
    p.put("hyper.epochs", Integer.toString(settings.epochs()));
    p.put("hyper.learning_rate", Double.toString(settings.learningRate()));
    p.put("hyper.l2", Double.toString(settings.l2()));
    p.put("hyper.seed", Long.toString(settings.seed()));
    for (String f : Lexicons.POSITIVE_FILES) {
      p.put("lexicon.zh." + f, sha256(in.zhLexicons().resolve(f)));
    }
    for (String f : Lexicons.NEGATIVE_FILES) {
      p.put("lexicon.zh." + f, sha256(in.zhLexicons().resolve(f)));
    }
    p.put(
        "lexicon.zh." + Lexicons.DEGREE_FILE,
        sha256(in.zhLexicons().resolve(Lexicons.DEGREE_FILE)));
    p.put(
        "lexicon.zh." + Lexicons.NEGATION_FILE,
        sha256(in.zhLexicons().resolve(Lexicons.NEGATION_FILE)));
    p.put("lexicon.en.vader_lexicon.txt", sha256(in.vaderLexicon()));
    p.put("licence.en", "VADER lexicon, MIT, (c) 2016 C.J. Hutto");
    p.put("licence.zh", "HowNet/NTUSD word lists, research use; stored only as 64-bit hashes");
    return p;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int r;
      while ((r = in.read(buf)) > 0) {
        md.update(buf, 0, r);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
