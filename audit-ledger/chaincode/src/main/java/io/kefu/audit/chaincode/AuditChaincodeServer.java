package io.kefu.audit.chaincode;

import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.NettyChaincodeServer;

/**
 * Runs {@link AuditAnchorContract} as chaincode as a service: a gRPC server the peer dials (its
 * address is in the installed package's connection.json), instead of a container the peer builds.
 *
 * <p>Environment, read by the shim:
 *
 * <ul>
 *   <li>{@code CHAINCODE_SERVER_ADDRESS} — where to listen, e.g. {@code 0.0.0.0:9999};
 *   <li>{@code CORE_CHAINCODE_ID_NAME} — the package ID {@code peer lifecycle chaincode install}
 *       printed ({@code kefu-audit_1.0:<sha256>}); the peer refuses a server with another ID.
 * </ul>
 */
public final class AuditChaincodeServer {
  private AuditChaincodeServer() {}

  public static void main(String[] args) throws Exception {
    for (String name : new String[] {"CHAINCODE_SERVER_ADDRESS", "CORE_CHAINCODE_ID_NAME"}) {
      String value = System.getenv(name);
      if (value == null || value.isBlank()) {
        System.err.println("kefu-audit chaincode: set " + name + " (see docs/FABRIC.md)");
        System.exit(2);
      }
    }
    ContractRouter router = new ContractRouter(args);
    ChaincodeServer server = new NettyChaincodeServer(router, router.getChaincodeServerConfig());
    router.startRouterWithChaincodeServer(server); // blocks until the server shuts down
  }
}
