package io.kefu.batch.report;

import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts for self-contained HTML reports: no script, no CDN, no vendored library;
 * a page opens offline and prints as it shows. Horizontal bars for categories, vertical bars with
 * an optional line for a series over the hours of a day.
 */
public final class Svg {
  private Svg() {}

  private static final String BAR = "#4e79a7";
  private static final String LINE = "#e15759";

  /** One bar per label, longest first as given; values ≥ 0, {@code format} for the labels. */
  public static String bars(List<String> labels, List<Double> values, String format) {
    int rowHeight = 22;
    int labelWidth = 150;
    int width = 640;
    int height = Math.max(1, labels.size()) * rowHeight + 10;
    double maxValue = 0;
    for (Double v : values) {
      if (v != null) {
        maxValue = Math.max(maxValue, v);
      }
    }
    StringBuilder sb = open(width, height);
    double scale = maxValue <= 0 ? 0 : (width - labelWidth - 90) / maxValue;
    for (int i = 0; i < labels.size(); i++) {
      double v = values.get(i) == null ? 0 : values.get(i);
      int y = 5 + i * rowHeight;
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                  + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                  + "<text x=\"%.1f\" y=\"%d\">%s</text>",
              labelWidth - 6,
              y + 15,
              Html.escape(labels.get(i)),
              labelWidth,
              y + 3,
              v * scale,
              rowHeight - 6,
              BAR,
              labelWidth + v * scale + 4,
              y + 15,
              Html.escape(String.format(Locale.ROOT, format, v))));
    }
    return sb.append("</svg>").toString();
  }

  /**
   * Columns for hours 0–23 ({@code counts}, left axis) and a line ({@code line}, right axis, {@code
   * lineMin}..{@code lineMax}); null line points are gaps.
   */
  public static String hours(
      Double[] counts, Double[] line, double lineMin, double lineMax, String lineName) {
    int width = 720;
    int height = 240;
    int left = 50;
    int right = 50;
    int top = 20;
    int bottom = 30;
    double plotW = width - left - right;
    double plotH = height - top - bottom;
    double maxCount = 1;
    for (Double c : counts) {
      if (c != null) {
        maxCount = Math.max(maxCount, c);
      }
    }
    StringBuilder sb = open(width, height);
    double step = plotW / 24;
    sb.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>",
            left,
            top + plotH,
            left + plotW,
            top + plotH));
    for (int h = 0; h < 24; h++) {
      double c = counts[h] == null ? 0 : counts[h];
      double bh = c / maxCount * plotH;
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\""
                  + " opacity=\"0.55\"><title>%02d:00 %s</title></rect>",
              left + h * step + 2,
              top + plotH - bh,
              step - 4,
              bh,
              BAR,
              h,
              ReportTable.plain(c)));
      if (h % 3 == 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%02d</text>",
                left + h * step + step / 2,
                height - 10,
                h));
      }
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
            left - 4,
            top + 10,
            ReportTable.plain(maxCount)));
    StringBuilder path = new StringBuilder();
    boolean pen = false;
    double span = lineMax - lineMin;
    for (int h = 0; h < 24; h++) {
      if (line[h] == null) {
        pen = false;
        continue;
      }
      double x = left + h * step + step / 2;
      double y = top + plotH - (line[h] - lineMin) / span * plotH;
      path.append(String.format(Locale.ROOT, "%s%.1f,%.1f ", pen ? "L" : "M", x, y));
      pen = true;
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>",
            path.toString().trim(),
            LINE));
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text>"
                + "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>",
            left + plotW + 4,
            top + 10,
            LINE,
            ReportTable.plain(lineMax),
            left + plotW + 4,
            top + plotH,
            LINE,
            ReportTable.plain(lineMin)));
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">%s</text>",
            left + plotW,
            top - 6,
            LINE,
            Html.escape(lineName)));
    return sb.append("</svg>").toString();
  }

  private static StringBuilder open(int width, int height) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">",
            width,
            height,
            width,
            height));
  }
}
