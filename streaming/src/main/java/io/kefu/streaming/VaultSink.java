package io.kefu.streaming;

import io.kefu.audit.sandbox.Vault;
import io.kefu.audit.sandbox.VaultEntry;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes the sandbox's encrypted originals to the vault table ({@code V3__vault.sql}). Inserts are
 * idempotent (a token is derived from conversation, kind and value, and a token already there keeps
 * its row), so replay after a failure adds nothing twice.
 */
final class VaultSink {
  private VaultSink() {}

  static void attach(DataStream<VaultEntry> vault, String jdbcUrl) {
    vault
        .sinkTo(
            JdbcSink.<VaultEntry>builder()
                .withQueryStatement(Vault.INSERT, Vault::bind)
                .withExecutionOptions(
                    JdbcExecutionOptions.builder()
                        .withBatchSize(2000)
                        .withBatchIntervalMs(500)
                        .withMaxRetries(3)
                        .build())
                .buildAtLeastOnce(
                    new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(PostgresSinks.withoutBatchRewrite(jdbcUrl))
                        .withDriverName("org.postgresql.Driver")
                        .build()))
        .name("vault")
        .uid("vault-sink");
  }
}
