package io.kefu.batch.ab;

import static io.kefu.batch.report.Html.cell;
import static io.kefu.batch.report.Html.escape;

import io.kefu.batch.report.Html;
import io.kefu.batch.report.ReportTable;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The A/B comparison as CSV, as a self-contained HTML page and as a terminal table. */
public final class AbReport {
  private AbReport() {}

  /** What was compared. */
  public record Setup(
      LocalDate from, LocalDate to, String zone, String armA, String armB, String settings) {}

  public static ReportTable table(List<AbComparison.Line> lines) {
    List<Object[]> rows = new ArrayList<>();
    for (AbComparison.Line l : lines) {
      rows.add(
          new Object[] {
            l.metric(),
            l.kind() == AbSamples.Kind.RATE ? "two-proportion z-test" : "Welch t-test",
            l.a(),
            l.b(),
            l.difference(),
            l.relativeChange(),
            l.ciLow(),
            l.ciHigh(),
            l.pValue(),
            l.pHolm(),
            l.verdict(),
            l.nA(),
            l.nB(),
            l.warning()
          });
    }
    return new ReportTable(
        "ab",
        List.of(
            ReportTable.key("metric"),
            ReportTable.text("test"),
            ReportTable.number("a"),
            ReportTable.number("b"),
            ReportTable.number("difference"),
            ReportTable.number("relative_change"),
            ReportTable.number("ci95_low"),
            ReportTable.number("ci95_high"),
            ReportTable.number("p_value"),
            ReportTable.number("p_holm"),
            ReportTable.text("verdict"),
            ReportTable.count("n_a"),
            ReportTable.count("n_b"),
            ReportTable.text("warning")),
        rows);
  }

  public static String html(Setup s, List<AbComparison.Line> lines) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>A/B comparison: ")
        .append(escape(s.armB()))
        .append(" (B) against ")
        .append(escape(s.armA()))
        .append(" (A)</h1><p class=\"note\">")
        .append(
            escape(
                s.from() + " .. " + s.to() + " (" + s.zone() + "), KPI settings " + s.settings()))
        .append(
            ". Rates: two-proportion z-test (pooled SE for p, Wald interval); durations: Welch's"
                + " t-test. Differences are B − A with 95 % intervals; verdicts after Holm's"
                + " correction across the ten metrics (α = 0.05). Human minutes per conversation"
                + " (cost proxy) = handle time in minutes, 0 for conversations no human took.</p>");
    b.append("<table><tr>");
    for (String h :
        List.of(
            "metric",
            "A",
            "B",
            "B − A",
            "relative",
            "95 % CI",
            "p",
            "p (Holm)",
            "verdict",
            "n A",
            "n B",
            "")) {
      b.append("<th>").append(escape(h)).append("</th>");
    }
    b.append("</tr>");
    for (AbComparison.Line l : lines) {
      String css =
          l.verdict().contains("better") ? "ok" : l.verdict().contains("worse") ? "bad" : "";
      b.append("<tr><td class=\"l\">")
          .append(escape(l.metric()))
          .append("</td><td>")
          .append(cell(l.a()))
          .append("</td><td>")
          .append(cell(l.b()))
          .append("</td><td>")
          .append(cell(l.difference()))
          .append("</td><td>")
          .append(
              l.relativeChange() == null
                  ? "–"
                  : String.format(Locale.ROOT, "%+.1f %%", 100 * l.relativeChange()))
          .append("</td><td>")
          .append(l.ciLow() == null ? "–" : "[" + cell(l.ciLow()) + ", " + cell(l.ciHigh()) + "]")
          .append("</td><td>")
          .append(p(l.pValue()))
          .append("</td><td>")
          .append(p(l.pHolm()))
          .append("</td><td class=\"l ")
          .append(css)
          .append("\">")
          .append(escape(l.verdict()))
          .append("</td><td>")
          .append(l.nA())
          .append("</td><td>")
          .append(l.nB())
          .append("</td><td class=\"l warn\">")
          .append(escape(l.warning()))
          .append("</td></tr>");
    }
    b.append("</table>");
    return Html.page("kefu A/B " + s.armA() + " vs " + s.armB(), b.toString());
  }

  static String p(Double p) {
    if (p == null) {
      return "–";
    }
    return p < 1e-4 ? "&lt; 0.0001" : String.format(Locale.ROOT, "%.4f", p);
  }

  public static void print(PrintWriter out, Setup s, List<AbComparison.Line> lines) {
    out.printf(
        Locale.ROOT,
        "A/B %s (B) vs %s (A), %s .. %s (%s)%n",
        s.armB(),
        s.armA(),
        s.from(),
        s.to(),
        s.zone());
    out.printf(
        Locale.ROOT,
        "  %-32s %12s %12s %10s %10s %9s  %s%n",
        "metric",
        "A",
        "B",
        "relative",
        "p (Holm)",
        "n A/n B",
        "verdict");
    for (AbComparison.Line l : lines) {
      out.printf(
          Locale.ROOT,
          "  %-32s %12s %12s %10s %10s %9s  %s%s%n",
          l.metric(),
          cell(l.a()),
          cell(l.b()),
          l.relativeChange() == null
              ? "-"
              : String.format(Locale.ROOT, "%+.1f%%", 100 * l.relativeChange()),
          l.pHolm() == null ? "-" : String.format(Locale.ROOT, "%.4f", l.pHolm()),
          l.nA() + "/" + l.nB(),
          l.verdict(),
          l.warning() == null ? "" : "  [" + l.warning() + "]");
    }
  }
}
