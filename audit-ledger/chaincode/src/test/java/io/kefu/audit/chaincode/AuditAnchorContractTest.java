package io.kefu.audit.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.InOrder;

/**
 * The contract against a mocked stub, as fabric-samples' AssetTransferTest does. Expected JSON and
 * keys are written out literally here, not produced by the contract's own helpers.
 */
final class AuditAnchorContractTest {

  private static final String ZEROS = "0".repeat(64);
  private static final String ROOT_0 = "1a".repeat(32);
  private static final String ROOT_1 = "2b".repeat(32);

  // Batch 0 and 1 of log "ops", canonical (sorted keys, no whitespace), and their hashes.
  private static final String HEADER_0 = header(0, 0, 999, 1000, ZEROS, ROOT_0);
  private static final String HASH_0 = sha256(HEADER_0);
  private static final String SIGNED_0 = signed(HEADER_0, HASH_0, "c2lnbmF0dXJlLTA=");
  private static final String HEADER_1 = header(1, 1000, 1499, 500, HASH_0, ROOT_1);
  private static final String HASH_1 = sha256(HEADER_1);
  private static final String SIGNED_1 = signed(HEADER_1, HASH_1, "c2lnbmF0dXJlLTE=");

  private static final long ANCHORED_AT_0 = 1_763_881_260_000L; // 2025-11-23T07:01:00Z
  private static final String RECORD_0 =
      "{\"anchored_at\":" + ANCHORED_AT_0 + ",\"batch\":" + SIGNED_0 + ",\"tx_id\":\"tx-0\"}";

  private static final String KEY_0 = "\u0000kefu.batch\u0000ops\u000000000000000000000000\u0000";
  private static final String KEY_1 = "\u0000kefu.batch\u0000ops\u000000000000000000000001\u0000";
  private static final String LATEST = "\u0000kefu.latest\u0000ops\u0000";

  private final AuditAnchorContract contract = new AuditAnchorContract();
  private final Context ctx = mock(Context.class);
  private final ChaincodeStub stub = mock(ChaincodeStub.class);

  @BeforeEach
  void stubTransaction() {
    when(ctx.getStub()).thenReturn(stub);
    when(stub.getTxId()).thenReturn("tx-0");
    when(stub.getTxTimestamp()).thenReturn(Instant.ofEpochMilli(ANCHORED_AT_0));
  }

  @Test
  void firstBatchIsStoredWithTransactionTimeAndIdThenLatestThenEvent() {
    String returned = contract.anchorBatch(ctx, SIGNED_0);

    assertEquals(RECORD_0, returned);
    InOrder inOrder = inOrder(stub);
    inOrder.verify(stub).putStringState(KEY_0, RECORD_0);
    inOrder
        .verify(stub)
        .putStringState(LATEST, "{\"batch_id\":0,\"header_hash\":\"" + HASH_0 + "\"}");
    inOrder
        .verify(stub)
        .setEvent(
            "Anchored",
            ("{\"batch_id\":0,\"header_hash\":\"" + HASH_0 + "\",\"log_id\":\"ops\"}")
                .getBytes(UTF_8));
  }

  @Test
  void spacingAndKeyOrderOfTheRequestDoNotReachTheLedger() {
    String scrambled =
        "{ \"signature\": \"c2lnbmF0dXJlLTA=\", \"header_hash\": \""
            + HASH_0
            + "\",\n \"header\": {\"version\": 1, \"root\": \""
            + ROOT_0
            + "\", \"prev_header_hash\": \""
            + ZEROS
            + "\", \"log_id\": \"ops\", \"last_seq\": 999, \"key_id\": \"ed25519-1\","
            + " \"first_seq\": 0, \"count\": 1000, \"closed_at\": 1763881200000, \"batch_id\": 0}}";

    assertEquals(RECORD_0, contract.anchorBatch(ctx, scrambled));
    verify(stub).putStringState(KEY_0, RECORD_0);
  }

