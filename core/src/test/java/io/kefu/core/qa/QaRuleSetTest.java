package io.kefu.core.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kefu.schemas.QaRuleKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QaRuleSetTest {

  static final String GOOD =
      """
      version: "7"
      rules:
        - id: promise
          kind: UNKEPT_PROMISE
          description: promises
          roles: [AGENT]
          penalty: 5
          phrases: [保证]
      """;

  @Test
  void versionIsDeclaredVersionAndTheFileHash() {
    QaRuleSet rules = QaRuleSet.parse(GOOD, "good.yaml");
    assertTrue(Pattern.matches("7@[0-9a-f]{12}", rules.version()), rules.version());
    assertNotEquals(rules.version(), QaRuleSet.parse(GOOD + "\n", "good.yaml").version());
    assertEquals(rules.version(), QaRuleSet.parse(GOOD, "other.yaml").version());
  }

  @Test
  void loadReadsAFileAndHashesItsBytes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, GOOD, StandardCharsets.UTF_8);
    assertEquals(QaRuleSet.parse(GOOD, "x").version(), QaRuleSet.load(file).version());
    Files.writeString(file, GOOD.replace("penalty: 5", "penalty: lots"));
    QaRuleException e = assertThrows(QaRuleException.class, () -> QaRuleSet.load(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertEquals("promise", e.ruleId());
    assertEquals("penalty", e.field());
  }

  @Test
  void defaultRulesCoverEveryKindWithSeveralHundredPhrases() {
    QaRuleSet d = QaRuleSet.defaults();
    assertTrue(d.version().startsWith("2025.1@"), d.version());
    assertEquals(
        java.util.EnumSet.allOf(QaRuleKind.class),
        d.rules().stream()
            .map(QaRule::kind)
            .collect(
                java.util.stream.Collectors.toCollection(
                    () -> java.util.EnumSet.noneOf(QaRuleKind.class))));
    int phrases = d.rules().stream().mapToInt(r -> r.allPhrases().size()).sum();
    assertTrue(phrases >= 500, "phrases: " + phrases);
  }

  /** Each bad rule file names the file, the rule and the field. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown key           | penalty: 5|penalty: 5\\n    colour: red        | promise | colour",
        "missing penalty       | penalty: 5|                                   | promise | penalty",
        "negative penalty      | penalty: 5|penalty: -1                        | promise | penalty",
        "bad kind              | UNKEPT_PROMISE|PROMISES                       | promise | kind",
        "bad role              | [AGENT]|[AGENTS]                              | promise | roles[0]",
        "bad channel           | penalty: 5|penalty: 5\\n    channels: [FAX]   | promise | channels[0]",
        "bad regex             | phrases: [保证]|regexes: [\"(保证\"]          | promise | regexes[0]",
        "bad regex check       | phrases: [保证]|regexes: [{pattern: \"[0-9]+\", check: CRC}] | promise | regexes[0].check",
        "empty-matching regex  | phrases: [保证]|regexes: [\"x*\"]             | promise | regexes[0]",
        "no phrases            | phrases: [保证]|                              | promise | phrases",
        "blank phrase          | [保证]|[\"保证\", \" \"]                      | promise | phrases[1]",
        "unknown exception key | penalty: 5|penalty: 5\\n    exceptions: {words: [a]} | promise | exceptions.words",
        "seconds on phrases    | penalty: 5|penalty: 5\\n    seconds: 60       | promise | seconds",
        "missing description   | description: promises|                        | promise | description",
      })
  void badRuleNamesFileRuleAndField(
      String name, String from, String to, String rule, String field) {
    String yaml = GOOD.replace(from, to == null ? "" : to.replace("\\n", "\n"));
    QaRuleException e =
        assertThrows(QaRuleException.class, () -> QaRuleSet.parse(yaml, "bad.yaml"), name);
    assertEquals("bad.yaml", e.source());
    assertEquals(rule, e.ruleId(), e.getMessage());
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("bad.yaml: rule \"" + rule + "\" field \"" + field + "\""),
        e.getMessage());
  }

  @Test
  void timedAndPositionedRulesNeedTheirParameters() {
    String slow =
        """
        version: 1
        rules:
          - id: slow
            kind: SLOW_REPLY
            description: slow
            penalty: 2
        """;
    assertField("slow", "seconds", slow);
    assertField(
        "slow",
        "phrases",
        slow.replace("penalty: 2", "penalty: 2\n    seconds: 60\n    phrases: [x]"));
    assertField("slow", "seconds", slow.replace("penalty: 2", "penalty: 2\n    seconds: 0"));
    String anger =
        slow.replace("SLOW_REPLY", "UNESCALATED_ANGER")
            .replace("penalty: 2", "penalty: 2\n    seconds: 60");
    assertField("slow", "threshold", anger);
    assertField("slow", "threshold", anger + "    threshold: 1.5\n");
    String greeting =
        """
        version: 1
        rules:
          - id: hello
            kind: REQUIRED_PHRASE
            description: greet
            penalty: 2
            phrases: [您好]
        """;
    assertField("hello", "position", greeting);
    assertField("hello", "position", greeting + "    position: middle\n");
    assertEquals(
        QaRule.Position.LAST,
        QaRuleSet.parse(greeting + "    position: last\n", "x").rules().get(0).position());
  }

  @Test
  void fileLevelErrors() {
    assertField("#2", "id", GOOD + "  - kind: JARGON\n");
    assertField("promise", "id", GOOD + GOOD.substring(GOOD.indexOf("  - id")));
    QaRuleException noVersion =
        assertThrows(
            QaRuleException.class,
            () -> QaRuleSet.parse(GOOD.replace("version: \"7\"\n", ""), "f"));
    assertEquals("version", noVersion.field());
    QaRuleException top =
        assertThrows(QaRuleException.class, () -> QaRuleSet.parse("owner: me\n" + GOOD, "f"));
    assertEquals("owner", top.field());
    assertThrows(QaRuleException.class, () -> QaRuleSet.parse("rules: [", "f"));
    assertThrows(QaRuleException.class, () -> QaRuleSet.parse("version: 1\nrules: []\n", "f"));
  }

  private static void assertField(String rule, String field, String yaml) {
    QaRuleException e =
        assertThrows(QaRuleException.class, () -> QaRuleSet.parse(yaml, "f.yaml"), yaml);
    assertEquals(rule, e.ruleId(), e.getMessage());
    assertEquals(field, e.field(), e.getMessage());
  }
}
