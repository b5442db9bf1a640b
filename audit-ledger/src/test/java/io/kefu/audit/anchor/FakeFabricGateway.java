package io.kefu.audit.anchor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doCallRealMethod;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.mockito.stubbing.Answer;

/**
 * A peer's Gateway service in memory, for {@link FabricLedgerTest}. Endorse and Evaluate decode the
 * client's signed proposal and run the real chaincode — the contract router with {@code
 * AuditAnchorContract} — on an in-memory world state, as a peer simulates a transaction: reads see
 * committed state only, writes are held until the transaction commits VALID. Submit orders the
 * transaction into the next block; CommitStatus reports its validation code.
 *
 * <p>Errors have the shape the Fabric 2.5 Gateway gives them: a chaincode refusal in Endorse is
 * ABORTED with an {@link ErrorDetail} "chaincode response 500, &lt;message&gt;", in Evaluate it is
 * UNKNOWN with the same text in the description. Tests can make the next Endorse or CommitStatus
 * call fail with a gRPC status, or the next commit end with a validation code other than VALID.
 */
final class FakeFabricGateway extends GatewayGrpc.GatewayImplBase {

  static final String CHANNEL = "kefu";
  static final String CHAINCODE = "kefu-audit";
  private static final String PEER = "peer0.org1.example.com:7051";
  private static final String MSP = "Org1MSP";

  // Held strongly: java.util.logging forgets the level of a logger nobody references.
  private static final List<Logger> SHIM_LOGS =
      Stream.of(
              "org.hyperledger.fabric",
              "org.hyperledger.fabric.contract",
              "org.hyperledger.fabric.shim")
          .map(Logger::getLogger)
          .toList();
  private static final ContractRouter ROUTER = startRouter();

  private final TreeMap<String, byte[]> state = new TreeMap<>();
  private final Map<String, Simulation> endorsed = new HashMap<>();
  private final Map<String, CommitStatusResponse> commits = new HashMap<>();
  private final Map<String, Instant> proposalTimes = new HashMap<>();
  private final Map<String, Integer> runs = new HashMap<>();
  private final List<String> events = new ArrayList<>();
  private final Queue<Status> endorseFailures = new ArrayDeque<>();
  private final Queue<TxValidationCode> commitCodes = new ArrayDeque<>();
  private final Queue<Status> commitStatusFailures = new ArrayDeque<>();
  private long nextBlock = 1; // block 0 is the channel's genesis block
  private int endorseCalls;
  private int submits;

