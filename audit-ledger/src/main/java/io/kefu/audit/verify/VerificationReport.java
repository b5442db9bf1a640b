package io.kefu.audit.verify;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.kefu.audit.batch.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@code kefu audit verify}: intact or not, the first bad record, every problem
 * (sorted by the record they affect; capped at {@link LogVerifier#MAX_PROBLEMS}), and warnings that
 * do not make the log bad (records not yet sealed or anchored).
 */
public record VerificationReport(
    String logId,
    String ledger,
    String publicKey,
    long records,
    long batches,
    long anchoredBatches,
    long anchoredRecords,
    List<Problem> problems,
    List<String> warnings,
    long millis) {

  public VerificationReport {
    problems =
        problems.stream()
            .sorted(Comparator.comparingLong(Problem::firstBadSeq))
            .limit(LogVerifier.MAX_PROBLEMS)
            .toList();
    warnings = List.copyOf(warnings);
  }

  public boolean intact() {
    return problems.isEmpty();
  }

  /** The earliest problem, or null when intact. */
  public Problem firstProblem() {
    return problems.isEmpty() ? null : problems.get(0);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("intact", intact());
    m.put("log_id", logId);
    m.put("ledger", ledger);
    m.put("public_key", publicKey);
    m.put("records", records);
    m.put("batches", batches);
    m.put("anchored_batches", anchoredBatches);
    m.put("anchored_records", anchoredRecords);
    Problem first = firstProblem();
    m.put("first_bad_seq", first == null ? null : first.firstBadSeq());
    m.put("first_problem", first == null ? null : first.kind().name());
    m.put("problems", problems.stream().map(Problem::toMap).toList());
    m.put("warnings", warnings);
    m.put("millis", millis);
    return m;
  }

  public byte[] toJson() {
    try {
      return CanonicalJson.mapper()
          .copy()
          .disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsBytes(toMap());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A few lines for a person. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    if (intact()) {
      b.append(
          String.format(
              "INTACT  log %s: %,d records in %,d batches; %,d batches (%,d records) anchored on %s",
              logId, records, batches, anchoredBatches, anchoredRecords, ledger));
    } else {
      Problem p = firstProblem();
      b.append(
          String.format(
              "TAMPERED  log %s: first bad record %d — %s (%s): %s",
              logId, p.firstBadSeq(), p.kind(), p.where(), p.detail()));
      if (problems.size() > 1) {
        b.append(
            String.format("%n  and %d more problem(s), see the JSON report", problems.size() - 1));
      }
    }
    for (String w : warnings) {
      b.append(System.lineSeparator()).append("  warning: ").append(w);
    }
    return b.toString();
  }
}
