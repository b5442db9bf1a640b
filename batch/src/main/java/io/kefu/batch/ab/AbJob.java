package io.kefu.batch.ab;

import static org.apache.spark.sql.functions.col;

import io.kefu.batch.report.FactRows;
import io.kefu.batch.report.Settings;
import io.kefu.core.kpi.KpiSettings;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * The Spark part of {@code kefu batch ab}: the facts of the period ({@link
 * io.kefu.batch.report.DailyReport#facts}) become per-arm samples, each partition's partial {@link
 * AbSamples} merged into one on the driver. The tests then run on those few numbers.
 */
public final class AbJob {
  private AbJob() {}

  /** The facts of the given arms only (by the conversation's variant). */
  public static Dataset<Row> ofArms(Dataset<Row> facts, String armA, String armB) {
    return facts.where(col("variant").isin(armA, armB));
  }

  /** Per-arm samples of {@link FactRows#FACT} rows; an empty input gives empty arms. */
  public static AbSamples samples(Dataset<Row> facts, KpiSettings kpiSettings) {
    Settings settings = Settings.of(kpiSettings);
    List<AbSamples> partial =
        facts
            .mapPartitions(
                (MapPartitionsFunction<Row, AbSamples>)
                    rows -> {
                      AbSamples s = new AbSamples(settings.kpiSettings());
                      rows.forEachRemaining(r -> s.add(FactRows.fact(r)));
                      return List.of(s).iterator();
                    },
                Encoders.javaSerialization(AbSamples.class))
            .collectAsList();
    AbSamples all = new AbSamples(kpiSettings);
    partial.forEach(all::merge);
    return all;
  }
}
