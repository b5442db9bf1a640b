package io.kefu.core.qa;

/**
 * Anger in [0, 1] of a customer message, for messages whose event carries no {@code anger} value.
 * An implementation handed to {@link QaInspector} is shipped with it to Flink and Spark tasks, so
 * it must be {@link java.io.Serializable} (a lambda cast to {@code AngerScore & Serializable}
 * works) or hold its model in a transient field that it rebuilds on first use.
 */
@FunctionalInterface
public interface AngerScore {
  double anger(String text);
}
