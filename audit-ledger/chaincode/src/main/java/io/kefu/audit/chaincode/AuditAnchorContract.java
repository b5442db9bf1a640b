package io.kefu.audit.chaincode;

import static io.kefu.audit.chaincode.AnchorError.BATCH_CONFLICT;
import static io.kefu.audit.chaincode.AnchorError.BATCH_NOT_FOUND;
import static io.kefu.audit.chaincode.AnchorError.CHAIN_BROKEN;
import static io.kefu.audit.chaincode.AnchorError.INVALID_ARGUMENT;
import static io.kefu.audit.chaincode.AnchorError.PREVIOUS_BATCH_MISSING;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * Notarises kefu's operation-log batch headers: one world-state entry per (log, batch), written
 * once, each batch chained to the previous one by its header hash. Only headers are stored (roots,
 * counts, hashes), never customer data.
 *
 * <p>State, all values canonical JSON:
 *
 * <ul>
 *   <li>{@code (kefu.batch, log_id, batch_id as 20 digits)} → {@code {"anchored_at":<tx time
 *       ms>,"batch":<signed header>,"tx_id":"…"}}; zero-padding keeps a log's batches in numeric
 *       order for range reads.
 *   <li>{@code (kefu.latest, log_id)} → {@code {"batch_id":n,"header_hash":"…"}}.
 * </ul>
 *
 * Errors are {@link org.hyperledger.fabric.shim.ChaincodeException}s whose payload (and message
 * prefix) is an {@link AnchorError} name.
 */
@Contract(
    name = "kefu-audit",
    info =
        @Info(
            title = "kefu audit anchors",
            description = "Batch headers of kefu's operation log, hash-chained per log",
            version = "1.0"))
@Default
public final class AuditAnchorContract implements ContractInterface {

  private static final String BATCH = "kefu.batch";
  private static final String LATEST = "kefu.latest";
  private static final int MAX_LIST = 1000;

  private static final Pattern LOG_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /**
   * Anchors a signed batch header and returns the stored record. The identical header again returns
   * the record already stored and writes nothing, so a client may retry freely.
   */
  @Transaction(name = "AnchorBatch", intent = Transaction.TYPE.SUBMIT)
  public String anchorBatch(Context ctx, String signedHeaderJson) {
    ChaincodeStub stub = ctx.getStub();
    SignedHeader batch = SignedHeader.parse(signedHeaderJson);
    String key = batchKey(batch.logId(), batch.batchId());

    String stored = read(stub, key);
    if (stored != null) {
      String storedHash = headerHash(stored);
      if (storedHash.equals(batch.headerHash())) {
        return stored;
      }
      throw BATCH_CONFLICT.exception(
          describe(batch.logId(), batch.batchId())
              + " is anchored with header_hash "
              + storedHash
              + ", refusing "
              + batch.headerHash());
    }
    requirePrevious(stub, batch);

    // Time comes from the transaction (the proposal's timestamp, the same on every endorser),
    // never from this process's clock, so all endorsements produce the same bytes.
    String record =
        Canonical.json(
            Map.of(
                "anchored_at", stub.getTxTimestamp().toEpochMilli(),
                "batch", batch.canonical(),
                "tx_id", stub.getTxId()));
    stub.putStringState(key, record);
    advanceLatest(stub, batch);
    stub.setEvent(
        "Anchored",
        Canonical.json(
                Map.of(
                    "batch_id", batch.batchId(),
                    "header_hash", batch.headerHash(),
                    "log_id", batch.logId()))
            .getBytes(StandardCharsets.UTF_8));
    return record;
  }

  /** The stored record of one batch. */
  @Transaction(name = "GetBatch", intent = Transaction.TYPE.EVALUATE)
  public String getBatch(Context ctx, String logId, long batchId) {
    requireLogId(logId);
    if (batchId < 0) {
      throw INVALID_ARGUMENT.exception("batch id must be ≥ 0, was " + batchId);
    }
    String stored = read(ctx.getStub(), batchKey(logId, batchId));
    if (stored == null) {
      throw BATCH_NOT_FOUND.exception(describe(logId, batchId) + " is not anchored");
    }
    return stored;
  }

  /** The stored record of the highest anchored batch of a log. */
  @Transaction(name = "GetLatest", intent = Transaction.TYPE.EVALUATE)
  public String getLatest(Context ctx, String logId) {
    requireLogId(logId);
    String latest = read(ctx.getStub(), latestKey(logId));
    if (latest == null) {
      throw BATCH_NOT_FOUND.exception("log " + logId + " has no anchored batch");
    }
    return getBatch(ctx, logId, parse(latest).path("batch_id").asLong());
  }