  /** The contract router as the CCaaS main starts it, minus the gRPC server a peer would dial. */
  private static ContractRouter startRouter() {
    ContractRouter router = new ContractRouter(new String[] {"-i", "kefu-audit_1.0:test"});
    // The router sets these loggers to INFO, logs every call and every refusal with its stack
    // trace. Silence them: a refusal reaches the test through the Gateway error anyway.
    SHIM_LOGS.forEach(log -> log.setLevel(Level.OFF));
    ChaincodeServer inProcess =
        new ChaincodeServer() {
          @Override
          public void start() {}

          @Override
          public void stop() {}
        };
    try {
      router.startRouterWithChaincodeServer(inProcess); // finds @Contract classes, builds metadata
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return router;
  }

  // ---- test controls and observations ----

  synchronized void failNextEndorse(Status status) {
    endorseFailures.add(status);
  }

  synchronized void commitNextAs(TxValidationCode code) {
    commitCodes.add(code);
  }

  /** The next CommitStatus call fails, after the transaction itself was committed. */
  synchronized void failNextCommitStatus(Status status) {
    commitStatusFailures.add(status);
  }

  /** A committed world-state value, or null. */
  synchronized String state(String key) {
    byte[] v = state.get(key);
    return v == null ? null : new String(v, UTF_8);
  }

  /** The timestamp the client put in a transaction's proposal: the chaincode's tx time. */
  synchronized Instant proposalTime(String txId) {
    return proposalTimes.get(txId);
  }

  /** How many times the chaincode ran a function, for Endorse or Evaluate. */
  synchronized int runs(String function) {
    return runs.getOrDefault(function, 0);
  }

  synchronized int endorseCalls() {
    return endorseCalls;
  }

  synchronized int submits() {
    return submits;
  }

  /** Events of committed transactions, as "name payload". */
  synchronized List<String> committedEvents() {
    return List.copyOf(events);
  }

  // ---- the Gateway service ----

  @Override
  public synchronized void endorse(EndorseRequest request, StreamObserver<EndorseResponse> out) {
    endorseCalls++;
    Status failure = endorseFailures.poll();
    if (failure != null) {
      out.onError(failure.asRuntimeException());
      return;
    }
    Invocation inv;
    try {
      inv = decode(request.getProposedTransaction());
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    Simulation sim = simulate(inv);
    if (sim.response().getStatusCode() >= 400) {
      out.onError(
          refusal(
              Code.ABORTED,
              "failed to endorse transaction, see attached details for more info",
              sim.response()));
      return;
    }
    endorsed.put(inv.txId(), sim);
    out.onNext(
        EndorseResponse.newBuilder().setPreparedTransaction(preparedTransaction(inv, sim)).build());
    out.onCompleted();
  }

  @Override
  public synchronized void submit(SubmitRequest request, StreamObserver<SubmitResponse> out) {
    Simulation sim = endorsed.remove(request.getTransactionId());
    if (sim == null || request.getPreparedTransaction().getSignature().isEmpty()) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("no signed, endorsed transaction " + request.getTransactionId())
              .asRuntimeException());
      return;
    }
    submits++;
    TxValidationCode code = commitCodes.isEmpty() ? TxValidationCode.VALID : commitCodes.poll();
    if (code == TxValidationCode.VALID) {
      state.putAll(sim.writes());
      events.addAll(sim.events());
    }
    commits.put(
        request.getTransactionId(),
        CommitStatusResponse.newBuilder().setResult(code).setBlockNumber(nextBlock++).build());
    out.onNext(SubmitResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public synchronized void commitStatus(
      SignedCommitStatusRequest request, StreamObserver<CommitStatusResponse> out) {
    Status failure = commitStatusFailures.poll();
    if (failure != null) {
      out.onError(failure.asRuntimeException());
      return;
    }
    String txId;
    try {
      txId = CommitStatusRequest.parseFrom(request.getRequest()).getTransactionId();
    } catch (InvalidProtocolBufferException e) {
      out.onError(Status.INVALID_ARGUMENT.withCause(e).asRuntimeException());
      return;
    }
    CommitStatusResponse status = commits.get(txId);
    if (status == null) {
      out.onError(Status.NOT_FOUND.withDescription("no transaction " + txId).asRuntimeException());
      return;
    }
    out.onNext(status);
    out.onCompleted();
  }

  @Override
  public synchronized void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> out) {
    Invocation inv;
    try {
      inv = decode(request.getProposedTransaction());
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    Chaincode.Response r = simulate(inv).response();
    if (r.getStatusCode() >= 400) {
      out.onError(
          refusal(
              Code.UNKNOWN,
              "evaluate call to endorser returned error: " + chaincodeResponse(r),
              r));
      return;
    }
    out.onNext(
        EvaluateResponse.newBuilder()
            .setResult(
                Response.newBuilder()
                    .setStatus(r.getStatusCode())
                    .setPayload(ByteString.copyFrom(r.getPayload())))
            .build());
    out.onCompleted();
  }

  // ---- the peer's side: decode, simulate, prepare ----

  private record Invocation(
      String txId,
      String chaincode,
      Instant timestamp,
      byte[] creator,
      List<byte[]> args,
      Header header,
      ChaincodeProposalPayload payload) {}

  /** A simulated transaction: the chaincode's answer and what it would write. */
  private record Simulation(
      Chaincode.Response response, Map<String, byte[]> writes, List<String> events) {}

  /** The proposal's parts the peer needs; a malformed one is a StatusRuntimeException. */
  private Invocation decode(SignedProposal signed) {
    try {
      Proposal proposal = Proposal.parseFrom(signed.getProposalBytes());
      Header header = Header.parseFrom(proposal.getHeader());
      ChannelHeader channel = ChannelHeader.parseFrom(header.getChannelHeader());
      SignatureHeader signature = SignatureHeader.parseFrom(header.getSignatureHeader());
      ChaincodeProposalPayload payload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
      ChaincodeInvocationSpec spec = ChaincodeInvocationSpec.parseFrom(payload.getInput());
      if (!channel.getChannelId().equals(CHANNEL)) {
        throw Status.FAILED_PRECONDITION
            .withDescription("no channel " + channel.getChannelId())
            .asRuntimeException();
      }
      Instant time =
          Instant.ofEpochSecond(
              channel.getTimestamp().getSeconds(), channel.getTimestamp().getNanos());
      proposalTimes.put(channel.getTxId(), time);
      return new Invocation(
          channel.getTxId(),
          spec.getChaincodeSpec().getChaincodeId().getName(),
          time,
          signature.getCreator().toByteArray(),
          spec.getChaincodeSpec().getInput().getArgsList().stream()
              .map(ByteString::toByteArray)
              .toList(),
          header,
          payload);
    } catch (InvalidProtocolBufferException e) {
      throw Status.INVALID_ARGUMENT.withCause(e).asRuntimeException();
    }
  }

  private Simulation simulate(Invocation inv) {
    Map<String, byte[]> writes = new LinkedHashMap<>();
    List<String> emitted = new ArrayList<>();
    Chaincode.Response response;
    if (!inv.chaincode().equals(CHAINCODE)) {
      response = new Chaincode.Response(500, "chaincode " + inv.chaincode() + " not found", null);
    } else {
      runs.merge(new String(inv.args().get(0), UTF_8), 1, Integer::sum);
      response = ROUTER.invoke(stub(inv, writes, emitted));
    }
    return new Simulation(response, writes, emitted);
  }

  /**
   * The transaction envelope the Gateway returns from Endorse, built as the peer does: the
   * proposal's header, and one action whose ChaincodeAction carries the chaincode's response (the
   * client reads its result from there).
   */
  private static Envelope preparedTransaction(Invocation inv, Simulation sim) {
    Chaincode.Response r = sim.response();
    ChaincodeAction action =
        ChaincodeAction.newBuilder()
            .setResponse(
                Response.newBuilder()
                    .setStatus(r.getStatusCode())
                    .setPayload(ByteString.copyFrom(r.getPayload())))
            .build();
    ProposalResponsePayload responsePayload =
        ProposalResponsePayload.newBuilder().setExtension(action.toByteString()).build();
    ChaincodeActionPayload actionPayload =
        ChaincodeActionPayload.newBuilder()
            .setChaincodeProposalPayload(
                inv.payload().toBuilder().clearTransientMap().build().toByteString())
            .setAction(
                ChaincodeEndorsedAction.newBuilder()
                    .setProposalResponsePayload(responsePayload.toByteString()))
            .build();
    org.hyperledger.fabric.protos.peer.Transaction transaction =
        org.hyperledger.fabric.protos.peer.Transaction.newBuilder()
            .addActions(
                TransactionAction.newBuilder()
                    .setHeader(inv.header().getSignatureHeader())
                    .setPayload(actionPayload.toByteString()))
            .build();
    Payload payload =
        Payload.newBuilder().setHeader(inv.header()).setData(transaction.toByteString()).build();
    return Envelope.newBuilder().setPayload(payload.toByteString()).build();
  }

  private static String chaincodeResponse(Chaincode.Response r) {
    return "chaincode response " + r.getStatusCode() + ", " + r.getMessage();
  }

  private static RuntimeException refusal(Code code, String message, Chaincode.Response r) {
    ErrorDetail detail =
        ErrorDetail.newBuilder()
            .setAddress(PEER)
            .setMspId(MSP)
            .setMessage(chaincodeResponse(r))
            .build();
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(Any.pack(detail))
            .build());
  }

  /**
   * The stub the chaincode sees: committed reads, buffered writes, the proposal's id, time and
   * creator. Anything else it might call fails loudly, so the fake cannot hide an unsupported use.
   */
  private ChaincodeStub stub(Invocation inv, Map<String, byte[]> writes, List<String> emitted) {
    Answer<Object> unsupported =
        call -> {
          if (call.getMethod().getName().equals("toString")) {
            return "simulation of " + inv.txId();
          }
          throw new UnsupportedOperationException(
              "the fake peer has no ChaincodeStub." + call.getMethod().getName());
        };
    ChaincodeStub stub = mock(ChaincodeStub.class, unsupported);
    List<String> stringArgs = inv.args().stream().map(a -> new String(a, UTF_8)).toList();
    doReturn(inv.args()).when(stub).getArgs();
    doReturn(stringArgs).when(stub).getStringArgs();
    doReturn(stringArgs.get(0)).when(stub).getFunction();
    doReturn(stringArgs.subList(1, stringArgs.size())).when(stub).getParameters();
    doReturn(inv.txId()).when(stub).getTxId();
    doReturn(CHANNEL).when(stub).getChannelId();
    doReturn(inv.timestamp()).when(stub).getTxTimestamp();
    doReturn(inv.creator()).when(stub).getCreator();
    // A peer answers an absent key with no bytes.
    doAnswer(call -> state.getOrDefault(call.<String>getArgument(0), new byte[0]))
        .when(stub)
        .getState(anyString());
    doAnswer(call -> writes.put(call.getArgument(0), call.getArgument(1)))
        .when(stub)
        .putState(anyString(), any(byte[].class));
    doCallRealMethod().when(stub).getStringState(anyString());
    doCallRealMethod().when(stub).putStringState(anyString(), anyString());
    doAnswer(
            call -> {
              Object[] raw = call.getRawArguments();
              return rangeOf(new CompositeKey((String) raw[0], (String[]) raw[1]).toString());
            })
        .when(stub)
        .getStateByPartialCompositeKey(anyString(), any(String[].class));
    doAnswer(
            call ->
                emitted.add(
                    call.getArgument(0) + " " + new String(call.<byte[]>getArgument(1), UTF_8)))
        .when(stub)
        .setEvent(anyString(), any(byte[].class));
    return stub;
  }

  /** Committed keys starting with {@code prefix}, in key order, as the peer returns them. */
  private QueryResultsIterator<KeyValue> rangeOf(String prefix) {
    List<KeyValue> entries = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : state.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      entries.add(new StateEntry(e.getKey(), e.getValue()));
    }
    return new QueryResultsIterator<>() {
      @Override
      public Iterator<KeyValue> iterator() {
        return entries.iterator();
      }

      @Override
      public void close() {}
    };
  }

  private record StateEntry(String key, byte[] value) implements KeyValue {
    @Override
    public String getKey() {
      return key;
    }

    @Override
    public byte[] getValue() {
      return value;
    }

    @Override
    public String getStringValue() {
      return new String(value, UTF_8);
    }
  }
}
