package io.kefu.batch.report;

import static io.kefu.batch.report.ReportTable.count;
import static io.kefu.batch.report.ReportTable.key;
import static io.kefu.batch.report.ReportTable.keyNumber;
import static io.kefu.batch.report.ReportTable.number;
import static io.kefu.batch.report.ReportTable.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The report's tables, each with its columns and key: {@code kpis} (long format: one row per
 * tenant, dimension, value and metric), {@code follow_ups} (FCR and survey response rate), {@code
 * agents} (leaderboard), {@code violations} (top QA violations), {@code sentiment_hourly}, {@code
 * channel_mix}, {@code reconciliation} (differences) and {@code runs} (the summary).
 */
public final class ReportTables {
  private ReportTables() {}

  /** {@link DailyReport#KPIS} rows in long format; null metrics are kept (a rate with no base). */
  public static ReportTable kpis(List<Row> rows) {
    List<Object[]> out = new ArrayList<>();
    for (Row r : rows) {
      boolean agent = r.getString(1).equals("agent");
      for (String m : DailyReport.METRICS) {
        if (agent && !io.kefu.core.kpi.KpiAccumulator.AGENT_METRICS.contains(m)) {
          continue;
        }
        int i = r.fieldIndex(m);
        out.add(
            new Object[] {
              r.getString(0),
              r.getString(1),
              r.getString(2),
              m,
              r.isNullAt(i) ? null : r.getDouble(i)
            });
      }
    }
    return new ReportTable(
        "kpis",
        List.of(
            key("tenant"),
            key("dimension"),
            key("dimension_value"),
            key("metric"),
            number("value")),
        out);
  }

  public static ReportTable followUps(List<Row> rows) {
    return ReportTable.of(
        "follow_ups",
        List.of(
            key("tenant"),
            key("dimension"),
            key("dimension_value"),
            count("closed"),
            count("with_customer"),
            count("repeat_contacts"),
            count("fcr"),
            number("fcr_rate"),
            count("surveyed"),
            number("response_rate")),
        rows);
  }

  public static ReportTable agents(List<Row> rows) {
    return ReportTable.of(
        "agents",
        List.of(
            key("tenant"),
            key("agent"),
            count("answered"),
            count("closed"),
            number("aht_mean_seconds"),
            number("human_frt_mean_seconds"),
            number("resolution_rate"),
            count("surveys"),
            number("csat_mean"),
            number("csat_top2"),
            count("qa_inspected"),
            number("qa_score_mean"),
            count("qa_violations"),
            number("fcr_rate")),
        rows);
  }

  public static ReportTable violations(List<Row> rows) {
    return ReportTable.of(
        "violations",
        List.of(
            key("rule_id"),
            text("rule_kind"),
            count("violations"),
            count("conversations"),
            count("agents"),
            text("example")),
        rows);
  }

  public static ReportTable sentiment(List<Row> rows) {
    return ReportTable.of(
        "sentiment_hourly",
        List.of(
            keyNumber("hour"),
            count("customer_messages"),
            number("sentiment_mean"),
            number("negative_share"),
            count("anger_count")),
        rows);
  }

  public static ReportTable channelMix(List<Row> rows) {
    return ReportTable.of(
        "channel_mix",
        List.of(
            key("tenant"),
            key("channel"),
            count("closed"),
            number("share"),
            count("offered"),
            count("customer_messages")),
        rows);
  }

  public static ReportTable reconciliation(List<Reconciliation.Difference> differences) {
    List<Object[]> out = new ArrayList<>();
    for (Reconciliation.Difference d : differences) {
      out.add(
          new Object[] {
            d.tenant(), d.dimension(), d.dimensionValue(), d.metric(), d.batch(), d.streaming()
          });
    }
    return new ReportTable(
        "reconciliation",
        List.of(
            key("tenant"),
            key("dimension"),
            key("dimension_value"),
            key("metric"),
            number("batch"),
            number("streaming")),
        out);
  }

  /** The summary as one row of {@code runs}: every entry a text column (lists joined). */
  public static ReportTable run(Map<String, Object> summary) {
    List<ReportTable.Col> columns = new ArrayList<>();
    Object[] row = new Object[summary.size()];
    int i = 0;
    for (Map.Entry<String, Object> e : summary.entrySet()) {
      columns.add(text(e.getKey()));
      Object v = e.getValue();
      row[i++] =
          v == null
              ? null
              : v instanceof List<?> l
                  ? String.join(" ", l.stream().map(String::valueOf).toList())
                  : String.valueOf(v);
    }
    List<Object[]> rows = new ArrayList<>();
    rows.add(row);
    return new ReportTable("runs", columns, rows);
  }
}
