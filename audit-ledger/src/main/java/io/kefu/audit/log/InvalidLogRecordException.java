package io.kefu.audit.log;

/** Bytes that are not a canonical operation-log record. */
public final class InvalidLogRecordException extends Exception {
  public InvalidLogRecordException(String message) {
    super(message);
  }
}
