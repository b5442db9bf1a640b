package io.kefu.audit.log;

import java.nio.file.Path;

/**
 * What opening a log found. {@code tornBytes > 0} means the last segment ended in a partial or
 * damaged write that was never acknowledged; those bytes were cut and moved, untouched, to {@code
 * savedTail}. {@code paddingBytes > 0} means a crash left the zero padding of a direct write after
 * the last record ({@link LogFormat}); it was cut, and nothing else was wrong.
 *
 * @param nextSeq the sequence the next appended record gets
 * @param batchedUpTo the first sequence not yet in a closed batch
 */
public record Recovery(
    long nextSeq,
    long batchedUpTo,
    Path tornSegment,
    long tornOffset,
    long tornBytes,
    String tornReason,
    Path savedTail,
    long paddingBytes) {

  public boolean cutTornTail() {
    return tornBytes > 0;
  }

  public String describe() {
    if (!cutTornTail()) {
      return "log is clean: "
          + nextSeq
          + " records"
          + (paddingBytes > 0 ? " (" + paddingBytes + " bytes of zero padding cut)" : "");
    }
    return String.format(
        "torn tail cut: %d bytes at offset %d of %s (%s), saved to %s; the log holds %d records",
        tornBytes, tornOffset, tornSegment.getFileName(), tornReason, savedTail, nextSeq);
  }
}
