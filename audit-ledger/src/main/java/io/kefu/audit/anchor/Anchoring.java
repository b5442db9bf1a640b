package io.kefu.audit.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import io.kefu.audit.batch.BatchStore;
import io.kefu.audit.batch.CanonicalJson;
import io.kefu.audit.batch.SignedBatchHeader;
import io.kefu.audit.log.LogFormat;
import io.kefu.audit.log.LogMeta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sends a log's closed batches that the ledger does not hold yet, in order, and keeps a receipt of
 * each anchor ({@code anchors.jsonl} in the log directory: ledger, transaction id, block) so proofs
 * can name the transaction. Receipts are a convenience; verification always asks the ledger.
 */
public final class Anchoring {
  private Anchoring() {}

  /** What one run did. */
  public record Result(int anchored, int alreadyOnLedger, long anchoredUpToSeq) {}

  public static Result anchorAll(Path logDir, Ledger ledger, Consumer<String> progress)
      throws IOException, LedgerException {
    String logId = LogMeta.read(logDir);
    BatchStore.Contents c = new BatchStore(logDir).read();
    if (c.bad() != null) {
      throw new IOException(
          new BatchStore(logDir).file()
              + " line "
              + c.bad().line()
              + ": "
              + c.bad().reason()
              + "; run `kefu audit verify` before anchoring");
    }
    long top = ledger.latest(logId).map(a -> a.batch().header().batchId()).orElse(-1L);
    Map<Long, JsonNode> receipts = readReceipts(logDir);
    int anchored = 0;
    long upTo = -1;
    for (SignedBatchHeader b : c.batches()) {
      long id = b.header().batchId();
      if (id <= top) {
        upTo = b.header().lastSeq();
        continue;
      }
      Anchor a = ledger.anchor(b);
      if (!receipts.containsKey(id)) {
        appendReceipt(logDir, a);
      }
      anchored++;
      upTo = b.header().lastSeq();
      if (progress != null) {
        progress.accept(
            String.format(
                "anchored batch %d (records %d..%d) in %s tx %s block %d",
                id,
                b.header().firstSeq(),
                b.header().lastSeq(),
                a.ledger(),
                a.transactionId(),
                a.blockNumber()));
      }
    }
    return new Result(anchored, (int) Math.min(top + 1, c.batches().size()), upTo);
  }

  static void appendReceipt(Path logDir, Anchor a) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("anchored_at", a.anchoredAt());
    m.put("batch_id", a.batch().header().batchId());
    m.put("block", a.blockNumber());
    m.put("header_hash", a.batch().headerHashHex());
    m.put("ledger", a.ledger());
    m.put("tx_id", a.transactionId());
    byte[] line = CanonicalJson.bytes(m);
    Files.write(
        logDir.resolve(LogFormat.RECEIPTS_FILE),
        (new String(line, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /**
   * Receipts by batch id (later lines win). Unreadable lines are skipped: receipts are advisory.
   */
  public static Map<Long, JsonNode> readReceipts(Path logDir) throws IOException {
    Map<Long, JsonNode> out = new HashMap<>();
    Path f = logDir.resolve(LogFormat.RECEIPTS_FILE);
    if (!Files.exists(f)) {
      return out;
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
    for (String l : lines) {
      try {
        JsonNode n = CanonicalJson.parse(l.getBytes(StandardCharsets.UTF_8));
        out.put(n.path("batch_id").asLong(), n);
      } catch (IllegalArgumentException e) {
        // advisory file: a damaged line only loses the transaction name in a proof
      }
    }
    return out;
  }
}
