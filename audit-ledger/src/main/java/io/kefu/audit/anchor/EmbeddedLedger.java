package io.kefu.audit.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import io.kefu.audit.batch.CanonicalJson;
import io.kefu.audit.batch.SignedBatchHeader;
import io.kefu.audit.log.LogFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The demo's ledger: {@code anchors.jsonl} in a directory of its own, one canonical-JSON entry per
 * anchored batch, each entry hash-linked to the one before:
 *
 * <pre>{"anchored_at":…,"batch":{signed header},"block":n,"prev_tx":"<hex>","tx_id":"<hex>"}</pre>
 *
 * {@code tx_id} is SHA-256 of the entry's canonical JSON without {@code tx_id}; {@code prev_tx} is
 * the previous entry's {@code tx_id} (zeros for the first); {@code block} is the entry's line
 * index. It keeps the same rules as the chaincode (idempotent, conflicts refused, batches in
 * order). It is only as trustworthy as the file's custody — the point of Fabric is that no single
 * party holds the ledger — but it detects any edit to itself that does not rewrite every later
 * entry.
 */
public final class EmbeddedLedger implements Ledger {

  public static final String FILE = "anchors.jsonl";
  private static final HexFormat HEX = HexFormat.of();

  /** Where the file stops being a valid chain of entries, if it does. */
  public record Damage(int line, String reason) {}

  private final Path dir;
  private final Path file;
  private final LongSupplier clock;
  private final List<Anchor> entries = new ArrayList<>();
  private final Map<String, Map<Long, Anchor>> byLog = new HashMap<>();
  private Damage damage;
  private byte[] lastTx = new byte[LogFormat.HASH];
  private long fileBytes;