  @Test
  void nextBatchIsStoredWhenItPointsAtTheAnchoredPrevious() {
    when(stub.getStringState(KEY_0)).thenReturn(RECORD_0);
    when(stub.getStringState(LATEST))
        .thenReturn("{\"batch_id\":0,\"header_hash\":\"" + HASH_0 + "\"}");
    when(stub.getTxId()).thenReturn("tx-1");
    when(stub.getTxTimestamp()).thenReturn(Instant.ofEpochMilli(ANCHORED_AT_0 + 60_000));

    String record1 =
        "{\"anchored_at\":1763881320000,\"batch\":" + SIGNED_1 + ",\"tx_id\":\"tx-1\"}";
    assertEquals(record1, contract.anchorBatch(ctx, SIGNED_1));
    verify(stub).putStringState(KEY_1, record1);
    verify(stub).putStringState(LATEST, "{\"batch_id\":1,\"header_hash\":\"" + HASH_1 + "\"}");
  }

  @Test
  void identicalBatchAgainReturnsTheStoredRecordAndWritesNothing() {
    when(stub.getStringState(KEY_0)).thenReturn(RECORD_0);
    when(stub.getTxId()).thenReturn("tx-retry");

    assertEquals(RECORD_0, contract.anchorBatch(ctx, SIGNED_0));
    verify(stub, never()).putStringState(anyString(), anyString());
    verify(stub, never()).putState(anyString(), any());
    verify(stub, never()).setEvent(anyString(), any());
  }

  @Test
  void differentHeaderUnderTheSameBatchIdIsAConflict() {
    when(stub.getStringState(KEY_0)).thenReturn(RECORD_0);
    String other = header(0, 0, 999, 1000, ZEROS, "3c".repeat(32));

    ChaincodeException e =
        refused(() -> contract.anchorBatch(ctx, signed(other, sha256(other), "c2ln")));

    assertError("BATCH_CONFLICT", e);
    assertTrue(e.getMessage().contains(HASH_0) && e.getMessage().contains(sha256(other)));
    verifyNothingWritten();
  }

  @Test
  void batchWithoutItsPreviousIsRefused() {
    assertError("PREVIOUS_BATCH_MISSING", refused(() -> contract.anchorBatch(ctx, SIGNED_1)));
    verifyNothingWritten();
  }

  @Test
  void batchPointingAtAnotherPreviousHashBreaksTheChain() {
    when(stub.getStringState(KEY_0)).thenReturn(RECORD_0);
    String forked = header(1, 1000, 1499, 500, "9f".repeat(32), ROOT_1);

    ChaincodeException e =
        refused(() -> contract.anchorBatch(ctx, signed(forked, sha256(forked), "c2ln")));

    assertError("CHAIN_BROKEN", e);
    assertTrue(e.getMessage().contains(HASH_0), e.getMessage());
    verifyNothingWritten();
  }

