package io.kefu.audit.chaincode;

import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * Why the contract refused a call: the {@link ChaincodeException} payload. The message starts with
 * the same name because the Fabric Gateway hands clients only the message ("chaincode response 500,
 * BATCH_CONFLICT: …"), never the payload.
 */
enum AnchorError {
  INVALID_BATCH,
  BATCH_CONFLICT,
  PREVIOUS_BATCH_MISSING,
  CHAIN_BROKEN,
  BATCH_NOT_FOUND,
  INVALID_ARGUMENT;

  ChaincodeException exception(String detail) {
    return new ChaincodeException(name() + ": " + detail, name());
  }
}
