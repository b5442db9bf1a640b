package io.kefu.core.sentiment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SortedMap;

/**
 * Scores customer messages for sentiment and anger, in Chinese (a trained linear model over
 * character n-grams and lexicon features), English (VADER) or a mix of both (each script's part
 * scored and combined by its share). Immutable and thread-safe; scoring allocates only the result.
 */
public final class SentimentScorer {
  /** Classpath location of the bundled model. */
  public static final String MODEL_RESOURCE = "/io/kefu/core/sentiment/model.bin";

  /** Default anger threshold of an anger event (KPIS.md). */
  public static final double ANGER_THRESHOLD = 0.8;

  private static final MessageScore UNDETERMINED = new MessageScore(0, 0, "und");

  /** A Latin word counts as this many CJK characters when weighing the two parts. */
  private static final double LATIN_WORD_WEIGHT = 2.0;

  /** How much of the Chinese model's sentiment a message without any polarity evidence keeps. */
  static final double NO_EVIDENCE = 0.3;

  /** VADER-scale valence of each anger-cue category present in the English part. */
  static final double CUE_VALENCE = -1.5;

  static final double DEMAND_VALENCE = -0.8;

  private final SentimentModel model;

  private SentimentScorer(SentimentModel model) {
    this.model = model;
  }

  private static final class Bundled {
    static final SentimentScorer INSTANCE = loadBundled();

    private static SentimentScorer loadBundled() {
      try (InputStream in = SentimentScorer.class.getResourceAsStream(MODEL_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("model resource " + MODEL_RESOURCE + " not on classpath");
        }
        return new SentimentScorer(SentimentModel.read(in, MODEL_RESOURCE));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The scorer of the bundled model, loaded once on first use. */
  public static SentimentScorer defaults() {
    return Bundled.INSTANCE;
  }

  /** A scorer of the model in {@code modelFile} (as written by {@link SentimentTrainer}). */
  public static SentimentScorer load(Path modelFile) throws IOException {
    return new SentimentScorer(SentimentModel.read(modelFile));
  }

  static SentimentScorer of(SentimentModel model) {
    return new SentimentScorer(model);
  }

  /** Writes this scorer's model to {@code file} (the format {@link #load} reads). */
  public void writeModel(Path file) throws IOException {
    model.write(file);
  }

  SentimentModel model() {
    return model;
  }

  /** The model's provenance: corpus, its SHA-256, rows, split rule and hyper-parameters. */
  public SortedMap<String, String> provenance() {
    return model.provenance;
  }

  /**
   * Scores one message. Never throws; {@code null} or blank text scores (0, 0, "und"). Emoji and
   * punctuation do not decide the language but do count towards sentiment and anger.
   */
  public MessageScore score(String text) {
    if (text == null) {
      return UNDETERMINED;
    }
    try {
      Scratch s = Scratch.forLength(text.length());
      s.load(text);
      if (s.streamLength == 0) {
        return UNDETERMINED;
      }
      return score(s);
    } catch (RuntimeException e) {
      // a defect must not stop a stream of messages; neutral is the safe answer
      return UNDETERMINED;
    }
  }

  private MessageScore score(Scratch s) {
    double emoji = Cues.emojiValence(s);
    int cues = Anger.cues(s);
    int han = s.cjk;
    int words = s.latinWords;
    // a lone Latin word in Chinese (a product name) or a lone ideograph in English is not a part
    double zhUnits = han <= 1 && words > 1 ? 0 : han;
    double enUnits = words <= 1 && han > 1 ? 0 : words * LATIN_WORD_WEIGHT;
    String language;
    double sentiment;
    boolean tokenized = false;
    if (zhUnits == 0 && enUnits == 0) {
      language = "und";
      sentiment = emoji == 0 ? 0 : Vader.normalize(emoji);
    } else {
      double share = zhUnits / (zhUnits + enUnits);
      language = share >= 0.8 ? "zh" : share <= 0.2 ? "en" : "mixed";
      double zh = 0;
      double en = 0;
      if (!language.equals("en")) {
        zh = chinese(s, emoji, cues);
      }
      if (!language.equals("zh")) {
        Vader.tokenize(s);
        tokenized = true;
        en = english(s, emoji, cues);
      }
      sentiment =
          language.equals("zh") ? zh : language.equals("en") ? en : share * zh + (1 - share) * en;
    }
    if (!tokenized) {
      if (words > 0) {
        Vader.tokenize(s); // for shouted words
      } else {
        s.tokens = 0;
      }
    }
    return new MessageScore(sentiment, Anger.score(sentiment, cues, s), language);
  }

  /**
   * The Chinese model's sentiment: tanh(z / 2) = 2 p - 1 for its logistic probability p, shrunk
   * towards 0 when the message holds no polarity word of two or more characters, emoji or anger
   * cue. The model learnt from reviews, where a text without a positive word is mostly a complaint,
   * so it reads a neutral question ("请问什么时候发货？") as negative; the shrinking keeps such messages out
   * of the negative share (score <= -0.3) without changing any sign, so accuracy is unaffected.
   */
  private double chinese(Scratch s, double emoji, int cues) {
    double p = Math.tanh(logit(model, s.stream, s.streamLength, s.dense) / 2 + emoji / 4);
    double mass = s.dense[ChineseFeatures.DENSE] + Math.abs(emoji) / 2;
    if ((cues & Cues.EVIDENCE) != 0) {
      mass = 1;
    }
    if ((cues & (Cues.DEMAND | Cues.EXASPERATION)) != 0) {
      mass += 0.5;
    }
    if (Anger.punctuation(s) == Anger.REPEATED_PUNCTUATION) {
      mass += 0.5;
    }
    return p * (NO_EVIDENCE + (1 - NO_EVIDENCE) * Math.min(1, mass));
  }

  static double logit(SentimentModel m, char[] z, int n, double[] dense) {
    int count = ChineseFeatures.ngramCount(n);
    double sum = ChineseFeatures.ngramSum(z, n, m.weights, m.shift) * (double) m.weightScale;
    double logit = m.bias + sum / Math.sqrt(count);
    ChineseFeatures.lexicon(z, n, m.zhWords, m.zhModifiers, dense);
    for (int i = 0; i < ChineseFeatures.DENSE; i++) {
      logit += m.dense[i] * dense[i];
    }
    return logit;
  }

  /**
   * VADER's compound, with emoji valence and the anger cues as extra negative words: VADER's
   * lexicon has no "scammers", "Twitter" or "BBB", and its "better" in "Better Business Bureau"
   * would otherwise read a threat as praise.
   */
  private double english(Scratch s, double emoji, int cues) {
    double sum = Vader.sum(s, model.vader) + emoji;
    sum += CUE_VALENCE * Integer.bitCount(cues & Cues.EVIDENCE);
    if ((cues & Cues.DEMAND) != 0) {
      sum += DEMAND_VALENCE;
    }
    if (sum > 0) {
      sum += Vader.punctuationEmphasis(s);
    } else if (sum < 0) {
      sum -= Vader.punctuationEmphasis(s);
    }
    return Vader.normalize(sum);
  }
}
