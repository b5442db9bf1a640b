package io.kefu.core.sentiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the shared lexicon files (never bundled; the model carries what it needs, the Chinese words
 * only as hashes): HowNet and NTUSD polarity words, HowNet degree adverbs, the negation list and
 * the VADER lexicon.
 */
final class Lexicons {
  static final List<String> POSITIVE_FILES =
      List.of(
          "hownet-positive-emotion.txt", "hownet-positive-evaluation.txt", "ntusd-positive.txt");
  static final List<String> NEGATIVE_FILES =
      List.of(
          "hownet-negative-emotion.txt", "hownet-negative-evaluation.txt", "ntusd-negative.txt");
  static final String DEGREE_FILE = "hownet-degree.txt";
  static final String NEGATION_FILE = "negation.txt";

  /** HowNet degree sections 1-6 (极其, 很, 较, 稍, 欠, 超) as multipliers x 100. */
  static final int[] DEGREE_LEVELS = {200, 175, 150, 70, 50, 180};

  /** Chinese polarity words longer than this are not used (chat messages rarely hold them). */
  static final int MAX_WORD = 8;

  private Lexicons() {}

  static List<String> lines(Path file) throws IOException {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file + ": lexicon file not found");
    }
  }

  /** A HowNet header line ("中文正面情感词语\t836") or blank: not a word. */
  private static boolean isWord(String w) {
    return !w.isEmpty() && !w.startsWith("中文") && w.length() <= MAX_WORD;
  }

  /** Word (stream form) to +1 / -1; a word on both sides by majority, dropped on a tie. */
  static Map<String, Integer> polarity(Path dir) throws IOException {
    Map<String, Integer> votes = new TreeMap<>();
    for (String f : POSITIVE_FILES) {
      for (String w : words(dir.resolve(f))) {
        votes.merge(w, 1, Integer::sum);
      }
    }
    for (String f : NEGATIVE_FILES) {
      for (String w : words(dir.resolve(f))) {
        votes.merge(w, -1, Integer::sum);
      }
    }
    Map<String, Integer> out = new TreeMap<>();
    votes.forEach(
        (w, v) -> {
          if (v != 0) {
            out.put(w, Integer.signum(v));
          }
        });
    return out;
  }

  private static java.util.Set<String> words(Path file) throws IOException {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String l : lines(file)) {
      String w = Scratch.streamForm(l);
      if (isWord(w)) {
        out.add(w);
      }
    }
    return out;
  }

  /** Negation words ({@link ChineseFeatures#NEGATION}) and degree words (multiplier x 100). */
  static Map<String, Integer> modifiers(Path dir) throws IOException {
    Map<String, Integer> out = new TreeMap<>();
    int section = -1;
    for (String l : lines(dir.resolve(DEGREE_FILE))) {
      String t = l.strip();
      if (t.matches("^[1-6]\\..*")) {
        section = t.charAt(0) - '1';
        continue;
      }
      String w = Scratch.streamForm(t);
      if (section >= 0 && isWord(w) && w.length() <= 4) {
        out.put(w, DEGREE_LEVELS[section]);
      }
    }
    for (String l : lines(dir.resolve(NEGATION_FILE))) {
      String w = Scratch.streamForm(l);
      if (isWord(w) && w.length() <= 4) {
        out.put(w, ChineseFeatures.NEGATION);
      }
    }
    return out;
  }

  /** VADER lexicon: token TAB mean valence TAB ...; words in sorted order. */
  static TreeMap<String, Float> vader(Path file) throws IOException {
    TreeMap<String, Float> out = new TreeMap<>();
    int lineNo = 0;
    for (String l : lines(file)) {
      lineNo++;
      if (l.isBlank()) {
        continue;
      }
      String[] f = l.split("\t");
      if (f.length < 2) {
        throw new IOException(
            file + ":" + lineNo + ": expected token TAB valence, found '" + l + "'");
      }
      try {
        out.put(f[0].strip().toLowerCase(java.util.Locale.ROOT), Float.parseFloat(f[1].strip()));
      } catch (NumberFormatException e) {
        throw new IOException(
            file + ":" + lineNo + ": field valence: not a number: '" + f[1] + "'");
      }
    }
    return out;
  }
}
