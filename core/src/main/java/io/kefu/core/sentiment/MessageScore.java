package io.kefu.core.sentiment;

/**
 * The score of one customer message.
 *
 * @param sentiment polarity in [-1, 1], negative below zero
 * @param anger anger in [0, 1]; an anger event is {@code anger >= 0.8} by default (KPIS.md)
 * @param language {@code "zh"}, {@code "en"}, {@code "mixed"} or {@code "und"} (no letters)
 */
public record MessageScore(double sentiment, double anger, String language) {}
