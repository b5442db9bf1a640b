package io.kefu.core.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a labelled CSV (RFC 4180 quoting, UTF-8, optional BOM) whose header names a {@code label}
 * column (1 positive, 0 negative) and a text column ({@code review} or {@code text}). Rows with an
 * empty text are skipped; any other bad row fails with the file, line and field.
 */
public final class LabelledCsv {
  private LabelledCsv() {}

  /** Thrown for a malformed file; the message names file, line and field. */
  public static final class FormatException extends IOException {
    public FormatException(String message) {
      super(message);
    }
  }

  public static List<LabelledReview> read(Path file) throws IOException {
    List<LabelledReview> rows = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null) {
        throw new FormatException(file + ":1: empty file, expected a header with label and review");
      }
      List<String> names = parse(stripBom(header), file, 1);
      int label = names.indexOf("label");
      int text = names.indexOf("review");
      if (text < 0) {
        text = names.indexOf("text");
      }
      if (label < 0 || text < 0) {
        throw new FormatException(
            file
                + ":1: header "
                + names
                + " lacks "
                + (label < 0 ? "label" : "review")
                + " column");
      }
      long line = 1;
      String l;
      while ((l = r.readLine()) != null) {
        line++;
        long start = line;
        while (unbalanced(l)) {
          String more = r.readLine();
          if (more == null) {
            throw new FormatException(file + ":" + start + ": unterminated quoted field");
          }
          line++;
          l = l + "\n" + more;
        }
        if (l.isBlank()) {
          continue;
        }
        List<String> f = parse(l, file, start);
        if (f.size() <= Math.max(label, text)) {
          throw new FormatException(
              file
                  + ":"
                  + start
                  + ": "
                  + f.size()
                  + " fields, expected at least "
                  + (Math.max(label, text) + 1));
        }
        String lv = f.get(label).strip();
        int y;
        if (lv.equals("1")) {
          y = 1;
        } else if (lv.equals("0")) {
          y = 0;
        } else {
          throw new FormatException(
              file + ":" + start + ": field label: expected 0 or 1, found '" + lv + "'");
        }
        String t = HeldOutSplit.key(f.get(text));
        if (!t.isEmpty()) {
          rows.add(new LabelledReview(start, y, t));
        }
      }
    }
    return rows;
  }

  private static String stripBom(String s) {
    return !s.isEmpty() && s.charAt(0) == 0xFEFF ? s.substring(1) : s;
  }

  private static boolean unbalanced(String l) {
    int quotes = 0;
    for (int i = 0; i < l.length(); i++) {
      if (l.charAt(i) == '"') {
        quotes++;
      }
    }
    return (quotes & 1) == 1;
  }

  static List<String> parse(String line, Path file, long lineNo) throws FormatException {
    List<String> out = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      sb.setLength(0);
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new FormatException(
                file + ":" + lineNo + ": field " + (out.size() + 1) + ": unterminated quote");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              sb.append('"');
              i++;
            } else {
              break;
            }
          } else {
            sb.append(c);
          }
        }
        if (i < n && line.charAt(i) != ',') {
          throw new FormatException(
              file + ":" + lineNo + ": field " + (out.size() + 1) + ": text after closing quote");
        }
      } else {
        while (i < n && line.charAt(i) != ',') {
          sb.append(line.charAt(i++));
        }
      }
      out.add(sb.toString());
      if (i >= n) {
        return out;
      }
      i++; // the comma
    }
  }
}
