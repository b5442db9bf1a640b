package io.kefu.cli;

import io.kefu.audit.anchor.Ledger;
import io.kefu.audit.anchor.LedgerException;
import io.kefu.audit.anchor.Ledgers;
import io.kefu.audit.batch.BatchSigner;
import io.kefu.audit.tables.AuditTables;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kefu audit …}: the operation log, its anchors on a ledger, and the auditor's tools. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Tamper-evident operation log: ingest, seal and anchor batches, verify, prove, audit.",
      "Only batch roots and counts go to the ledger, never customer data."
    },
    subcommands = {
      AuditLogCommand.class,
      AuditAnchorCommand.class,
      AuditVerifyCommand.class,
      AuditProveCommand.class,
      AuditCheckProofCommand.class,
      AuditDailyCommand.class
    },
    footer = {
      "",
      "Ledgers: " + Ledgers.USAGE + ".",
      "Exit codes: 0 intact / success, 1 verification failed or error, 2 invalid input."
    })
final class AuditCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options shared by the commands that check signatures and anchors. */
  static final class Trust {
    @CommandLine.Option(
        names = "--ledger",
        paramLabel = "SPEC",
        description = "Where batches are anchored: embedded:DIR or fabric:FILE.")
    String ledger;

    @CommandLine.Option(
        names = "--public-key",
        paramLabel = "FILE",
        description =
            "The batch-signing public keyset to trust (pin it; default: keys/"
                + BatchSigner.PUBLIC_FILE
                + " in the log directory, with a warning).")
    Path publicKey;

    Ledger openLedger() throws LedgerException {
      return ledger == null ? null : Ledgers.open(ledger);
    }

    BatchSigner.Verifier key() throws IOException {
      return publicKey == null ? null : BatchSigner.Verifier.load(publicKey);
    }
  }

  /** {@code --jdbc}: the commands that also fill the Superset "Audit" dashboard's tables. */
  static final class Tables {
    static final String PREFIX = "jdbc:postgresql:";

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    String jdbc;

    @CommandLine.Option(
        names = "--jdbc",
        paramLabel = "URL",
        description = {
          "Also write the Audit dashboard's tables (audit_batches, audit_verifications,",
          "audit_findings; created when missing) to this PostgreSQL database:",
          "jdbc:postgresql://HOST:PORT/DB?user=U&password=P."
        })
    void jdbc(String url) {
      if (!url.startsWith(PREFIX)) {
        throw new CommandLine.ParameterException(
            mixee.commandLine(),
            "--jdbc " + where(url) + ": expected " + PREFIX + "//HOST:PORT/DB?user=U&password=P");
      }
      jdbc = url;
    }

    boolean given() {
      return jdbc != null;
    }

    /** The tables on {@code c}, created when missing. */
    static AuditTables on(Connection c) throws SQLException {
      AuditTables t = new AuditTables(c);
      t.create();
      return t;
    }

    Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbc);
    }

    /** What {@link AuditTables#writeBatches} wrote, for the one line a command prints. */
    static String describe(AuditTables.BatchRows rows) {
      String s =
          String.format(
              "%d row(s) of log %s, %d with their anchor",
              rows.batches(), rows.logId(), rows.anchored());
      if (rows.unreadable() != null) {
        s +=
            String.format(
                " (batches.jsonl line %d unreadable: %s; later batches not written)",
                rows.unreadable().line(), rows.unreadable().reason());
      }
      return s;
    }

    /** The URL without its parameters (user, password) or user info, for messages. */
    String where() {
      return where(jdbc);
    }

    static String where(String url) {
      return url.replaceFirst("\\?.*$", "").replaceFirst("//[^/@]*@", "//");
    }
  }
}
