package io.kefu.audit.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kefu.audit.anchor.Anchor;
import io.kefu.audit.anchor.Anchoring;
import io.kefu.audit.anchor.Ledger;
import io.kefu.audit.anchor.LedgerException;
import io.kefu.audit.batch.BatchHeader;
import io.kefu.audit.batch.BatchSigner;
import io.kefu.audit.batch.BatchStore;
import io.kefu.audit.batch.CanonicalJson;
import io.kefu.audit.batch.SignedBatchHeader;
import io.kefu.audit.log.InvalidLogRecordException;
import io.kefu.audit.log.LogFormat;
import io.kefu.audit.log.LogMeta;
import io.kefu.audit.log.RecordEncoding;
import io.kefu.audit.log.Segment;
import io.kefu.audit.merkle.Merkle;
import io.kefu.audit.merkle.MerkleVerifier;
import io.kefu.audit.merkle.ProofException;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.json.RecordJsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A self-contained proof that one operation-log record is in the log (in the spirit of Sigstore
 * Rekor's offline bundles): the record's canonical bytes, its leaf index and the batch's tree size,
 * the RFC 9162 audit path, the root, the signed batch header and the anchor's transaction. It can
 * be checked with nothing but the public key, and then against the ledger.
 */
public record InclusionProof(
    String logId,
    long seq,
    byte[] record,
    long leafIndex,
    long treeSize,
    List<byte[]> auditPath,
    SignedBatchHeader batch,
    Map<String, Object> anchor) {

  private static final HexFormat HEX = HexFormat.of();
  private static final RecordJsonCodec<OperationLogRecord> JSON =
      RecordJsonCodec.of(OperationLogRecord.class);

  /** Builds the proof of record {@code seq} from a log directory. */
  public static InclusionProof build(Path logDir, long seq) throws IOException {
    String logId = LogMeta.read(logDir);
    SignedBatchHeader batch = null;
    for (SignedBatchHeader b : new BatchStore(logDir).read().batches()) {
      if (b.header().firstSeq() <= seq && seq <= b.header().lastSeq()) {
        batch = b;
        break;
      }
    }
    if (batch == null) {
      throw new IOException(
          "record " + seq + " is not in a closed batch yet; run `kefu audit anchor` first");
    }
    BatchHeader h = batch.header();
    List<byte[]> leaves = new ArrayList<>((int) h.count());
    byte[] record = null;
    List<Path> files = Segment.files(logDir);
    for (int i = 0; i < files.size(); i++) {
      long next =
          i + 1 < files.size() ? LogFormat.segmentFirstSeq(files.get(i + 1)) : Long.MAX_VALUE;
      if (next <= h.firstSeq() || LogFormat.segmentFirstSeq(files.get(i)) > h.lastSeq()) {
        continue; // this segment holds none of the batch's records
      }
      Segment seg = Segment.read(files.get(i));
      for (Segment.Frame f : seg.frames) {
        if (f.seq() >= h.firstSeq() && f.seq() <= h.lastSeq()) {
          byte[] bytes = seg.record(f);
          leaves.add(Merkle.leafHash(bytes));
          if (f.seq() == seq) {
            record = bytes;
          }
        }
      }
    }
    if (record == null || leaves.size() != h.count()) {
      throw new IOException(
          "the records of batch " + h.batchId() + " cannot all be read; run `kefu audit verify`");
    }
    int index = (int) (seq - h.firstSeq());
    JsonNode receipt = Anchoring.readReceipts(logDir).get(h.batchId());
    Map<String, Object> anchor = null;
    if (receipt != null && receipt.path("header_hash").asText().equals(batch.headerHashHex())) {
      anchor = new LinkedHashMap<>();
      anchor.put("ledger", receipt.path("ledger").asText());
      anchor.put("tx_id", receipt.path("tx_id").asText());
      anchor.put("block", receipt.path("block").asLong());
      anchor.put("anchored_at", receipt.path("anchored_at").asLong());
    }
    return new InclusionProof(
        logId, seq, record, index, h.count(), Merkle.inclusionProof(leaves, index), batch, anchor);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", "kefu-inclusion-proof/1");
    m.put("log_id", logId);
    m.put("seq", seq);
    m.put("record", Base64.getEncoder().encodeToString(record));
    m.put("record_json", readable());
    m.put("leaf_index", leafIndex);
    m.put("tree_size", treeSize);
    m.put("audit_path", auditPath.stream().map(HEX::formatHex).toList());
    m.put("root", HEX.formatHex(batch.header().root()));
    m.put("batch", batch.toMap());
    m.put("anchor", anchor);
    return m;
  }

  private Object readable() {
    try {
      OperationLogRecord r = RecordEncoding.decode(record);
      return CanonicalJson.parse(JSON.toBytes(r));
    } catch (InvalidLogRecordException | RuntimeException e) {
      return null;
    }
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

  public static InclusionProof fromJson(byte[] json) {
    JsonNode n = CanonicalJson.parse(json);
    if (!"kefu-inclusion-proof/1".equals(n.path("format").asText())) {
      throw new IllegalArgumentException("not a kefu inclusion proof (format field)");
    }
    List<byte[]> path = new ArrayList<>();
    for (JsonNode p : n.path("audit_path")) {
      path.add(HEX.parseHex(p.asText()));
    }
    Map<String, Object> anchor = null;
    if (n.hasNonNull("anchor")) {
      anchor = new LinkedHashMap<>();
      anchor.put("ledger", n.get("anchor").path("ledger").asText());
      anchor.put("tx_id", n.get("anchor").path("tx_id").asText());
      anchor.put("block", n.get("anchor").path("block").asLong());
      anchor.put("anchored_at", n.get("anchor").path("anchored_at").asLong());
    }
    return new InclusionProof(
        n.path("log_id").asText(),
        n.path("seq").asLong(),
        Base64.getDecoder().decode(n.path("record").asText()),
        n.path("leaf_index").asLong(),
        n.path("tree_size").asLong(),
        path,
        SignedBatchHeader.fromJson(n.get("batch")),
        anchor);
  }

  /**
   * Checks the proof offline: the record is canonical and carries {@code seq}, its leaf hashes up
   * the audit path to the batch root, the batch covers it, and (when a key is given) the header's
   * signature. Throws {@link ProofException} naming the first check that failed.
   */
  public OperationLogRecord checkOffline(BatchSigner.Verifier key) throws ProofException {
    OperationLogRecord r;
    try {
      r = RecordEncoding.decode(record);
    } catch (InvalidLogRecordException e) {
      throw new ProofException("record: " + e.getMessage());
    }
    BatchHeader h = batch.header();
    if (r.getSequence() != seq) {
      throw new ProofException("record carries sequence " + r.getSequence() + ", not " + seq);
    }
    if (!h.logId().equals(logId)) {
      throw new ProofException("batch belongs to log " + h.logId() + ", not " + logId);
    }
    if (seq != h.firstSeq() + leafIndex || treeSize != h.count()) {
      throw new ProofException("leaf index or tree size does not match the batch header");
    }
    MerkleVerifier.verifyInclusion(
        leafIndex, treeSize, Merkle.leafHash(record), auditPath, h.root());
    if (key != null && !key.valid(batch)) {
      throw new ProofException("the batch header's signature does not verify with the given key");
    }
    return r;
  }

  /** Checks that the ledger holds exactly this batch header (and the named transaction). */
  public Anchor checkOnLedger(Ledger ledger) throws ProofException, LedgerException {
    BatchHeader h = batch.header();
    Anchor a =
        ledger
            .get(h.logId(), h.batchId())
            .orElseThrow(
                () ->
                    new ProofException(
                        "batch " + h.batchId() + " is not anchored on " + ledger.describe()));
    if (!Arrays.equals(a.batch().headerHash(), batch.headerHash())) {
      throw new ProofException(
          "the ledger holds a different header for batch "
              + h.batchId()
              + " (tx "
              + a.transactionId()
              + ")");
    }
    if (anchor != null
        && a.ledger().equals(anchor.get("ledger"))
        && !a.transactionId().equals(anchor.get("tx_id"))) {
      throw new ProofException(
          "the proof names transaction "
              + anchor.get("tx_id")
              + " but the ledger says "
              + a.transactionId());
    }
    return a;
  }
}