  static Stream<Arguments> invalidRequests() {
    String wrongCount = header(0, 0, 999, 999, ZEROS, ROOT_0);
    String upperHexRoot = header(0, 0, 999, 1000, ZEROS, ROOT_0.toUpperCase());
    String chainedBatch0 = header(0, 0, 999, 1000, HASH_0, ROOT_0);
    String badLogId = HEADER_0.replace("\"log_id\":\"ops\"", "\"log_id\":\"ops/eu\"");
    String version2 = HEADER_0.replace("\"version\":1", "\"version\":2");
    String negativeSeq = header(0, -1, 998, 1000, ZEROS, ROOT_0);
    String fractionalTime = HEADER_0.replace("1763881200000", "1763881200000.5");
    String extraField = HEADER_0.replace("{\"batch_id\"", "{\"agent\":\"a-17\",\"batch_id\"");
    String missingKeyId = HEADER_0.replace("\"key_id\":\"ed25519-1\",", "");
    return Stream.of(
        Arguments.of("not JSON", "{\"header\":", "not a JSON document"),
        Arguments.of(
            "bad hex",
            signed(upperHexRoot, sha256(upperHexRoot), "c2ln"),
            "header.root must be 64 lower-case hex"),
        Arguments.of(
            "count mismatch",
            signed(wrongCount, sha256(wrongCount), "c2ln"),
            "header.count must be last_seq - first_seq + 1 = 1000, was 999"),
        Arguments.of(
            "wrong header_hash",
            signed(HEADER_0, "ab".repeat(32), "c2ln"),
            "header_hash " + "ab".repeat(32) + " is not the SHA-256 of the canonical header"),
        Arguments.of(
            "unknown header field",
            signed(extraField, sha256(extraField), "c2ln"),
            "header has an unknown field \"agent\""),
        Arguments.of(
            "unknown top-level field",
            SIGNED_0.replace("{\"header\"", "{\"customer\":\"x\",\"header\""),
            "signed header has an unknown field \"customer\""),
        Arguments.of(
            "duplicate key",
            SIGNED_0.replace("{\"header\"", "{\"signature\":\"c2ln\",\"header\""),
            "Duplicate field 'signature'"),
        Arguments.of(
            "missing field",
            signed(missingKeyId, sha256(missingKeyId), "c2ln"),
            "header.key_id must be a string"),
        Arguments.of(
            "version", signed(version2, sha256(version2), "c2ln"), "header.version must be 1"),
        Arguments.of(
            "log id", signed(badLogId, sha256(badLogId), "c2ln"), "header.log_id must be 1-64"),
        Arguments.of(
            "negative integer",
            signed(negativeSeq, sha256(negativeSeq), "c2ln"),
            "header.first_seq must be an integer ≥ 0, was -1"),
        Arguments.of(
            "fractional integer",
            signed(fractionalTime, sha256(fractionalTime), "c2ln"),
            "header.closed_at must be an integer ≥ 0"),
        Arguments.of(
            "batch 0 with a previous",
            signed(chainedBatch0, sha256(chainedBatch0), "c2ln"),
            "header.prev_header_hash of batch 0 must be 64 zeros"),
        Arguments.of(
            "empty signature",
            signed(HEADER_0, HASH_0, ""),
            "signature must be non-empty padded base64"),
        Arguments.of(
            "unpadded signature",
            signed(HEADER_0, HASH_0, "c2lnbmF0dXJlLTA"),
            "signature must be non-empty padded base64"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void invalidRequestIsRefusedNamingTheField(String name, String json, String expected) {
    ChaincodeException e = refused(() -> contract.anchorBatch(ctx, json));

    assertError("INVALID_BATCH", e);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    verifyNothingWritten();
  }

  @Test
  void getBatchReturnsTheStoredRecord() {
    when(stub.getStringState(KEY_0)).thenReturn(RECORD_0);

    assertEquals(RECORD_0, contract.getBatch(ctx, "ops", 0));
  }

  @Test
  void getBatchOfAnUnanchoredBatchIsNotFound() {
    when(stub.getStringState(KEY_1)).thenReturn(""); // a peer answers an absent key with no bytes

    assertError("BATCH_NOT_FOUND", refused(() -> contract.getBatch(ctx, "ops", 1)));
  }

  @Test
  void queriesRefuseMalformedArguments() {
    assertError("INVALID_ARGUMENT", refused(() -> contract.getBatch(ctx, "ops\u0000x", 0)));
    assertError("INVALID_ARGUMENT", refused(() -> contract.getBatch(ctx, "ops", -1)));
    assertError("INVALID_ARGUMENT", refused(() -> contract.getLatest(ctx, "")));
  }

  @Test
  void getLatestFollowsTheLatestPointer() {
    when(stub.getStringState(LATEST))
        .thenReturn("{\"batch_id\":0,\"header_hash\":\"" + HASH_0 + "\"}");
    when(stub.getStringState(KEY_0)).thenReturn(RECORD_0);

    assertEquals(RECORD_0, contract.getLatest(ctx, "ops"));
  }

  @Test
  void getLatestOfALogWithoutBatchesIsNotFound() {
    assertError("BATCH_NOT_FOUND", refused(() -> contract.getLatest(ctx, "ops")));
  }

  @Test
  void listBatchesReturnsTheRangeInOrderAndStopsReadingAfterIt() {
    FakeIterator batches =
        new FakeIterator(
            List.of(
                kv(0, "{\"n\":0}"),
                kv(1, "{\"n\":1}"),
                kv(2, "{\"n\":2}"),
                kv(3, "{\"n\":3}"),
                kv(4, "{\"n\":4}")));
    when(stub.getStateByPartialCompositeKey("kefu.batch", "ops")).thenReturn(batches);

    assertEquals("[{\"n\":1},{\"n\":2},{\"n\":3}]", contract.listBatches(ctx, "ops", 1, 3));
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), batches.read, "reads up to the first id past 3");
    assertTrue(batches.closed);
  }

  @Test
  void listBatchesOfAnEmptyRangeIsAnEmptyArray() {
    when(stub.getStateByPartialCompositeKey("kefu.batch", "ops"))
        .thenReturn(new FakeIterator(List.of(kv(0, "{\"n\":0}"))));

    assertEquals("[]", contract.listBatches(ctx, "ops", 5, 9));
  }

  @Test
  void listBatchesRefusesBackwardAndOversizedRanges() {
    assertError("INVALID_ARGUMENT", refused(() -> contract.listBatches(ctx, "ops", 3, 2)));
    ChaincodeException tooMany = refused(() -> contract.listBatches(ctx, "ops", 0, 1000));
    assertError("INVALID_ARGUMENT", tooMany);
    assertTrue(tooMany.getMessage().contains("at most 1000 batches per call"));
    verify(stub, never()).getStateByPartialCompositeKey(anyString(), any(String[].class));
  }

  // ---- fixtures ----

  /** A batch header of log "ops" in canonical form, written out key by key. */
  private static String header(
      long batchId, long firstSeq, long lastSeq, long count, String prev, String root) {
    return "{\"batch_id\":"
        + batchId
        + ",\"closed_at\":1763881200000,\"count\":"
        + count
        + ",\"first_seq\":"
        + firstSeq
        + ",\"key_id\":\"ed25519-1\",\"last_seq\":"
        + lastSeq
        + ",\"log_id\":\"ops\",\"prev_header_hash\":\""
        + prev
        + "\",\"root\":\""
        + root
        + "\",\"version\":1}";
  }

  private static String signed(String header, String headerHash, String signature) {
    return "{\"header\":"
        + header
        + ",\"header_hash\":\""
        + headerHash
        + "\",\"signature\":\""
        + signature
        + "\"}";
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static ChaincodeException refused(Executable call) {
    return assertThrows(ChaincodeException.class, call);
  }

  private static void assertError(String code, ChaincodeException e) {
    assertArrayEquals(code.getBytes(UTF_8), e.getPayload(), e.getMessage());
    assertTrue(e.getMessage().startsWith(code + ": "), e.getMessage());
  }

  private void verifyNothingWritten() {
    verify(stub, never()).putStringState(anyString(), anyString());
    verify(stub, never()).putState(anyString(), any());
    verify(stub, never()).setEvent(anyString(), any());
  }

  private static KeyValue kv(long batchId, String value) {
    String key = "\u0000kefu.batch\u0000ops\u0000" + String.format("%020d", batchId) + "\u0000";
    return new KeyValue() {
      @Override
      public String getKey() {
        return key;
      }

      @Override
      public byte[] getValue() {
        return value.getBytes(UTF_8);
      }

      @Override
      public String getStringValue() {
        return value;
      }
    };
  }

  /** A range result that records how far the contract read and whether it closed it. */
  private static final class FakeIterator implements QueryResultsIterator<KeyValue> {
    private final List<KeyValue> entries;
    final List<Long> read = new ArrayList<>();
    boolean closed;

    FakeIterator(List<KeyValue> entries) {
      this.entries = entries;
    }

    @Override
    public Iterator<KeyValue> iterator() {
      Iterator<KeyValue> it = entries.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public KeyValue next() {
          KeyValue kv = it.next();
          read.add(Long.parseLong(kv.getKey().split("\u0000")[3]));
          return kv;
        }
      };
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