  private EmbeddedLedger(Path dir, LongSupplier clock) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
    this.clock = clock;
  }

  public static EmbeddedLedger open(Path dir) throws LedgerException {
    return open(dir, System::currentTimeMillis);
  }

  public static EmbeddedLedger open(Path dir, LongSupplier clock) throws LedgerException {
    EmbeddedLedger l = new EmbeddedLedger(dir, clock);
    try {
      Files.createDirectories(dir);
      l.load();
    } catch (IOException e) {
      throw new LedgerException("embedded ledger " + dir + ": " + e.getMessage(), false, e);
    }
    return l;
  }

  /** Null when every entry of the file checks out. */
  public Damage damage() {
    return damage;
  }

  private void load() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    byte[] all = Files.readAllBytes(file);
    fileBytes = all.length;
    int start = 0;
    int line = 0;
    while (start < all.length) {
      line++;
      int nl = start;
      while (nl < all.length && all[nl] != '\n') {
        nl++;
      }
      if (nl == all.length) {
        damage = new Damage(line, "last entry has no newline");
        return;
      }
      byte[] bytes = Arrays.copyOfRange(all, start, nl);
      try {
        Anchor a = parseEntry(bytes, line - 1);
        entries.add(a);
        byLog
            .computeIfAbsent(a.batch().header().logId(), k -> new HashMap<>())
            .put(a.batch().header().batchId(), a);
        lastTx = HEX.parseHex(a.transactionId());
      } catch (IllegalArgumentException e) {
        damage = new Damage(line, e.getMessage());
        return;
      }
      start = nl + 1;
    }
  }

  private Anchor parseEntry(byte[] bytes, long index) {
    JsonNode n = CanonicalJson.parse(bytes);
    if (!n.isObject() || n.size() != 5) {
      throw new IllegalArgumentException("entry must have exactly 5 fields");
    }
    if (!Arrays.equals(bytes, CanonicalJson.bytes(n))) {
      throw new IllegalArgumentException("entry is not in canonical form");
    }
    if (n.path("block").asLong(-1) != index || !n.path("block").isIntegralNumber()) {
      throw new IllegalArgumentException("block must be " + index);
    }
    if (!HEX.formatHex(lastTx).equals(n.path("prev_tx").asText())) {
      throw new IllegalArgumentException("prev_tx does not link to the entry before");
    }
    SignedBatchHeader batch = SignedBatchHeader.fromJson(n.get("batch"));
    long at = n.path("anchored_at").asLong();
    String tx = HEX.formatHex(txId(batch, index, at, lastTx));
    if (!tx.equals(n.path("tx_id").asText())) {
      throw new IllegalArgumentException("tx_id is not the hash of the entry");
    }
    Map<Long, Anchor> log = byLog.getOrDefault(batch.header().logId(), Map.of());
    if (log.containsKey(batch.header().batchId())) {
      throw new IllegalArgumentException("batch anchored twice");
    }
    checkChainRule(batch, log);
    return new Anchor(batch, describe(), tx, index, at);
  }

  private static Map<String, Object> entryWithoutTx(
      SignedBatchHeader batch, long block, long at, byte[] prevTx) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("anchored_at", at);
    m.put("batch", batch.toMap());
    m.put("block", block);
    m.put("prev_tx", HEX.formatHex(prevTx));
    return m;
  }

  private static byte[] txId(SignedBatchHeader batch, long block, long at, byte[] prevTx) {
    return LogFormat.sha256().digest(CanonicalJson.bytes(entryWithoutTx(batch, block, at, prevTx)));
  }

  private static void checkChainRule(SignedBatchHeader batch, Map<Long, Anchor> log) {
    long id = batch.header().batchId();
    if (id == 0) {
      if (!Arrays.equals(batch.header().prevHeaderHash(), new byte[LogFormat.HASH])) {
        throw new IllegalArgumentException("batch 0 must not point to a previous batch");
      }
      return;
    }
    Anchor prev = log.get(id - 1);
    if (prev == null) {
      throw new IllegalArgumentException("batch " + (id - 1) + " is not anchored yet");
    }
    if (!Arrays.equals(prev.batch().headerHash(), batch.header().prevHeaderHash())) {
      throw new IllegalArgumentException(
          "batch " + id + " does not point to the anchored header of batch " + (id - 1));
    }
  }

  @Override
  public synchronized Anchor anchor(SignedBatchHeader batch) throws LedgerException {
    if (damage != null) {
      throw new LedgerException(
          file
              + " line "
              + damage.line()
              + " is damaged ("
              + damage.reason()
              + "); refusing to"
              + " extend it",
          false);
    }
    Map<Long, Anchor> log = byLog.getOrDefault(batch.header().logId(), Map.of());
    Anchor existing = log.get(batch.header().batchId());
    if (existing != null) {
      if (Arrays.equals(existing.batch().headerHash(), batch.headerHash())) {
        return existing;
      }
      throw new AnchorConflictException(
          "batch "
              + batch.header().batchId()
              + " of log "
              + batch.header().logId()
              + " is already anchored with a different header",
          existing);
    }
    try {
      checkChainRule(batch, log);
    } catch (IllegalArgumentException e) {
      throw new LedgerException(e.getMessage(), false);
    }
    long block = entries.size();
    long at = clock.getAsLong();
    byte[] tx = txId(batch, block, at, lastTx);
    Map<String, Object> entry = entryWithoutTx(batch, block, at, lastTx);
    entry.put("tx_id", HEX.formatHex(tx));
    byte[] line = CanonicalJson.bytes(entry);
    try {
      append(line);
    } catch (IOException e) {
      throw new LedgerException("embedded ledger " + file + ": " + e.getMessage(), true, e);
    }
    Anchor a = new Anchor(batch, describe(), HEX.formatHex(tx), block, at);
    entries.add(a);
    byLog
        .computeIfAbsent(batch.header().logId(), k -> new HashMap<>())
        .put(batch.header().batchId(), a);
    lastTx = tx;
    return a;
  }

  private void append(byte[] line) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
    try (FileChannel ch =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FileLock lock = lockOrFail(ch)) {
      // A second writer shows up as a size this process did not write: refuse, never interleave.
      if (ch.size() != fileBytes) {
        throw new IOException("the file changed under this process; reopen the ledger");
      }
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(false);
      fileBytes = ch.size();
    }
  }

  private static FileLock lockOrFail(FileChannel ch) throws IOException {
    try {
      FileLock l = ch.tryLock();
      if (l == null) {
        throw new IOException("the ledger file is locked by another process");
      }
      return l;
    } catch (OverlappingFileLockException e) {
      throw new IOException("the ledger file is locked by another writer in this process");
    }
  }

  @Override
  public synchronized Optional<Anchor> get(String logId, long batchId) {
    return Optional.ofNullable(byLog.getOrDefault(logId, Map.of()).get(batchId));
  }

  @Override
  public synchronized Optional<Anchor> latest(String logId) {
    Map<Long, Anchor> log = byLog.getOrDefault(logId, Map.of());
    return log.keySet().stream().max(Long::compare).map(log::get);
  }

  @Override
  public synchronized List<Anchor> list(String logId, long fromBatch, long toBatch) {
    Map<Long, Anchor> log = byLog.getOrDefault(logId, Map.of());
    List<Anchor> out = new ArrayList<>();
    for (long b = fromBatch; b <= toBatch && log.containsKey(b); b++) {
      out.add(log.get(b));
    }
    return out;
  }

  @Override
  public String describe() {
    return "embedded:" + dir;
  }

  @Override
  public void close() {}
}
