package io.kefu.batch.report;

import io.kefu.core.kpi.KpiSettings;
import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;

/**
 * {@link KpiSettings} in a form Spark can ship to executors (the core record is not {@link
 * Serializable}): its values, rebuilt into the record where a task needs it.
 */
public record Settings(
    double serviceLevelSeconds,
    double shortAbandonSeconds,
    boolean includeShortAbandons,
    double angerThreshold,
    double negativeThreshold,
    String zone,
    long allowedLatenessMillis)
    implements Serializable {

  public static Settings of(KpiSettings s) {
    return new Settings(
        s.serviceLevelSeconds(),
        s.shortAbandonSeconds(),
        s.includeShortAbandons(),
        s.angerThreshold(),
        s.negativeThreshold(),
        s.zone().getId(),
        s.allowedLateness().toMillis());
  }

  public KpiSettings kpiSettings() {
    return new KpiSettings(
        serviceLevelSeconds,
        shortAbandonSeconds,
        includeShortAbandons,
        angerThreshold,
        negativeThreshold,
        ZoneId.of(zone),
        Duration.ofMillis(allowedLatenessMillis));
  }
}
