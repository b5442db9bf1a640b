package io.kefu.audit.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ahocorasick.trie.Emit;
import org.ahocorasick.trie.Trie;

/**
 * The customers' names of a CRM extract, matched in text with one Aho-Corasick automaton
 * (org.ahocorasick), ignoring case. A name that begins or ends with a Latin letter must stand as a
 * word ("Ann Lee" does not match inside "Joann Leeds"); Chinese names match anywhere. Names shorter
 * than two characters are ignored: a single character is not a name one can find.
 */
public final class NameDictionary {

  private final Trie trie;
  private final int size;

  private NameDictionary(Collection<String> names) {
    Trie.TrieBuilder b = Trie.builder().ignoreCase().ignoreOverlaps();
    int n = 0;
    for (String name : names) {
      String t = name == null ? "" : name.strip();
      if (t.length() >= 2) {
        b.addKeyword(t);
        n++;
      }
    }
    this.trie = b.build();
    this.size = n;
  }

  public static NameDictionary of(Collection<String> names) {
    return new NameDictionary(names);
  }

  /**
   * Reads the {@code name} of every record of a CRM file: JSON lines of {@code CustomerRecord}
   * ({@code customers.jsonl}, as the simulator writes it).
   */
  public static NameDictionary load(Path customersJsonl) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> names = new LinkedHashSet<>();
    try (BufferedReader in = Files.newBufferedReader(customersJsonl, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = in.readLine()) != null) {
        no++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = json.readTree(line);
        } catch (IOException e) {
          throw new IOException(customersJsonl + ":" + no + ": not JSON: " + e.getMessage(), e);
        }
        JsonNode name = node.get("name");
        if (name != null && name.isTextual()) {
          names.add(name.asText());
        }
      }
    }
    return new NameDictionary(names);
  }

  /** Number of names matched. */
  public int size() {
    return size;
  }

  /** Adds the names found in {@code text} that overlap nothing in {@code spans} (may be null). */
  List<PiiRedactor.Span> find(String text, List<PiiRedactor.Span> spans) {
    if (size == 0) {
      return spans;
    }
    Collection<Emit> emits = trie.parseText(text);
    if (emits.isEmpty()) {
      return spans;
    }
    List<PiiRedactor.Span> out = spans;
    for (Emit e : emits) {
      int s = e.getStart();
      int end = e.getEnd() + 1;
      if (!wordEdge(text, s, end) || overlaps(spans, s, end)) {
        continue;
      }
      if (out == null) {
        out = new ArrayList<>(2);
      }
      out.add(new PiiRedactor.Span(PiiType.NAME, s, end, text.substring(s, end)));
    }
    return out;
  }

  private static boolean wordEdge(String text, int s, int e) {
    if (latin(text.charAt(s)) && s > 0 && latin(text.charAt(s - 1))) {
      return false;
    }
    return !(latin(text.charAt(e - 1)) && e < text.length() && latin(text.charAt(e)));
  }

  private static boolean latin(char c) {
    return PiiRedactor.asciiAlnum(c) || (c >= '\u00C0' && c < '\u0250');
  }

  private static boolean overlaps(List<PiiRedactor.Span> spans, int s, int e) {
    if (spans == null) {
      return false;
    }
    for (PiiRedactor.Span x : spans) {
      if (x.start() < e && s < x.end()) {
        return true;
      }
    }
    return false;
  }
}
