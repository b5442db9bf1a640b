package io.kefu.core.qa;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kefu.schemas.Channel;
import io.kefu.schemas.QaRuleKind;
import io.kefu.schemas.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A versioned set of quality-inspection rules, parsed strictly from YAML:
 *
 * <pre>
 * version: "2025.1"
 * rules:
 *   - id: promise
 *     kind: UNKEPT_PROMISE        # a {@link QaRuleKind}
 *     description: 不承诺无法实现的服务
 *     roles: [AGENT]              # scope; channels, queues likewise; empty or absent = all
 *     penalty: 5
 *     phrases: {zh: [保证, 一定], en: [I guarantee]}   # or a flat list
 *     regexes: ["...", {pattern: "...", check: LUHN}]
 *     exceptions: {phrases: [不一定, 一定要], regexes: []}
 *     position: first | last      # REQUIRED_PHRASE only
 *     seconds: 60                 # SLOW_REPLY, UNESCALATED_ANGER
 *     threshold: 0.8              # UNESCALATED_ANGER
 * </pre>
 *
 * Unknown keys, missing fields, bad regexes and bad enum values throw {@link QaRuleException}
 * naming the file, the rule and the field. The set is serializable as its source text, and
 * recompiled where it is read.
 */
public final class QaRuleSet implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String DEFAULT_RESOURCE = "default-rules.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static final Set<String> TOP_KEYS = Set.of("version", "description", "rules");
  private static final Set<String> RULE_KEYS =
      Set.of(
          "id",
          "kind",
          "description",
          "roles",
          "channels",
          "queues",
          "penalty",
          "phrases",
          "regexes",
          "exceptions",
          "position",
          "seconds",
          "threshold");
  private static final Set<String> EXCEPTION_KEYS = Set.of("phrases", "regexes");
  private static final Set<String> REGEX_KEYS = Set.of("pattern", "check");
  private static final Set<QaRuleKind> TIMED =
      EnumSet.of(QaRuleKind.SLOW_REPLY, QaRuleKind.UNESCALATED_ANGER);

  private final String yaml;
  private final String source;
  private final String version;
  private final transient List<QaRule> rules;

  private QaRuleSet(String yaml, String source, String version, List<QaRule> rules) {
    this.yaml = yaml;
    this.source = source;
    this.version = version;
    this.rules = rules;
  }

  /** Reads and parses a rule file; a bad file throws {@link QaRuleException}. */
  public static QaRuleSet load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Parses rules; {@code source} names the file in error messages. */
  public static QaRuleSet parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new QaRuleException(source, null, null, "not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new QaRuleException(source, null, null, "expected a mapping with version and rules");
    }
    unknownKeys(root, TOP_KEYS, source, null, null);
    JsonNode v = root.get("version");
    if (v == null || !v.isValueNode() || v.asText().isBlank()) {
      throw new QaRuleException(source, null, "version", "missing or not a scalar");
    }
    JsonNode list = root.get("rules");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new QaRuleException(source, null, "rules", "missing or not a non-empty list");
    }
    List<QaRule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      QaRule rule = rule(list.get(i), i, source);
      if (!ids.add(rule.id())) {
        throw new QaRuleException(source, rule.id(), "id", "duplicate rule id");
      }
      rules.add(rule);
    }
    String version = v.asText().trim() + "@" + sha256(yaml).substring(0, 12);
    return new QaRuleSet(yaml, source, version, List.copyOf(rules));
  }

  /** The default Chinese and English rule set shipped with core. */
  public static QaRuleSet defaults() {
    try (InputStream in = QaRuleSet.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource io/kefu/core/qa/" + DEFAULT_RESOURCE);
      }
      return parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "classpath:io/kefu/core/qa/" + DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code <declared version>@<first 12 hex of SHA-256 of the file>}, stored with every result. */
  public String version() {
    return version;
  }

  public List<QaRule> rules() {
    return rules;
  }

  /** The name of the file the rules came from. */
  public String source() {
    return source;
  }

  /** The rule file's text, as parsed. */
  public String text() {
    return yaml;
  }

  @Override
  public String toString() {
    return "QaRuleSet[" + source + ", " + version + ", " + rules.size() + " rules]";
  }

  // Serialized as the source text: compiled regexes and the automaton are rebuilt where read.
  private Object writeReplace() {
    return new Form(yaml, source);
  }

  private void readObject(ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("QaRuleSet is serialized through its form");
  }

  private record Form(String yaml, String source) implements Serializable {
    private Object readResolve() {
      return parse(yaml, source);
    }
  }

  // --- parsing ------------------------------------------------------------------------------

  private static QaRule rule(JsonNode node, int index, String source) {
    String label = "#" + (index + 1);
    if (node == null || !node.isObject()) {
      throw new QaRuleException(source, label, null, "a rule must be a mapping");
    }
    JsonNode idNode = node.get("id");
    if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
      throw new QaRuleException(source, label, "id", "missing or not a string");
    }
    String id = idNode.asText();
    unknownKeys(node, RULE_KEYS, source, id, null);
    QaRuleKind kind = enumValue(node, "kind", QaRuleKind.class, source, id);
    String description = requiredText(node, "description", source, id);
    Set<Role> roles = enumSet(node, "roles", Role.class, source, id);
    Set<Channel> channels = enumSet(node, "channels", Channel.class, source, id);
    Set<String> queues = new LinkedHashSet<>(strings(node.get("queues"), "queues", source, id));
    double penalty = number(node, "penalty", source, id, true);
    if (penalty < 0) {
      throw new QaRuleException(source, id, "penalty", "must be >= 0, is " + penalty);
    }
    Map<String, List<String>> phrases = phrases(node.get("phrases"), "phrases", source, id);
    List<QaRegex> regexes = regexes(node.get("regexes"), "regexes", source, id);
    List<String> exceptionPhrases = List.of();
    List<QaRegex> exceptionRegexes = List.of();
    JsonNode exceptions = node.get("exceptions");
    if (exceptions != null) {
      if (!exceptions.isObject()) {
        throw new QaRuleException(
            source, id, "exceptions", "must be a mapping with phrases and/or regexes");
      }
      unknownKeys(exceptions, EXCEPTION_KEYS, source, id, "exceptions.");
      exceptionPhrases =
          phrases(exceptions.get("phrases"), "exceptions.phrases", source, id).values().stream()
              .flatMap(List::stream)
              .toList();
      exceptionRegexes = regexes(exceptions.get("regexes"), "exceptions.regexes", source, id);
    }
    boolean text = !phrases.isEmpty() || !regexes.isEmpty();
    QaRule.Position position = null;
    double seconds = Double.NaN;
    double threshold = Double.NaN;
    if (TIMED.contains(kind)) {
      for (String f : List.of("phrases", "regexes", "exceptions", "position")) {
        forbid(node, f, kind, source, id);
      }
      seconds = number(node, "seconds", source, id, true);
      if (!(seconds > 0)) {
        throw new QaRuleException(source, id, "seconds", "must be > 0, is " + seconds);
      }
      if (kind == QaRuleKind.UNESCALATED_ANGER) {
        threshold = number(node, "threshold", source, id, true);
        if (!(threshold >= 0 && threshold <= 1)) {
          throw new QaRuleException(source, id, "threshold", "must be in [0, 1], is " + threshold);
        }
      } else {
        forbid(node, "threshold", kind, source, id);
      }
    } else {
      forbid(node, "seconds", kind, source, id);
      forbid(node, "threshold", kind, source, id);
      if (!text) {
        throw new QaRuleException(
            source, id, "phrases", "missing: a " + kind + " rule needs phrases or regexes");
      }
      if (kind == QaRuleKind.REQUIRED_PHRASE) {
        JsonNode p = node.get("position");
        if (p == null || !p.isTextual()) {
          throw new QaRuleException(source, id, "position", "missing: first or last");
        }
        try {
          position = QaRule.Position.valueOf(p.asText().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new QaRuleException(
              source, id, "position", "\"" + p.asText() + "\" is not first or last");
        }
      } else {
        forbid(node, "position", kind, source, id);
      }
    }
    return new QaRule(
        id,
        kind,
        description,
        roles,
        channels,
        queues,
        penalty,
        phrases,
        regexes,
        exceptionPhrases,
        exceptionRegexes,
        position,
        seconds,
        threshold);
  }

  private static void unknownKeys(
      JsonNode node, Set<String> allowed, String source, String id, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new QaRuleException(
            source,
            id,
            (prefix == null ? "" : prefix) + key,
            "unknown key; allowed: " + new java.util.TreeSet<>(allowed));
      }
    }
  }

  private static void forbid(
      JsonNode node, String field, QaRuleKind kind, String source, String id) {
    if (node.has(field)) {
      throw new QaRuleException(source, id, field, "not allowed for a " + kind + " rule");
    }
  }

  private static String requiredText(JsonNode node, String field, String source, String id) {
    JsonNode n = node.get(field);
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw new QaRuleException(source, id, field, "missing or not a string");
    }
    return n.asText();
  }

  private static double number(
      JsonNode node, String field, String source, String id, boolean required) {
    JsonNode n = node.get(field);
    if (n == null) {
      if (required) {
        throw new QaRuleException(source, id, field, "missing");
      }
      return Double.NaN;
    }
    if (!n.isNumber()) {
      throw new QaRuleException(source, id, field, "\"" + n.asText() + "\" is not a number");
    }
    return n.asDouble();
  }

  private static <E extends Enum<E>> E enumValue(
      JsonNode node, String field, Class<E> type, String source, String id) {
    JsonNode n = node.get(field);
    if (n == null || !n.isTextual()) {
      throw new QaRuleException(source, id, field, "missing or not a string");
    }
    return parseEnum(n.asText(), type, source, id, field);
  }

  private static <E extends Enum<E>> E parseEnum(
      String value, Class<E> type, String source, String id, String field) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new QaRuleException(
          source,
          id,
          field,
          "\"" + value + "\" is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  private static <E extends Enum<E>> Set<E> enumSet(
      JsonNode node, String field, Class<E> type, String source, String id) {
    List<String> values = strings(node.get(field), field, source, id);
    Set<E> set = EnumSet.noneOf(type);
    for (int i = 0; i < values.size(); i++) {
      set.add(parseEnum(values.get(i), type, source, id, field + "[" + i + "]"));
    }
    return set;
  }

  private static List<String> strings(JsonNode n, String field, String source, String id) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new QaRuleException(source, id, field, "must be a list");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
        throw new QaRuleException(source, id, field + "[" + i + "]", "must be a non-empty string");
      }
      out.add(item.asText());
    }
    return out;
  }

  private static Map<String, List<String>> phrases(
      JsonNode n, String field, String source, String id) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isArray()) {
      List<String> flat = checkedPhrases(n, field, source, id);
      if (!flat.isEmpty()) {
        out.put("*", flat);
      }
      return out;
    }
    if (!n.isObject()) {
      throw new QaRuleException(source, id, field, "must be a list or a map of language to list");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = field + "." + e.getKey();
      if (!e.getValue().isArray()) {
        throw new QaRuleException(source, id, f, "must be a list");
      }
      List<String> list = checkedPhrases(e.getValue(), f, source, id);
      if (!list.isEmpty()) {
        out.put(e.getKey(), list);
      }
    }
    return out;
  }

  private static List<String> checkedPhrases(JsonNode n, String field, String source, String id) {
    List<String> list = strings(n, field, source, id);
    for (int i = 0; i < list.size(); i++) {
      if (QaText.normalise(list.get(i)).isEmpty()) {
        throw new QaRuleException(source, id, field + "[" + i + "]", "empty after normalisation");
      }
    }
    return list;
  }

  private static List<QaRegex> regexes(JsonNode n, String field, String source, String id) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new QaRuleException(source, id, field, "must be a list");
    }
    List<QaRegex> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      String f = field + "[" + i + "]";
      JsonNode item = n.get(i);
      String pattern;
      QaRegex.Check check = QaRegex.Check.NONE;
      if (item.isTextual()) {
        pattern = item.asText();
      } else if (item.isObject()) {
        unknownKeys(item, REGEX_KEYS, source, id, f + ".");
        pattern = requiredText(item, "pattern", source, id);
        JsonNode c = item.get("check");
        if (c != null) {
          if (!c.isTextual()) {
            throw new QaRuleException(source, id, f + ".check", "not a string");
          }
          check = parseEnum(c.asText(), QaRegex.Check.class, source, id, f + ".check");
        }
      } else {
        throw new QaRuleException(source, id, f, "must be a string or {pattern, check}");
      }
      if (pattern.isEmpty()) {
        throw new QaRuleException(source, id, f, "empty regex");
      }
      Pattern compiled;
      try {
        compiled = Pattern.compile(pattern, Pattern.CASE_INSENSITIVE);
      } catch (PatternSyntaxException e) {
        throw new QaRuleException(
            source, id, f, "bad regex /" + pattern + "/: " + e.getDescription(), e);
      }
      if (compiled.matcher("").matches()) {
        throw new QaRuleException(source, id, f, "regex /" + pattern + "/ matches empty text");
      }
      out.add(new QaRegex(pattern, check, compiled));
    }
    return out;
  }

  private static String sha256(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(64);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
