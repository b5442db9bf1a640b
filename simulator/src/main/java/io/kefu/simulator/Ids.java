package io.kefu.simulator;

/** Zero-padded identifiers without {@code String.format}, which is slow on the hot path. */
final class Ids {
  private Ids() {}

  static String pad(long value, int width) {
    String s = Long.toString(value);
    if (s.length() >= width) {
      return s;
    }
    StringBuilder sb = new StringBuilder(width);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s).toString();
  }
}
