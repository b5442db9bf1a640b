package io.kefu.core.qa;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A regex of a rule, compiled once, with an optional check of the digits it matched (so that only a
 * valid card or ID number counts). Regexes run over the normalised text (half-width, lower case,
 * whitespace collapsed) and are case-insensitive.
 */
public final class QaRegex {

  /** A validation of the digits of a match; a match that fails it is no hit. */
  public enum Check {
    NONE,
    /** Luhn (mod 10), as on bank cards. */
    LUHN,
    /** GB 11643 (ISO 7064 MOD 11-2) check character and a plausible birth date. */
    CN_RESIDENT_ID
  }

  private final String pattern;
  private final Check check;
  private final Pattern compiled;

  QaRegex(String pattern, Check check, Pattern compiled) {
    this.pattern = pattern;
    this.check = check;
    this.compiled = compiled;
  }

  public String pattern() {
    return pattern;
  }

  public Check check() {
    return check;
  }

  Pattern compiled() {
    return compiled;
  }

  /** Whether a match (as it appears in the normalised text) passes the check. */
  boolean accepts(CharSequence match) {
    switch (check) {
      case LUHN:
        return luhn(digits(match));
      case CN_RESIDENT_ID:
        return residentId(match);
      default:
        return true;
    }
  }

  private static String digits(CharSequence s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static boolean luhn(String digits) {
    if (digits.length() < 12) {
      return false;
    }
    int sum = 0;
    boolean doubleIt = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return sum % 10 == 0;
  }

  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] ID_CHECK = {'1', '0', 'x', '9', '8', '7', '6', '5', '4', '3', '2'};

  static boolean residentId(CharSequence match) {
    StringBuilder sb = new StringBuilder(18);
    for (int i = 0; i < match.length(); i++) {
      char c = Character.toLowerCase(match.charAt(i));
      if ((c >= '0' && c <= '9') || c == 'x') {
        sb.append(c);
      }
    }
    if (sb.length() != 18) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      char c = sb.charAt(i);
      if (c == 'x') {
        return false;
      }
      sum += (c - '0') * ID_WEIGHTS[i];
    }
    if (ID_CHECK[sum % 11] != sb.charAt(17)) {
      return false;
    }
    int year = Integer.parseInt(sb.substring(6, 10));
    int month = Integer.parseInt(sb.substring(10, 12));
    int day = Integer.parseInt(sb.substring(12, 14));
    return year >= 1900 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QaRegex r && r.pattern.equals(pattern) && r.check == check;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern, check);
  }

  @Override
  public String toString() {
    return check == Check.NONE ? pattern : pattern + " (" + check + ")";
  }
}
