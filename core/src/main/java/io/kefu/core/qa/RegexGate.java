package io.kefu.core.qa;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a text must contain for a regex to match it, found by a conservative reading of the pattern:
 * a set of literals of which every match contains at least one (looked up in the same Aho-Corasick
 * pass as the phrases), or else whether every match contains a digit. A regex whose pattern says
 * neither is run on every message. Constructs the reader does not understand make it give up (run
 * always), never guess.
 */
final class RegexGate {

  /** Literals (normalised) of which any match contains one; null when none could be derived. */
  final Set<String> literals;

  /** The fewest ASCII digits any match contains (0 when unknown). */
  final int minDigits;

  private RegexGate(Set<String> literals, int minDigits) {
    this.literals = literals;
    this.minDigits = minDigits;
  }

  static RegexGate of(String pattern) {
    Req r;
    try {
      r = new Reader(pattern).alternation(pattern.length());
    } catch (RuntimeException e) {
      r = Req.NONE;
    }
    return new RegexGate(r.literals, r.digits);
  }

  /** A requirement: one of the literals (null = unknown) and at least {@code digits} digits. */
  private record Req(Set<String> literals, int digits) {
    static final Req NONE = new Req(null, 0);
  }

  private static final class Unsupported extends RuntimeException {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static final class Reader {
    final String p;
    int i;

    Reader(String p) {
      this.p = p;
    }

    /** Branches separated by top-level '|' up to {@code end}. */
    Req alternation(int end) {
      List<Req> branches = new ArrayList<>();
      branches.add(sequence(end));
      while (i < end && p.charAt(i) == '|') {
        i++;
        branches.add(sequence(end));
      }
      if (branches.size() == 1) {
        return branches.get(0);
      }
      Set<String> all = new LinkedHashSet<>();
      int digits = Integer.MAX_VALUE;
      boolean literals = true;
      for (Req b : branches) {
        digits = Math.min(digits, b.digits);
        if (b.literals == null) {
          literals = false;
        } else {
          all.addAll(b.literals);
        }
      }
      return new Req(literals ? all : null, digits);
    }

    /** A sequence of atoms up to '|', ')' or {@code end}. */
    Req sequence(int end) {
      StringBuilder run = new StringBuilder();
      Set<String> best = null;
      int digits = 0;
      while (i < end && p.charAt(i) != '|' && p.charAt(i) != ')') {
        char c = p.charAt(i);
        Req atom;
        String literal = null;
        if (c == '\\') {
          char e = p.charAt(i + 1);
          i += 2;
          if (e == 'd') {
            atom = new Req(null, 1);
          } else if (Character.isLetterOrDigit(e)) {
            if (e == 'p' || e == 'P') {
              skipBraces();
            } else if (e == 'Q' || e == 'x' || e == 'u' || e == 'c' || e == 'k' || e == 'N') {
              throw new Unsupported();
            }
            atom = Req.NONE;
          } else {
            literal = String.valueOf(e);
            atom = null;
          }
        } else if (c == '[') {
          int start = i;
          skipClass();
          String body = p.substring(start + 1, i - 1);
          atom = new Req(null, body.matches("(?:[0-9]|[0-9]-[0-9])+") ? 1 : 0);
        } else if (c == '(') {
          i++;
          boolean zeroWidth = false;
          if (i < end && p.charAt(i) == '?') {
            char k = p.charAt(i + 1);
            if (k == ':') {
              i += 2;
            } else if (k == '=' || k == '!') {
              zeroWidth = true;
              i += 2;
            } else if (k == '<' && (p.charAt(i + 2) == '=' || p.charAt(i + 2) == '!')) {
              zeroWidth = true;
              i += 3;
            } else if (k == '<') {
              i = p.indexOf('>', i) + 1;
            } else {
              throw new Unsupported(); // inline flags and other group kinds
            }
          }
          Req inner = alternation(end);
          if (i >= end || p.charAt(i) != ')') {
            throw new Unsupported();
          }
          i++;
          atom = zeroWidth ? Req.NONE : inner;
        } else if (c == '.' || c == '^' || c == '$') {
          i++;
          atom = Req.NONE;
        } else if (c == '*' || c == '+' || c == '?' || c == '{') {
          throw new Unsupported(); // a quantifier without an atom
        } else if (Character.isWhitespace(c)) {
          i++;
          atom = Req.NONE; // the text's whitespace is collapsed: never part of a literal
        } else {
          literal = String.valueOf(QaText.fold(c));
          i++;
          atom = null;
        }
        boolean optional = false;
        boolean repeated = false;
        int times = 1;
        if (i < end) {
          char q = p.charAt(i);
          if (q == '?' || q == '*') {
            optional = true;
            i++;
          } else if (q == '+') {
            repeated = true;
            i++;
          } else if (q == '{') {
            int close = p.indexOf('}', i);
            String body = p.substring(i + 1, close);
            i = close + 1;
            int min = Integer.parseInt(body.split(",", -1)[0].trim());
            optional = min == 0;
            times = min;
            repeated = !body.equals("1");
          }
          if (optional || repeated) {
            if (i < end && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
              i++; // lazy or possessive
            }
          }
        }
        if (literal != null && !optional) {
          if (literal.charAt(0) >= '0' && literal.charAt(0) <= '9') {
            digits += times;
          }
          run.append(literal);
          if (repeated) {
            best = better(best, run);
            run.setLength(0);
          }
          continue;
        }
        best = better(best, run);
        run.setLength(0);
        if (optional || atom == null) {
          continue;
        }
        digits += atom.digits * times;
        if (atom.literals != null) {
          best = better(best, atom.literals);
        }
      }
      best = better(best, run);
      return new Req(best, digits);
    }

    private static Set<String> better(Set<String> best, CharSequence run) {
      if (!useful(run)) {
        return best;
      }
      return better(best, Set.of(run.toString()));
    }

    /** The candidate whose shortest literal is longest: the most selective gate. */
    private static Set<String> better(Set<String> best, Set<String> candidate) {
      for (String s : candidate) {
        if (!useful(s)) {
          return best;
        }
      }
      if (best == null || shortest(candidate) > shortest(best)) {
        return candidate;
      }
      return best;
    }

    private static boolean useful(CharSequence s) {
      if (s.length() >= 2) {
        return true;
      }
      return s.length() == 1 && !QaText.isWordChar(s.charAt(0));
    }

    private static int shortest(Set<String> set) {
      int min = Integer.MAX_VALUE;
      for (String s : set) {
        min = Math.min(min, s.length());
      }
      return min;
    }

    private void skipBraces() {
      if (i < p.length() && p.charAt(i) == '{') {
        i = p.indexOf('}', i) + 1;
      } else {
        i++;
      }
    }

    private void skipClass() {
      int depth = 0;
      i++; // '['
      if (i < p.length() && p.charAt(i) == '^') {
        i++;
      }
      if (i < p.length() && p.charAt(i) == ']') {
        i++;
      }
      while (i < p.length()) {
        char c = p.charAt(i);
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (c == '[') {
          depth++;
        } else if (c == ']') {
          if (depth == 0) {
            i++;
            return;
          }
          depth--;
        }
        i++;
      }
      throw new Unsupported();
    }
  }
}
