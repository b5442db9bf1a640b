package io.kefu.audit.verify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing the verifier found wrong.
 *
 * @param firstBadSeq the sequence of the first record affected (for a bad batch or anchor, the
 *     first record the batch covers)
 * @param where the file and offset or line
 */
public record Problem(Tampering kind, long firstBadSeq, String where, String detail) {

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind.name());
    m.put("first_bad_seq", firstBadSeq);
    m.put("where", where);
    m.put("detail", detail);
    return m;
  }

  @Override
  public String toString() {
    return kind + " at record " + firstBadSeq + " (" + where + "): " + detail;
  }
}
