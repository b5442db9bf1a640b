package io.kefu.core.kpi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;

/**
 * The settings KPI values depend on (KPIS.md). One versioned object: its {@link #version()} is
 * written next to every result row, so a number can always be traced to the definition that
 * produced it.
 *
 * @param serviceLevelSeconds answered within this many seconds counts towards the service level
 * @param shortAbandonSeconds abandons with a shorter wait are "short" and, unless included, leave
 *     the denominators of connect rate, abandon rate and service level
 * @param includeShortAbandons count short abandons like any other abandon
 * @param angerThreshold a customer message with anger at or above this is an anger event
 * @param negativeThreshold a customer message with sentiment at or below this is negative
 * @param zone day boundaries of daily windows
 * @param allowedLateness how long after a window's end late events still update it
 */
public record KpiSettings(
    double serviceLevelSeconds,
    double shortAbandonSeconds,
    boolean includeShortAbandons,
    double angerThreshold,
    double negativeThreshold,
    ZoneId zone,
    Duration allowedLateness) {

  public static KpiSettings defaults() {
    return new KpiSettings(
        20, 5, false, 0.8, -0.3, ZoneId.of("Asia/Shanghai"), Duration.ofMinutes(10));
  }

  public KpiSettings withZone(ZoneId z) {
    return new KpiSettings(
        serviceLevelSeconds,
        shortAbandonSeconds,
        includeShortAbandons,
        angerThreshold,
        negativeThreshold,
        z,
        allowedLateness);
  }

  public KpiSettings withAllowedLateness(Duration d) {
    return new KpiSettings(
        serviceLevelSeconds,
        shortAbandonSeconds,
        includeShortAbandons,
        angerThreshold,
        negativeThreshold,
        zone,
        d);
  }

  /**
   * A short, stable identifier of the values that change results, e.g. {@code
   * kpi1-sl20-sa5x-a0.8-n-0.3-Asia/Shanghai-3f9a1c}: readable, and its hash changes with any field.
   */
  public String version() {
    String canonical =
        "sl="
            + serviceLevelSeconds
            + ";sa="
            + shortAbandonSeconds
            + ";inc="
            + includeShortAbandons
            + ";anger="
            + angerThreshold
            + ";neg="
            + negativeThreshold
            + ";zone="
            + zone.getId()
            + ";late="
            + allowedLateness.toMillis();
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return "kpi1-sl"
          + fmt(serviceLevelSeconds)
          + "-sa"
          + fmt(shortAbandonSeconds)
          + (includeShortAbandons ? "i" : "x")
          + "-"
          + HexFormat.of().formatHex(hash, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
