package io.kefu.audit.anchor;

import java.nio.file.Path;

/** Opens a ledger from the command line's {@code --ledger} value. */
public final class Ledgers {
  private Ledgers() {}

  public static final String USAGE =
      "embedded:DIR (a local anchor file, the default for the demo) or fabric:FILE (a "
          + FabricSettings.FILE
          + " naming peer, MSP, certificates, channel and chaincode)";

  /** {@code embedded:DIR} or {@code fabric:FILE}. */
  public static Ledger open(String spec) throws LedgerException {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("--ledger is required: " + USAGE);
    }
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? "" : spec.substring(0, colon);
    String where = colon < 0 ? "" : spec.substring(colon + 1);
    if (where.isBlank()) {
      throw new IllegalArgumentException("--ledger " + spec + ": expected " + USAGE);
    }
    return switch (kind) {
      case "embedded" -> EmbeddedLedger.open(Path.of(where));
      case "fabric" -> FabricLedger.connect(FabricSettings.load(Path.of(where)));
      default -> throw new IllegalArgumentException("--ledger " + spec + ": expected " + USAGE);
    };
  }
}
