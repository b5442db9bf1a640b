package io.kefu.audit.anchor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kefu.audit.batch.BatchHeader;
import io.kefu.audit.batch.SignedBatchHeader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Identity;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FabricLedger} against {@link FakeFabricGateway}: an in-process gRPC Gateway service that
 * runs the real {@code AuditAnchorContract} on an in-memory world state. No network, no Docker.
 */
final class FabricLedgerTest {

  private static final long CLOSED_AT = 1_763_881_200_000L; // 2025-11-23T07:00:00Z
  private static final int RETRIES = 3;
  private static final String KEY_0 = "\u0000kefu.batch\u0000ops\u000000000000000000000000\u0000";

  private static X509Certificate certificate;
  private static PrivateKey privateKey;
  private static Identity identity;
  private static Signer signer;

  private final SignedBatchHeader batch0 = batch(0, BatchHeader.NO_PREVIOUS, 0x11);
  private final SignedBatchHeader batch1 = batch(1, batch0.headerHash(), 0x22);
  private final SignedBatchHeader batch2 = batch(2, batch1.headerHash(), 0x33);

  private FakeFabricGateway peer;
  private Server server;
  private ManagedChannel channel;
  private FabricLedger ledger;

  /** A throw-away client identity: an EC P-256 key and a self-signed certificate. */
  @BeforeAll
  static void newIdentity() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name("CN=kefu-anchor,OU=client,O=Org1");
    Instant now = Instant.now();
    certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.ONE,
                        Date.from(now.minus(Duration.ofMinutes(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        name,
                        keys.getPublic())
                    .build(
                        new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    privateKey = keys.getPrivate();
    identity = new X509Identity("Org1MSP", certificate);
    signer = Signers.newPrivateKeySigner(privateKey);
  }

  @BeforeEach
  void startPeer() throws IOException {
    peer = new FakeFabricGateway();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(peer).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    ledger = new FabricLedger(channel, identity, signer, settings());
  }

  @AfterEach
  void stopPeer() throws Exception {
    ledger.close();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void anchorReturnsTheTransactionAndBlockAndTheStateHoldsTheExactRecord() throws Exception {
    Anchor anchor = ledger.anchor(batch0);

    assertEquals(batch0, anchor.batch());
    assertEquals("fabric:kefu/kefu-audit", anchor.ledger());
    assertEquals(1, anchor.blockNumber());
    String txId = anchor.transactionId();
    Instant proposed = peer.proposalTime(txId);
    assertNotNull(proposed, "the anchor's tx id is the one the peer endorsed");
    assertEquals(proposed.toEpochMilli(), anchor.anchoredAt(), "time of the transaction");
    assertEquals(
        "{\"anchored_at\":"
            + proposed.toEpochMilli()
            + ",\"batch\":"
            + new String(batch0.toJsonBytes(), UTF_8)
            + ",\"tx_id\":\""
            + txId
            + "\"}",
        peer.state(KEY_0));
    assertEquals(
        List.of(
            "Anchored {\"batch_id\":0,\"header_hash\":\""
                + batch0.headerHashHex()
                + "\",\"log_id\":\"ops\"}"),
        peer.committedEvents());
  }

  @Test
  void identicalBatchAgainReturnsTheOriginalAnchorWithoutASecondTransaction() throws Exception {
    Anchor first = ledger.anchor(batch0);
    String stored = peer.state(KEY_0);

    Anchor again = ledger.anchor(batch0);

    assertEquals(first.transactionId(), again.transactionId());
    assertEquals(first.anchoredAt(), again.anchoredAt());
    assertEquals(first.batch(), again.batch());
    assertEquals(FabricLedger.UNKNOWN_BLOCK, again.blockNumber(), "a read-back anchor");
    assertEquals(2, peer.runs("AnchorBatch"));
    assertEquals(1, peer.submits(), "nothing new to order");
    assertEquals(stored, peer.state(KEY_0));
  }

  @Test
  void unavailableEndorsementIsRetriedAndTheBatchAnchoredOnce() throws Exception {
    peer.failNextEndorse(Status.UNAVAILABLE.withDescription("peer restarting"));

    Anchor anchor = ledger.anchor(batch0);

    assertEquals(2, peer.endorseCalls());
    assertEquals(1, peer.runs("AnchorBatch"), "the failed call never reached the chaincode");
    assertEquals(1, peer.submits());
    assertTrue(peer.state(KEY_0).contains("\"tx_id\":\"" + anchor.transactionId() + "\""));
  }

  @Test
  void mvccReadConflictAtCommitIsRetriedWithANewTransaction() throws Exception {
    peer.commitNextAs(TxValidationCode.MVCC_READ_CONFLICT);

    Anchor anchor = ledger.anchor(batch0);

    assertEquals(2, peer.submits());
    assertEquals(2, anchor.blockNumber(), "block 1 holds the invalidated first attempt");
    assertTrue(peer.state(KEY_0).contains("\"tx_id\":\"" + anchor.transactionId() + "\""));
  }

  @Test
  void lostCommitStatusIsRetriedAndFindsTheFirstTransactionCommitted() throws Exception {
    peer.failNextCommitStatus(Status.DEADLINE_EXCEEDED.withDescription("commit status timeout"));

    Anchor anchor = ledger.anchor(batch0);

    assertEquals(1, peer.submits(), "the retry's endorsement returned the stored record");
    assertEquals(2, peer.runs("AnchorBatch"));
    assertTrue(peer.state(KEY_0).contains("\"tx_id\":\"" + anchor.transactionId() + "\""));
    assertEquals(FabricLedger.UNKNOWN_BLOCK, anchor.blockNumber());
  }

  @Test
  void retryableFailuresGiveUpAfterTheConfiguredRetriesStillRetryable() {
    for (int i = 0; i <= RETRIES; i++) {
      peer.failNextEndorse(Status.DEADLINE_EXCEEDED);
    }

    LedgerException e = assertThrows(LedgerException.class, () -> ledger.anchor(batch0));

    assertTrue(e.retryable());
    assertEquals(RETRIES + 1, peer.endorseCalls());
    assertTrue(e.getMessage().contains("DEADLINE_EXCEEDED"), e.getMessage());
  }

  @Test
  void chaincodeRefusalIsAFinalFailureNamingTheReason() {
    BatchHeader h = batch0.header();
    SignedBatchHeader negativeTime =
        new SignedBatchHeader(
            new BatchHeader(
                1,
                "ops",
                0,
                h.firstSeq(),
                h.lastSeq(),
                h.count(),
                h.root(),
                h.prevHeaderHash(),
                -1,
                h.keyId()),
            batch0.signature());

    LedgerException e = assertThrows(LedgerException.class, () -> ledger.anchor(negativeTime));

    assertFalse(e instanceof AnchorConflictException);
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("INVALID_BATCH: header.closed_at"), e.getMessage());
    assertEquals(1, peer.endorseCalls(), "not retried");
  }

  @Test
  void batchWhosePreviousIsNotAnchoredIsRefused() {
    LedgerException e = assertThrows(LedgerException.class, () -> ledger.anchor(batch1));

    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("PREVIOUS_BATCH_MISSING"), e.getMessage());
  }

  @Test
  void batchThatDoesNotPointAtTheAnchoredPreviousBreaksTheChain() throws Exception {
    ledger.anchor(batch0);
    SignedBatchHeader forked = batch(1, batch(0, BatchHeader.NO_PREVIOUS, 0x44).headerHash(), 0x22);

    LedgerException e = assertThrows(LedgerException.class, () -> ledger.anchor(forked));

    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("CHAIN_BROKEN"), e.getMessage());
  }

