package io.kefu.audit.anchor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import io.kefu.audit.batch.BatchHeader;
import io.kefu.audit.batch.CanonicalJson;
import io.kefu.audit.batch.SignedBatchHeader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Identity;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Anchors batch headers with the {@code kefu-audit} chaincode through a peer's Fabric Gateway.
 *
 * <p>{@link #anchor} endorses {@code AnchorBatch}, submits, and waits for the commit status,
 * retrying the same payload (a new transaction each time) while the failure may pass: gRPC
 * UNAVAILABLE or DEADLINE_EXCEEDED at any step, or an MVCC_READ_CONFLICT at commit. Retrying is
 * safe because the chaincode is idempotent: if an earlier attempt did commit, the next endorsement
 * returns that stored record.
 *
 * <p>Block numbers: the chaincode cannot know the block its transaction lands in, so only a fresh
 * anchor carries one (from its commit status). Anchors read back ({@link #get}, {@link #latest},
 * {@link #list}, and {@link #anchor} of a header that was already anchored) carry the original
 * transaction id and time from the stored record and block number {@value #UNKNOWN_BLOCK}; an
 * auditor finds the block with qscc {@code GetBlockByTxID}.
 */
public final class FabricLedger implements Ledger {

  /** The block number of anchors read back from world state. */
  public static final long UNKNOWN_BLOCK = -1;

  /** The chaincode's cap on batch ids per ListBatches call. */
  private static final int LIST_PAGE = 1000;

  private final FabricSettings settings;
  private final Gateway gateway;
  private final Contract contract;
  private final ManagedChannel ownedChannel;

  /**
   * A ledger on an existing gRPC channel to a peer's Gateway service; the caller keeps ownership of
   * the channel. Only the channel, chaincode, timeouts and retry settings are used.
   */
  public FabricLedger(Channel grpc, Identity identity, Signer signer, FabricSettings settings) {
    this(grpc, identity, signer, settings, null);
  }

  private FabricLedger(
      Channel grpc,
      Identity identity,
      Signer signer,
      FabricSettings settings,
      ManagedChannel ownedChannel) {
    this.settings = settings;
    this.ownedChannel = ownedChannel;
    this.gateway =
        Gateway.newInstance()
            .identity(identity)
            .signer(signer)
            .hash(Hash.SHA256)
            .connection(grpc)
            .evaluateOptions(o -> deadline(o, settings.evaluateTimeout()))
            .endorseOptions(o -> deadline(o, settings.endorseTimeout()))
            .submitOptions(o -> deadline(o, settings.submitTimeout()))
            .commitStatusOptions(o -> deadline(o, settings.commitTimeout()))
            .connect();
    this.contract = gateway.getNetwork(settings.channel()).getContract(settings.chaincode());
  }

  private static CallOptions deadline(CallOptions options, Duration timeout) {
    return options.withDeadlineAfter(timeout.toMillis(), MILLISECONDS);
  }

  /** Opens a gRPC channel to {@code peer.endpoint} (TLS when {@code peer.tls.ca} is set). */
  public static FabricLedger connect(FabricSettings s) throws LedgerException {
    Identity identity;
    Signer signer;
    try (Reader cert = Files.newBufferedReader(s.clientCert(), UTF_8);
        Reader key = Files.newBufferedReader(s.clientKey(), UTF_8)) {
      identity = new X509Identity(s.mspId(), Identities.readX509Certificate(cert));
      signer = Signers.newPrivateKeySigner(Identities.readPrivateKey(key));
    } catch (IOException | GeneralSecurityException e) {
      throw new LedgerException(
          "fabric identity from client.cert "
              + s.clientCert()
              + " and client.key "
              + s.clientKey()
              + ": "
              + e,
          false,
          e);
    }
    ChannelCredentials credentials;
    try {
      credentials =
          s.peerTlsCa() == null
              ? InsecureChannelCredentials.create()
              : TlsChannelCredentials.newBuilder().trustManager(s.peerTlsCa().toFile()).build();
    } catch (IOException e) {
      throw new LedgerException("fabric peer.tls.ca " + s.peerTlsCa() + ": " + e, false, e);
    }
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(s.peerEndpoint(), credentials);
    if (s.peerHostOverride() != null) {
      builder.overrideAuthority(s.peerHostOverride());
    }
    ManagedChannel channel = builder.build();
    return new FabricLedger(channel, identity, signer, s, channel);
  }

  @Override
  public Anchor anchor(SignedBatchHeader batch) throws LedgerException {
    String payload = new String(batch.toJsonBytes(), UTF_8);
    Duration backoff = settings.retryBackoff();
    for (int attempt = 0; ; attempt++) {
      try {
        return anchorOnce(batch, payload);
      } catch (LedgerException e) {
        if (!e.retryable() || attempt >= settings.retries()) {
          throw e;
        }
      }
      pause(backoff);
      backoff = backoff.multipliedBy(2);
    }
  }

  private Anchor anchorOnce(SignedBatchHeader batch, String payload) throws LedgerException {
    Transaction tx;
    try {
      tx = contract.newProposal("AnchorBatch").addArguments(payload).build().endorse();
    } catch (EndorseException e) {
      if (mentions(e, "BATCH_CONFLICT")) {
        throw conflict(batch, e);
      }
      throw failure("endorsing " + batchName(batch), e);
    }

    Anchor stored = anchorOf(tx.getResult(), UNKNOWN_BLOCK);
    if (!Arrays.equals(stored.batch().headerHash(), batch.headerHash())) {
      throw new LedgerException(
          describe() + " answered " + batchName(batch) + " with the record of another header",
          false);
    }
    if (!stored.transactionId().equals(tx.getTransactionId())) {
      // The chaincode answered with the record of an earlier transaction: this header is already
      // anchored. A read-only transaction has nothing to order, so it is not submitted.
      return stored;
    }

    Status status;
    try {
      status = tx.submitAsync().getStatus();
    } catch (SubmitException e) {
      throw failure("submitting " + batchName(batch), e);
    } catch (CommitStatusException e) {
      throw failure("waiting for the commit of " + batchName(batch), e);
    }
    if (!status.isSuccessful()) {
      TxValidationCode code = status.getCode();
      throw new LedgerException(
          batchName(batch)
              + ": transaction "
              + status.getTransactionId()
              + " was not committed, validation code "
              + code.name(),
          code == TxValidationCode.MVCC_READ_CONFLICT);
    }
    return new Anchor(
        stored.batch(),
        describe(),
        status.getTransactionId(),
        status.getBlockNumber(),
        stored.anchoredAt());
  }

  /** A conflict carrying what the ledger holds, or null when that cannot be read now. */
  private AnchorConflictException conflict(SignedBatchHeader batch, EndorseException e) {
    BatchHeader h = batch.header();
    Anchor existing = null;
    LedgerException unreadable = null;
    try {
      existing = get(h.logId(), h.batchId()).orElse(null);
    } catch (LedgerException readFailure) {
      unreadable = readFailure;
    }
    AnchorConflictException conflict =
        new AnchorConflictException(
            batchName(batch) + " is already anchored with a different header: " + reasons(e),
            existing);
    if (unreadable != null) {
      conflict.addSuppressed(unreadable);
    }
    return conflict;
  }

  @Override
  public Optional<Anchor> get(String logId, long batchId) throws LedgerException {
    return read("GetBatch", logId, Long.toString(batchId));
  }

  @Override
  public Optional<Anchor> latest(String logId) throws LedgerException {
    return read("GetLatest", logId);
  }

  private Optional<Anchor> read(String function, String... args) throws LedgerException {
    try {
      return Optional.of(anchorOf(contract.evaluateTransaction(function, args), UNKNOWN_BLOCK));
    } catch (GatewayException e) {
      if (mentions(e, "BATCH_NOT_FOUND")) {
        return Optional.empty();
      }
      throw failure(function + " " + String.join(" ", args), e);
    }
  }

  /**
   * Reads in pages of the chaincode's cap. A log's batches are contiguous from 0 (the chain rule),
   * so the range ends at the latest anchored batch.
   */
  @Override
  public List<Anchor> list(String logId, long fromBatch, long toBatch) throws LedgerException {
    Optional<Anchor> latest = latest(logId);
    if (latest.isEmpty()) {
      return List.of();
    }
    long last = Math.min(toBatch, latest.get().batch().header().batchId());
    List<Anchor> out = new ArrayList<>();
    long start = Math.max(0, fromBatch);
    while (start <= last) {
      long end = last - start < LIST_PAGE ? last : start + LIST_PAGE - 1;
      byte[] page;
      try {
        page =
            contract.evaluateTransaction(
                "ListBatches", logId, Long.toString(start), Long.toString(end));
      } catch (GatewayException e) {
        throw failure("ListBatches " + logId + " " + start + " " + end, e);
      }
      for (JsonNode record : parse(page)) {
        out.add(anchorOf(record, UNKNOWN_BLOCK));
      }
      if (end == last) {
        break;
      }
      start = end + 1;
    }
    return out;
  }

  @Override
  public String describe() {
    return "fabric:" + settings.channel() + "/" + settings.chaincode();
  }

  @Override
  public void close() throws LedgerException {
    gateway.close();
    if (ownedChannel != null) {
      try {
        ownedChannel.shutdownNow().awaitTermination(5, SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerException("interrupted while closing " + describe(), false, e);
      }
    }
  }

  /** A stored record {@code {"anchored_at":…,"batch":{…},"tx_id":"…"}} as an anchor. */
  private Anchor anchorOf(byte[] record, long blockNumber) throws LedgerException {
    return anchorOf(parse(record), blockNumber);
  }

  private Anchor anchorOf(JsonNode record, long blockNumber) throws LedgerException {
    JsonNode txId = record.get("tx_id");
    JsonNode anchoredAt = record.get("anchored_at");
    if (txId == null || !txId.isTextual() || anchoredAt == null || !anchoredAt.canConvertToLong()) {
      throw new LedgerException(describe() + " returned a record without tx_id/anchored_at", false);
    }
    try {
      return new Anchor(
          SignedBatchHeader.fromJson(record.get("batch")),
          describe(),
          txId.asText(),
          blockNumber,
          anchoredAt.asLong());
    } catch (IllegalArgumentException e) {
      throw new LedgerException(
          describe() + " returned an unreadable batch: " + e.getMessage(), false, e);
    }
  }

  private JsonNode parse(byte[] json) throws LedgerException {
    try {
      return CanonicalJson.parse(json);
    } catch (IllegalArgumentException e) {
      throw new LedgerException(describe() + " returned " + e.getMessage(), false, e);
    }
  }

  /**
   * Whether the chaincode refused with this error code. The Gateway passes the chaincode's message
   * ("chaincode response 500, CODE: …") in the error details, and for evaluations also in the
   * status description.
   */
  private static boolean mentions(GatewayException e, String code) {
    String marker = code + ": ";
    String description = e.getStatus().getDescription();
    return (description != null && description.contains(marker))
        || e.getDetails().stream().anyMatch(d -> d.getMessage().contains(marker));
  }

  private static String reasons(GatewayException e) {
    String description = e.getStatus().getDescription();
    String details =
        e.getDetails().stream()
            .map(d -> d.getAddress() + " (" + d.getMspId() + "): " + d.getMessage())
            .collect(Collectors.joining("; "));
    return e.getStatus().getCode()
        + (description == null ? "" : " " + description)
        + (details.isEmpty() ? "" : "; " + details);
  }

  /** Retryable when the peer could not be reached or answer in time; anything else is final. */
  private LedgerException failure(String what, GatewayException e) {
    io.grpc.Status.Code code = e.getStatus().getCode();
    boolean retryable =
        code == io.grpc.Status.Code.UNAVAILABLE || code == io.grpc.Status.Code.DEADLINE_EXCEEDED;
    return new LedgerException(what + " on " + describe() + " failed: " + reasons(e), retryable, e);
  }

  private static String batchName(SignedBatchHeader batch) {
    return "batch " + batch.header().batchId() + " of log " + batch.header().logId();
  }

  private void pause(Duration backoff) throws LedgerException {
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException("interrupted while waiting to retry on " + describe(), false, e);
    }
  }
}
