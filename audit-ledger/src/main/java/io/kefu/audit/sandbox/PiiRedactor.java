package io.kefu.audit.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Finds personal data in free text and replaces it with typed placeholders ({@code [PHONE]}, {@code
 * [EMAIL]}, {@code [ID]}, {@code [CARD]}, {@code [NAME]}). One pass over the characters, no regular
 * expressions; a text without findings comes back as the same instance, and the scan allocates
 * nothing but small scratch arrays for the digit runs it classifies.
 *
 * <ul>
 *   <li>Phone: Chinese mobile numbers (11 digits, 1[3-9]…, optionally +86 / 0086 / 86), landlines
 *       (0 + area code, 10–12 digits: {@code 010-12345678}, {@code (0755) 1234567}) and
 *       international numbers written with {@code +} or {@code 00} (8–15 digits). Digit groups may
 *       be separated by a space, a dash or parentheses; full-width digits count as digits.
 *   <li>Resident ID: 17 digits and a check character with a valid GB 11643 (ISO 7064 MOD 11-2)
 *       check and a plausible birth date.
 *   <li>Bank card: 13–19 digits starting with 3–6 that pass the Luhn check.
 *   <li>E-mail: local part, {@code @}, a dotted domain whose last label has two letters or more.
 *   <li>Names: the names of a {@link NameDictionary} (the CRM's customers), when one is given.
 * </ul>
 *
 * A number must stand alone: a digit or an ASCII letter right before or after it (an order number
 * such as {@code DD20261115123456}, a longer digit string) keeps it from matching. Timestamps,
 * amounts and numbers whose check fails stay as they are. Thread-safe.
 */
public final class PiiRedactor {

  /** One finding: its kind and where it is in the original text, with the text as written. */
  public record Span(PiiType type, int start, int end, String value) {}

  /** The redacted text and what was taken out of it, in text order. */
  public record Result(String text, List<Span> spans) {
    public boolean changed() {
      return !spans.isEmpty();
    }
  }

  private static final int MAX_DIGITS = 48;
  private static final int MAX_GROUPS = 12;
  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] ID_CHECK = "10X98765432".toCharArray();
  private static final Comparator<Span> BY_START = Comparator.comparingInt(Span::start);

  private final NameDictionary names;

  private PiiRedactor(NameDictionary names) {
    this.names = names;
  }

  /** Phones, e-mails, resident IDs and cards. */
  public static PiiRedactor patterns() {
    return new PiiRedactor(null);
  }

  /** Phones, e-mails, resident IDs, cards and the names of {@code names}. */
  public static PiiRedactor withNames(NameDictionary names) {
    return new PiiRedactor(names);
  }

  /** The redacted text, with what was taken out. */
  public Result redact(String text) {
    List<Span> spans = find(text);
    if (spans.isEmpty()) {
      return new Result(text, spans);
    }
    return new Result(replace(text, spans), spans);
  }

  /** {@code text} with every span replaced by its placeholder ({@code spans} in text order). */
  public static String replace(String text, List<Span> spans) {
    StringBuilder sb = new StringBuilder(text.length());
    int from = 0;
    for (Span s : spans) {
      sb.append(text, from, s.start).append(s.type.placeholder());
      from = s.end;
    }
    return sb.append(text, from, text.length()).toString();
  }

  /** The findings in {@code text}, in text order, never overlapping. */
  public List<Span> find(String text) {
    if (text == null || text.isEmpty()) {
      return Collections.emptyList();
    }
    List<Span> out = emails(text);
    int n = text.length();
    int email = 0; // next e-mail span of out to skip over
    int[] found = null; // start, end, kind of a number's finding
    int i = 0;
    while (i < n) {
      if (out != null && email < out.size() && i >= out.get(email).start) {
        i = out.get(email++).end;
        continue;
      }
      char c = text.charAt(i);
      boolean plus = c == '+' || c == '\uFF0B';
      if ((digit(c) >= 0 || plus || c == '(') && boundaryBefore(text, i)) {
        if (found == null) {
          found = new int[3];
        }
        int limit = out == null || email >= out.size() ? n : out.get(email).start;
        int next = number(text, i, plus, limit, found);
        if (found[2] != 0) {
          if (out == null) {
            out = new ArrayList<>(2);
          }
          PiiType t = found[2] == 1 ? PiiType.PHONE : found[2] == 2 ? PiiType.ID : PiiType.CARD;
          out.add(email, new Span(t, found[0], found[1], text.substring(found[0], found[1])));
          email++;
        }
        i = Math.max(next, i + 1);
        continue;
      }
      i++;
    }
    if (names != null) {
      out = names.find(text, out);
    }
    if (out == null) {
      return Collections.emptyList();
    }
    out.sort(BY_START);
    return out;
  }

  // --- e-mail ----------------------------------------------------------------------------------

  private static List<Span> emails(String text) {
    List<Span> out = null;
    int at = text.indexOf('@');
    int lastEnd = 0;
    while (at >= 0) {
      int s = at;
      while (s > lastEnd && localChar(text.charAt(s - 1))) {
        s--;
      }
      while (s < at && text.charAt(s) == '.') {
        s++;
      }
      int e = at + 1;
      int n = text.length();
      while (e < n && domainChar(text.charAt(e))) {
        e++;
      }
      while (e > at + 1 && (text.charAt(e - 1) == '.' || text.charAt(e - 1) == '-')) {
        e--;
      }
      if (s < at && validDomain(text, at + 1, e)) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(new Span(PiiType.EMAIL, s, e, text.substring(s, e)));
        lastEnd = e;
        at = text.indexOf('@', e);
      } else {
        at = text.indexOf('@', at + 1);
      }
    }
    return out;
  }

  private static boolean validDomain(String text, int from, int to) {
    int lastDot = -1;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '.') {
        if (i == from || text.charAt(i - 1) == '.') {
          return false;
        }
        lastDot = i;
      }
    }
    if (lastDot < 0 || to - lastDot - 1 < 2) {
      return false;
    }
    for (int i = lastDot + 1; i < to; i++) {
      char c = text.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean localChar(char c) {
    return asciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static boolean domainChar(char c) {
    return asciiAlnum(c) || c == '.' || c == '-';
  }

  // --- numbers ---------------------------------------------------------------------------------

  /**
   * Reads the digit groups starting at {@code i} and classifies them. A run of groups may hold
   * several things ("2026-11-27 13812345678" is a date and a phone number), so the finding is the
   * one that starts at the earliest group: a resident ID or card (the whole run, or one unseparated
   * group), else the longest range of groups that reads as a phone number. Writes {@code start,
   * end, kind} of the finding to {@code found} (kind 0: none; 1 phone, 2 resident ID, 3 card) and
   * returns where scanning goes on: after the finding, or after the run when there is none.
   */
  private static int number(String text, int i, boolean plus, int limit, int[] found) {
    found[2] = 0;
    int q = plus ? i + 1 : i;
    if (!plus && text.charAt(q) == '(') {
      q++;
      if (q >= limit || digit(text.charAt(q)) != 0) {
        return q; // only a landline area code "(0…" opens with a parenthesis
      }
    }
    byte[] d = null;
    int[] groupDigits = null; // digits up to the end of group g
    int[] groupStart = null; // character where group g starts
    int[] groupEnd = null;
    int count = 0;
    int groups = 0;
    while (true) {
      int g = q;
      while (q < limit && count < MAX_DIGITS) {
        int v = digit(text.charAt(q));
        if (v < 0) {
          break;
        }
        if (d == null) {
          d = new byte[MAX_DIGITS];
          groupDigits = new int[MAX_GROUPS];
          groupStart = new int[MAX_GROUPS];
          groupEnd = new int[MAX_GROUPS];
        }
        d[count++] = (byte) v;
        q++;
      }
      if (q == g) {
        break;
      }
      if (count == MAX_DIGITS && q < limit && digit(text.charAt(q)) >= 0) {
        return skipDigits(text, q, limit); // far too long to be anything here
      }
      groupStart[groups] = groups == 0 ? i : g;
      groupDigits[groups] = count;
      groupEnd[groups] = q;
      groups++;
      if (groups == MAX_GROUPS || q >= limit) {
        break;
      }
      int sep = separator(text, q, limit);
      if (sep == 0) {
        break;
      }
      q += sep;
    }
    if (groups == 0) {
      return Math.max(q, i + 1);
    }
    int last = groups - 1;
    int runEnd = groupEnd[last];
    for (int a = 0; a < groups; a++) {
      boolean plusHere = plus && a == 0;
      int from = a == 0 ? 0 : groupDigits[a - 1];
      // the whole run (a = 0) or one unseparated group, as a resident ID or card
      if (!plusHere) {
        int kind = a == 0 ? idOrCard(text, d, 0, count, runEnd, true, limit) : 0;
        int b = a == 0 ? last : a;
        if (kind == 0 && (a > 0 || last > 0)) {
          b = a;
          kind = idOrCard(text, d, from, groupDigits[a] - from, groupEnd[a], a == last, limit);
        }
        if (kind != 0) {
          int e = groupEnd[b];
          return found(found, groupStart[a], kind == 4 ? e + 1 : e, kind == 4 ? 2 : kind);
        }
      }
      // phones: the longest range of whole groups from a that reads as one; inside a run (a > 0)
      // only a mobile number, which is specific enough not to be carved out of a longer number
      for (int b = last; b >= a; b--) {
        int e = groupEnd[b];
        if ((b < last || boundaryAfter(text, e))
            && phone(d, from, groupDigits[b] - from, plusHere, a == 0)) {
          return found(found, groupStart[a], e, 1);
        }
      }
    }
    return runEnd;
  }

  /**
   * Whether the {@code n} digits at {@code o} of {@code d}, ending at character {@code e}, are a
   * resident ID (2; 4 when its check character is an X after {@code e}) or a card (3); else 0.
   */
  private static int idOrCard(
      String text, byte[] d, int o, int n, int e, boolean lastGroup, int limit) {
    if (n == 17
        && lastGroup
        && e < limit
        && (text.charAt(e) == 'X' || text.charAt(e) == 'x')
        && boundaryAfter(text, e + 1)
        && residentId(d, o, 10)) {
      return 4;
    }
    if (lastGroup && !boundaryAfter(text, e)) {
      return 0;
    }
    if (n == 18 && residentId(d, o, d[o + 17])) {
      return 2;
    }
    if (n >= 13 && n <= 19 && d[o] >= 3 && d[o] <= 6 && luhn(d, o, n)) {
      return 3;
    }
    return 0;
  }

  private static int found(int[] found, int start, int end, int kind) {
    found[0] = start;
    found[1] = end;
    found[2] = kind;
    return end;
  }

  private static int skipDigits(String text, int q, int limit) {
    while (q < limit && digit(text.charAt(q)) >= 0) {
      q++;
    }
    return q;
  }

  /** Length of a separator between two digit groups at {@code q} (0: none). */
  private static int separator(String text, int q, int limit) {
    int k = 0;
    while (k < 2 && q + k < limit && separatorChar(text.charAt(q + k))) {
      k++;
    }
    if (k == 0 || q + k >= limit || digit(text.charAt(q + k)) < 0) {
      return 0;
    }
    if (k == 2 && text.charAt(q) == text.charAt(q + 1)) {
      return 0; // "  " or "--" is not how a number is written
    }
    return k;
  }

  private static boolean separatorChar(char c) {
    return c == ' ' || c == '-' || c == '\uFF0D' || c == '(' || c == ')' || c == '\u00A0';
  }

  private static boolean phone(byte[] d, int o, int n, boolean plus, boolean anyForm) {
    if (n < 8) {
      return false;
    }
    if (plus) {
      return n <= 15 && d[o] != 0;
    }
    if (n == 11 && mobile(d, o)) {
      return true;
    }
    if (n == 13 && d[o] == 8 && d[o + 1] == 6) {
      return mobile(d, o + 2);
    }
    if (n == 15 && d[o] == 0 && d[o + 1] == 0 && d[o + 2] == 8 && d[o + 3] == 6) {
      return mobile(d, o + 4);
    }
    if (!anyForm) {
      return false;
    }
    if (d[o] == 0 && d[o + 1] == 0) {
      return n >= 10 && n <= 17 && d[o + 2] != 0; // international, 00 + country code
    }
    return d[o] == 0 && n >= 10 && n <= 12; // Chinese landline: 0 + area code + 7-8 digits
  }

  private static boolean mobile(byte[] d, int from) {
    return d[from] == 1 && d[from + 1] >= 3;
  }

  /** GB 11643 check and a birth date in 1900–2099 that exists. {@code check} 10 stands for X. */
  private static boolean residentId(byte[] d, int o, int check) {
    if (d[o] == 0) {
      return false;
    }
    int year = d[o + 6] * 1000 + d[o + 7] * 100 + d[o + 8] * 10 + d[o + 9];
    int month = d[o + 10] * 10 + d[o + 11];
    int day = d[o + 12] * 10 + d[o + 13];
    if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) {
      return false;
    }
    if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return false;
    }
    int sum = 0;
    for (int k = 0; k < 17; k++) {
      sum += d[o + k] * ID_WEIGHTS[k];
    }
    char expected = ID_CHECK[sum % 11];
    return expected == 'X' ? check == 10 : check == expected - '0';
  }

  private static boolean luhn(byte[] d, int o, int n) {
    int sum = 0;
    boolean dbl = false;
    for (int k = o + n - 1; k >= o; k--) {
      int v = d[k];
      if (dbl) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  /** The value of an ASCII or full-width digit, else -1. */
  static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= '\uFF10' && c <= '\uFF19') {
      return c - '\uFF10';
    }
    return -1;
  }

  static boolean asciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean boundaryBefore(String text, int i) {
    if (i == 0) {
      return true;
    }
    char p = text.charAt(i - 1);
    return !asciiAlnum(p) && digit(p) < 0 && p != '+' && p != '.';
  }

  private static boolean boundaryAfter(String text, int i) {
    if (i >= text.length()) {
      return true;
    }
    char c = text.charAt(i);
    return !asciiAlnum(c) && digit(c) < 0;
  }
}
