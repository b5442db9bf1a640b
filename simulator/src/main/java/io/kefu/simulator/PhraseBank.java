package io.kefu.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulator's phrase banks ({@code phrases.yaml}) and name lists ({@code names.yaml}), in
 * Chinese and English. Lists are addressed by a dotted path ending in the language, e.g. {@code
 * customer.opening.billing.zh}; violation entries carry the exact phrase that breaks the rule.
 */
final class PhraseBank {

  /** One rule-breaking agent line and the substring that breaks the rule. */
  record Violation(String text, String phrase) {}

  private final Map<String, String[]> lists = new HashMap<>();
  private final Map<String, Violation[]> violations = new HashMap<>();

  private PhraseBank() {}

  static PhraseBank load() {
    PhraseBank bank = new PhraseBank();
    bank.flatten("", read("phrases.yaml"));
    bank.flatten("names.", read("names.yaml"));
    return bank;
  }

  private static JsonNode read(String resource) {
    try (InputStream in = PhraseBank.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new ObjectMapper(new YAMLFactory()).readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private void flatten(String prefix, JsonNode node) {
    if (node.isArray()) {
      if (node.size() > 0 && node.get(0).isObject()) {
        List<Violation> items = new ArrayList<>();
        for (JsonNode item : node) {
          String text = item.path("text").asText();
          String phrase = item.path("phrase").asText();
          if (!text.contains(phrase) || phrase.isEmpty()) {
            throw new IllegalStateException(
                prefix + ": phrase \"" + phrase + "\" not in \"" + text + "\"");
          }
          items.add(new Violation(text, phrase));
        }
        violations.put(strip(prefix), items.toArray(new Violation[0]));
      } else {
        List<String> items = new ArrayList<>();
        for (JsonNode item : node) {
          items.add(item.asText());
        }
        lists.put(strip(prefix), items.toArray(new String[0]));
      }
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      flatten(prefix + e.getKey() + ".", e.getValue());
    }
  }

  private static String strip(String prefix) {
    return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  /** All entries of a list; fails loudly when the bank lacks it. */
  String[] list(String path) {
    String[] items = lists.get(path);
    if (items == null || items.length == 0) {
      throw new IllegalStateException("phrase bank has no entries at " + path);
    }
    return items;
  }

  String pick(String path, SplittableRandom rnd) {
    String[] items = list(path);
    return items[rnd.nextInt(items.length)];
  }

  Violation[] violations(String path) {
    Violation[] items = violations.get(path);
    if (items == null || items.length == 0) {
      throw new IllegalStateException("phrase bank has no violation entries at " + path);
    }
    return items;
  }

  Violation pickViolation(String path, SplittableRandom rnd) {
    Violation[] items = violations(path);
    return items[rnd.nextInt(items.length)];
  }
}