  @Test
  void differentHeaderUnderAnAnchoredBatchIdIsAConflictCarryingWhatTheLedgerHolds()
      throws Exception {
    Anchor original = ledger.anchor(batch0);
    SignedBatchHeader rewritten = batch(0, BatchHeader.NO_PREVIOUS, 0x55);

    AnchorConflictException e =
        assertThrows(AnchorConflictException.class, () -> ledger.anchor(rewritten));

    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("BATCH_CONFLICT"), e.getMessage());
    Anchor existing = e.existing();
    assertEquals(batch0, existing.batch());
    assertEquals(original.transactionId(), existing.transactionId());
    assertEquals(original.anchoredAt(), existing.anchoredAt());
    assertEquals(FabricLedger.UNKNOWN_BLOCK, existing.blockNumber());
  }

  @Test
  void transactionInvalidatedAtCommitIsAFinalFailureNamingTheValidationCode() throws Exception {
    peer.commitNextAs(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);

    LedgerException e = assertThrows(LedgerException.class, () -> ledger.anchor(batch0));

    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("ENDORSEMENT_POLICY_FAILURE"), e.getMessage());
    assertEquals(1, peer.submits());
    assertNull(peer.state(KEY_0), "an invalid transaction writes nothing");
    assertTrue(ledger.get("ops", 0).isEmpty());
  }

  @Test
  void anchorsReadBackThroughGetLatestAndList() throws Exception {
    Anchor a0 = ledger.anchor(batch0);
    Anchor a1 = ledger.anchor(batch1);
    Anchor a2 = ledger.anchor(batch2);

    Anchor got = ledger.get("ops", 1).orElseThrow();
    assertEquals(batch1, got.batch());
    assertEquals(a1.transactionId(), got.transactionId());
    assertEquals(a1.anchoredAt(), got.anchoredAt());
    assertEquals(a2.transactionId(), ledger.latest("ops").orElseThrow().transactionId());

    assertEquals(
        List.of(a0.transactionId(), a1.transactionId(), a2.transactionId()),
        ledger.list("ops", 0, 2).stream().map(Anchor::transactionId).toList());
    assertEquals(List.of(batch1), ledger.list("ops", 1, 1).stream().map(Anchor::batch).toList());
    assertEquals(3, ledger.list("ops", 0, 5_000).size(), "ends at the latest batch");
    assertEquals(
        List.of(batch2),
        ledger.list("ops", 2, Long.MAX_VALUE).stream().map(Anchor::batch).toList());

    assertTrue(ledger.get("ops", 3).isEmpty());
    assertTrue(ledger.latest("billing").isEmpty());
    assertTrue(ledger.list("billing", 0, 10).isEmpty());
  }

  @Test
  void connectNamesTheIdentityFileItCannotRead(@TempDir Path dir) {
    Properties p = properties();
    p.setProperty("client.cert", "missing-cert.pem");
    FabricSettings s = FabricSettings.parse(p, dir.resolve(FabricSettings.FILE));

    LedgerException e = assertThrows(LedgerException.class, () -> FabricLedger.connect(s));

    assertTrue(e.getMessage().contains("client.cert " + dir.resolve("missing-cert.pem")));
  }

  @Test
  void connectedLedgerReportsAnUnreachablePeerAsRetryable(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("msp"));
    Files.writeString(dir.resolve("msp/cert.pem"), Identities.toPemString(certificate));
    Files.writeString(dir.resolve("msp/key.pem"), Identities.toPemString(privateKey));
    Properties p = properties();
    p.setProperty("peer.endpoint", "127.0.0.1:1"); // nothing listens on port 1

    try (FabricLedger unreachable =
        FabricLedger.connect(FabricSettings.parse(p, dir.resolve(FabricSettings.FILE)))) {
      LedgerException e = assertThrows(LedgerException.class, () -> unreachable.latest("ops"));

      assertTrue(e.retryable());
      assertTrue(e.getMessage().contains("UNAVAILABLE"), e.getMessage());
    }
  }

  @Nested
  final class Settings {
    private final Path file = Path.of("/etc/kefu/fabric.properties");

    @Test
    void defaultsAndPathsRelativeToTheFile() {
      FabricSettings s = FabricSettings.parse(properties(), file);

      assertEquals("kefu-audit", s.chaincode());
      assertNull(s.peerTlsCa(), "plaintext unless a CA is given");
      assertEquals(Path.of("/etc/kefu/msp/cert.pem"), s.clientCert());
      assertEquals(Duration.ofSeconds(15), s.endorseTimeout());
      assertEquals(Duration.ofSeconds(60), s.commitTimeout());
      assertEquals(5, FabricSettings.parse(withoutRetries(), file).retries());
    }

    @Test
    void missingKeyIsNamedWithTheFile() {
      Properties p = properties();
      p.remove("msp.id");

      var e = assertThrows(IllegalArgumentException.class, () -> FabricSettings.parse(p, file));

      assertEquals("/etc/kefu/fabric.properties: msp.id is required", e.getMessage());
    }

    @Test
    void invalidValuesAndUnknownKeysAreRefused() {
      Properties badEndpoint = properties();
      badEndpoint.setProperty("peer.endpoint", "peer0.org1.example.com");
      Properties badRetries = properties();
      badRetries.setProperty("retries", "-1");
      Properties typo = properties();
      typo.setProperty("peer.tls.cert", "tls/ca.crt");

      assertTrue(
          message(badEndpoint).contains("peer.endpoint must be host:port"), message(badEndpoint));
      assertTrue(message(badRetries).contains("retries must be a whole number ≥ 0, was -1"));
      assertTrue(message(typo).contains("unknown keys [peer.tls.cert]"), message(typo));
    }

    private String message(Properties p) {
      return assertThrows(IllegalArgumentException.class, () -> FabricSettings.parse(p, file))
          .getMessage();
    }

    private Properties withoutRetries() {
      Properties p = properties();
      p.remove("retries");
      return p;
    }
  }

  // ---- fixtures ----

  private static Properties properties() {
    Properties p = new Properties();
    p.setProperty("peer.endpoint", "localhost:7051");
    p.setProperty("msp.id", "Org1MSP");
    p.setProperty("client.cert", "msp/cert.pem");
    p.setProperty("client.key", "msp/key.pem");
    p.setProperty("channel", FakeFabricGateway.CHANNEL);
    p.setProperty("retries", Integer.toString(RETRIES));
    p.setProperty("retry.backoff.ms", "1");
    return p;
  }

  private static FabricSettings settings() {
    return FabricSettings.parse(properties(), Path.of(FabricSettings.FILE));
  }

  /** Batch {@code id} of log "ops": 100 records, a root of one repeated byte. */
  private static SignedBatchHeader batch(long id, byte[] prevHeaderHash, int rootByte) {
    byte[] root = new byte[32];
    Arrays.fill(root, (byte) rootByte);
    BatchHeader header =
        new BatchHeader(
            BatchHeader.VERSION,
            "ops",
            id,
            id * 100,
            id * 100 + 99,
            100,
            root,
            prevHeaderHash,
            CLOSED_AT + id * 60_000,
            "ed25519-test");
    return new SignedBatchHeader(header, ("signature of batch " + id).getBytes(UTF_8));
  }
}
