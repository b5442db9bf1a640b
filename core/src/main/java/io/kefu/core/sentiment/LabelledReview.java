package io.kefu.core.sentiment;

/** One row of a labelled corpus: its line number (1 = header), label (1 positive, 0 negative). */
public record LabelledReview(long line, int label, String text) {}
