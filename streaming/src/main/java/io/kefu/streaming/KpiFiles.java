package io.kefu.streaming;

import io.kefu.schemas.KpiRow;
import io.kefu.simulator.RecordWriter;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * KPI rows into a file: CSV in long format ({@code
 * window_start,window_end,dimension,dimension_value,metric,value}, times ISO-8601 with the zone's
 * offset, an empty value for a rate with no denominator) or Parquet ({@code KpiRow} schema).
 */
final class KpiFiles implements Closeable {

  static final String HEADER = "window_start,window_end,dimension,dimension_value,metric,value";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
  private static final Set<String> COUNTS =
      Set.of(
          "offered",
          "answered",
          "abandoned",
          "short_abandoned",
          "flow_out",
          "closed",
          "handed_off",
          "reached_expert",
          "resolved",
          "surveys",
          "customer_messages",
          "anger_count");

  private final ZoneId zone;
  private final BufferedWriter csv;
  private final RecordWriter<KpiRow> parquet;
  private long rows;

  KpiFiles(Path out, ZoneId zone) throws IOException {
    this.zone = zone;
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".parquet")) {
      csv = null;
      parquet = RecordWriter.open(out, KpiRow.class, RecordWriter.Format.PARQUET);
    } else if (name.endsWith(".csv")) {
      parquet = null;
      csv = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
      csv.write(HEADER);
      csv.write('\n');
    } else {
      throw new IllegalArgumentException(
          "--out must end in .csv or .parquet, or be a jdbc:postgresql: URL: " + out);
    }
  }

  void write(KpiRow r) throws IOException {
    rows++;
    if (parquet != null) {
      parquet.write(r);
      return;
    }
    csv.write(TIME.format(r.getWindowStart().atZone(zone)));
    csv.write(',');
    csv.write(TIME.format(r.getWindowEnd().atZone(zone)));
    csv.write(',');
    csv.write(r.getDimension().name().toLowerCase(Locale.ROOT));
    csv.write(',');
    csv.write(quote(r.getDimensionValue()));
    csv.write(',');
    csv.write(r.getMetric());
    csv.write(',');
    csv.write(value(r.getMetric(), r.getValue()));
    csv.write('\n');
  }

  long rows() {
    return rows;
  }

  static String value(String metric, Double v) {
    if (v == null || v.isNaN()) {
      return "";
    }
    if (COUNTS.contains(metric) && v == Math.rint(v)) {
      return Long.toString(v.longValue());
    }
    return Double.toString(v);
  }

  private static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  @Override
  public void close() throws IOException {
    if (csv != null) {
      csv.close();
    }
    if (parquet != null) {
      parquet.close();
    }
  }
}
