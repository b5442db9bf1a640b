package io.kefu.core.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Day starts, remembered between calls, against java.time computed afresh for each time. */
class WindowSizeTest {

  private static long dayStart(long time, ZoneId zone) {
    return Instant.ofEpochMilli(time)
        .atZone(zone)
        .toLocalDate()
        .atStartOfDay(zone)
        .toInstant()
        .toEpochMilli();
  }

  @Test
  void dayStartsEqualJavaTimeInOrderAndAtRandom() {
    Random random = new Random(3);
    long from = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    long span = 2L * 366 * 86_400_000L; // two years: every DST change twice
    for (String id :
        new String[] {
          "Asia/Shanghai",
          "Europe/Paris",
          "America/St_Johns",
          "Australia/Lord_Howe",
          "Asia/Kathmandu"
        }) {
      ZoneId zone = ZoneId.of(id);
      long t = from;
      for (int i = 0; i < 200_000; i++) {
        // mostly forward in small steps, as facts come; now and then a jump anywhere
        t =
            random.nextInt(50) == 0
                ? from + (long) (random.nextDouble() * span)
                : t + random.nextInt(600_000);
        assertEquals(
            dayStart(t, zone), WindowSize.DAY.start(t, zone), id + " " + Instant.ofEpochMilli(t));
      }
    }
  }
}