  /**
   * Stored records of the anchored batches with ids in {@code [fromBatch, toBatch]}, in order, as a
   * JSON array; at most 1000 ids per call.
   */
  @Transaction(name = "ListBatches", intent = Transaction.TYPE.EVALUATE)
  public String listBatches(Context ctx, String logId, long fromBatch, long toBatch) {
    requireLogId(logId);
    if (fromBatch < 0 || toBatch < fromBatch) {
      throw INVALID_ARGUMENT.exception(
          "need 0 ≤ fromBatch ≤ toBatch, got [" + fromBatch + ", " + toBatch + "]");
    }
    if (toBatch - fromBatch >= MAX_LIST) {
      throw INVALID_ARGUMENT.exception(
          "at most "
              + MAX_LIST
              + " batches per call, asked for ["
              + fromBatch
              + ", "
              + toBatch
              + "]");
    }
    // Fabric refuses composite keys in getStateByRange, so this walks the log's partial key, which
    // returns keys in order: skip below fromBatch, stop after toBatch.
    List<String> records = new ArrayList<>();
    try (QueryResultsIterator<KeyValue> batches =
        ctx.getStub().getStateByPartialCompositeKey(BATCH, logId)) {
      for (KeyValue kv : batches) {
        long id =
            Long.parseLong(CompositeKey.parseCompositeKey(kv.getKey()).getAttributes().get(1));
        if (id > toBatch) {
          break;
        }
        if (id >= fromBatch) {
          records.add(kv.getStringValue());
        }
      }
    }
    // Each stored value is already canonical JSON, so joining them is the canonical array.
    return "[" + String.join(",", records) + "]";
  }

  private static void requirePrevious(ChaincodeStub stub, SignedHeader batch) {
    if (batch.batchId() == 0) {
      return; // SignedHeader.parse has checked that batch 0 points back to 64 zeros
    }
    long previousId = batch.batchId() - 1;
    String previous = read(stub, batchKey(batch.logId(), previousId));
    if (previous == null) {
      throw PREVIOUS_BATCH_MISSING.exception(
          describe(batch.logId(), previousId)
              + " is not anchored, so batch "
              + batch.batchId()
              + " cannot be");
    }
    String previousHash = headerHash(previous);
    if (!previousHash.equals(batch.prevHeaderHash())) {
      throw CHAIN_BROKEN.exception(
          "prev_header_hash "
              + batch.prevHeaderHash()
              + " of batch "
              + batch.batchId()
              + " is not the header_hash "
              + previousHash
              + " of anchored "
              + describe(batch.logId(), previousId));
    }
  }

  private static void advanceLatest(ChaincodeStub stub, SignedHeader batch) {
    String key = latestKey(batch.logId());
    String latest = read(stub, key);
    if (latest == null || parse(latest).path("batch_id").asLong() < batch.batchId()) {
      stub.putStringState(
          key,
          Canonical.json(Map.of("batch_id", batch.batchId(), "header_hash", batch.headerHash())));
    }
  }

  private static void requireLogId(String logId) {
    if (logId == null || !LOG_ID.matcher(logId).matches()) {
      throw INVALID_ARGUMENT.exception("log id must be 1-64 of [A-Za-z0-9_.-], was " + logId);
    }
  }

  private static String batchKey(String logId, long batchId) {
    // Built directly rather than through stub.createCompositeKey: the same string, without a
    // round trip through the stub.
    return new CompositeKey(BATCH, logId, String.format("%020d", batchId)).toString();
  }

  private static String latestKey(String logId) {
    return new CompositeKey(LATEST, logId).toString();
  }

  /** The stored value, or null when the key is absent (the peer answers absent with no bytes). */
  private static String read(ChaincodeStub stub, String key) {
    String value = stub.getStringState(key);
    return value == null || value.isEmpty() ? null : value;
  }

  private static String headerHash(String record) {
    return parse(record).path("batch").path("header_hash").asText();
  }

  /** Parses a value this contract stored; failure means the world state itself is corrupt. */
  private static JsonNode parse(String stored) {
    try {
      return Canonical.parse(stored);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored value is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String describe(String logId, long batchId) {
    return "batch " + batchId + " of log " + logId;
  }
}
