package io.kefu.cli;

import io.kefu.audit.log.LogOptions;
import io.kefu.audit.log.OperationLog;
import io.kefu.audit.sandbox.RevealPolicy;
import io.kefu.audit.sandbox.Sandbox;
import io.kefu.audit.sandbox.SandboxCrypto;
import io.kefu.audit.sandbox.SandboxKeys;
import io.kefu.schemas.ActorRole;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kefu sandbox …}: keys, reveal, export, erasure and re-encryption of the vault. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = {
      "Data sandbox: pseudonymised analytics, encrypted vault, audited reveal.",
      "Analysts see pseudonyms and placeholders; the originals are encrypted in",
      "the vault table. Every reveal, export and erasure, allowed or refused,",
      "is an operation-log record. See docs/SANDBOX.md."
    },
    subcommands = {
      SandboxKeysCommand.class,
      SandboxRevealCommand.class,
      SandboxTokensCommand.class,
      SandboxExportCommand.class,
      SandboxEraseCommand.class,
      SandboxReencryptCommand.class,
      SandboxPseudonymiseCommand.class
    },
    footer = {"", "Exit codes: 0 success, 1 error, 3 refused (the refusal is logged)."})
final class SandboxCommand implements Runnable {

  /** A refusal by the policy (logged as DENIED). */
  static final int REFUSED = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options of every command that reads the vault. */
  static final class VaultOptions {
    @Option(
        names = "--jdbc",
        required = true,
        paramLabel = "URL",
        description = "PostgreSQL URL of the vault (the KPI job's database).")
    String jdbc;

    @Option(
        names = "--keys",
        required = true,
        paramLabel = "DIR",
        description = "Sandbox keys directory (kefu sandbox keys init).")
    Path keys;

    Connection connect() throws Exception {
      return DriverManager.getConnection(jdbc);
    }

    SandboxCrypto crypto() throws Exception {
      return new SandboxCrypto(SandboxKeys.load(keys));
    }
  }

  /** Who acts, and why (every logged command). */
  static final class Actor {
    @Option(names = "--actor", required = true, description = "Who asks (a user id).")
    String actor;

    @Option(
        names = "--role",
        required = true,
        description = "Their role: ${COMPLETION-CANDIDATES}.")
    ActorRole role;

    @Option(names = "--purpose", description = "Why the access is needed.")
    String purpose;

    @Option(names = "--ticket", description = "Ticket or case the access belongs to.")
    String ticket;

    @Option(
        names = "--policy",
        paramLabel = "FILE",
        description = "Reveal policy (YAML; default: the built-in one, see docs/SANDBOX.md).")
    Path policy;

    @Option(
        names = "--log",
        required = true,
        paramLabel = "DIR",
        description = "The operation log the decision is appended to.")
    Path log;

    Sandbox.Request request() {
      return new Sandbox.Request(actor, role, purpose, ticket, clientAddress());
    }

    RevealPolicy policy() throws Exception {
      return policy == null ? RevealPolicy.defaults() : RevealPolicy.load(policy);
    }

    OperationLog openLog() throws Exception {
      return OperationLog.open(log, LogOptions.defaults());
    }

    static String clientAddress() {
      try {
        return java.net.InetAddress.getLocalHost().getHostAddress();
      } catch (java.io.IOException e) {
        return null;
      }
    }
  }

  static Sandbox sandbox(Connection c, SandboxCrypto crypto, Actor a, OperationLog log)
      throws Exception {
    return new Sandbox(c, crypto, a.policy(), log, Clock.systemUTC());
  }
}
