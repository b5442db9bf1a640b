package io.kefu.streaming;

import org.apache.flink.streaming.api.TimerService;

/**
 * Event-time arithmetic and timer bookkeeping shared by the per-conversation functions: sums that
 * saturate instead of overflowing (TTLs of "forever"), times rounded up to coalesce timers, and a
 * timer that is only ever moved earlier.
 */
final class EventTimers {
  private EventTimers() {}

  /** Marks "no timer registered" in state. */
  static final long NONE = Long.MAX_VALUE;

  static long plus(long time, long millis) {
    long sum = time + millis;
    return ((time ^ sum) & (millis ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** {@code time} rounded up to a multiple of {@code granularity}; saturates at the top. */
  static long ceil(long time, long granularity) {
    return time >= Long.MAX_VALUE - granularity
        ? Long.MAX_VALUE
        : Math.floorDiv(time + granularity - 1, granularity) * granularity;
  }

  /**
   * Registers a timer at {@code at} when that is earlier than {@code registered}, deleting the
   * later one unless another of the key's timers ({@code shared}) is at that same time; returns the
   * timer now registered.
   */
  static long moveEarlier(TimerService timers, long registered, long at, long shared) {
    if (at >= registered) {
      return registered;
    }
    if (registered != NONE && registered != shared) {
      timers.deleteEventTimeTimer(registered);
    }
    timers.registerEventTimeTimer(at);
    return at;
  }
}
