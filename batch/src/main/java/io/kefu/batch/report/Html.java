package io.kefu.batch.report;

import java.util.List;
import java.util.Locale;

/** Building blocks of the self-contained HTML pages: escaping, a page frame, tables. */
public final class Html {
  private Html() {}

  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The page around {@code body}: UTF-8, inline CSS, nothing fetched. */
  public static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + escape(title)
        + "</title><style>"
        + "body{font-family:sans-serif;margin:24px;color:#222;max-width:1200px}"
        + "h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}"
        + "table{border-collapse:collapse;font-size:12px;margin:8px 0}"
        + "th,td{border:1px solid #ddd;padding:3px 7px;text-align:right}"
        + "th{background:#f3f3f3}td.l,th.l{text-align:left}"
        + ".ok{color:#1a7f37}.bad{color:#b42318}.warn{color:#9a6700}.note{color:#666;font-size:12px}"
        + ".cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #ddd;padding:8px 12px;"
        + "min-width:120px}.card b{display:block;font-size:18px}"
        + "</style></head><body>\n"
        + body
        + "\n</body></html>\n";
  }

  /** A table of {@code t}, at most {@code limit} rows (0: all), text columns left-aligned. */
  public static String table(ReportTable t, int limit) {
    StringBuilder sb = new StringBuilder("<table><tr>");
    for (ReportTable.Col c : t.columns()) {
      sb.append(c.sqlType().equals("text") ? "<th class=\"l\">" : "<th>")
          .append(escape(c.name()))
          .append("</th>");
    }
    sb.append("</tr>\n");
    List<Object[]> rows =
        limit > 0 && t.rows().size() > limit ? t.rows().subList(0, limit) : t.rows();
    for (Object[] r : rows) {
      sb.append("<tr>");
      for (int i = 0; i < r.length; i++) {
        boolean text = t.columns().get(i).sqlType().equals("text");
        sb.append(text ? "<td class=\"l\">" : "<td>").append(escape(cell(r[i]))).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>");
    if (rows.size() < t.rows().size()) {
      sb.append("<p class=\"note\">")
          .append(rows.size())
          .append(" of ")
          .append(t.rows().size())
          .append(" rows; all in ")
          .append(escape(t.name()))
          .append(".csv</p>");
    }
    return sb.toString();
  }

  /** A value as shown: integers plain, other numbers with 4 significant decimals, null as –. */
  public static String cell(Object v) {
    if (v == null) {
      return "–";
    }
    if (v instanceof Double d) {
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString(d.longValue());
      }
      return String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.4f", d);
    }
    return v.toString();
  }
}
