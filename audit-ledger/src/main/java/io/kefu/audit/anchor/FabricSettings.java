package io.kefu.audit.anchor;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and as whom {@link FabricLedger} anchors, read from a {@code fabric.properties} file:
 *
 * <pre>
 * # the peer running the Fabric Gateway, host:port
 * peer.endpoint=peer0.org1.example.com:7051
 * # CA of the peer's TLS certificate; without it the connection is plaintext
 * peer.tls.ca=tls/ca.crt
 * # optional: the TLS name to expect when the endpoint is an alias or an IP address
 * peer.host.override=peer0.org1.example.com
 * msp.id=Org1MSP
 * # the client's X.509 certificate and private key, PEM
 * client.cert=msp/signcerts/cert.pem
 * client.key=msp/keystore/key.pem
 * channel=kefu
 * # optional, these are the defaults
 * chaincode=kefu-audit
 * timeout.evaluate.seconds=5
 * timeout.endorse.seconds=15
 * timeout.submit.seconds=5
 * timeout.commit.seconds=60
 * # extra attempts of a retryable anchor, the first after retry.backoff.ms, doubling
 * retries=5
 * retry.backoff.ms=500
 * </pre>
 *
 * Relative paths are resolved against the file's directory. Unknown keys are refused, so a typo
 * such as {@code peer.tls.cert} cannot silently leave the connection in plaintext.
 *
 * @param peerTlsCa null for a plaintext connection
 * @param peerHostOverride null to expect the endpoint's own host name
 */
public record FabricSettings(
    String peerEndpoint,
    Path peerTlsCa,
    String peerHostOverride,
    String mspId,
    Path clientCert,
    Path clientKey,
    String channel,
    String chaincode,
    Duration evaluateTimeout,
    Duration endorseTimeout,
    Duration submitTimeout,
    Duration commitTimeout,
    int retries,
    Duration retryBackoff) {

  public static final String FILE = "fabric.properties";
  public static final String DEFAULT_CHAINCODE = "kefu-audit";

  private static final Pattern ENDPOINT = Pattern.compile(".+:(\\d{1,5})");
  private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");
  private static final Set<String> KEYS =
      Set.of(
          "peer.endpoint",
          "peer.tls.ca",
          "peer.host.override",
          "msp.id",
          "client.cert",
          "client.key",
          "channel",
          "chaincode",
          "timeout.evaluate.seconds",
          "timeout.endorse.seconds",
          "timeout.submit.seconds",
          "timeout.commit.seconds",
          "retries",
          "retry.backoff.ms");

  /** Reads a {@code fabric.properties} file (UTF-8). */
  public static FabricSettings load(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read (" + e + ")", e);
    }
    return parse(p, file);
  }

  /**
   * Settings from properties as if read from {@code file}, which names errors and anchors relative
   * paths.
   */
  public static FabricSettings parse(Properties p, Path file) {
    Keys keys = new Keys(p, file);
    Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          file + ": unknown keys " + unknown + "; known keys are " + new TreeSet<>(KEYS));
    }
    return new FabricSettings(
        keys.endpoint("peer.endpoint"),
        keys.optionalPath("peer.tls.ca"),
        keys.optional("peer.host.override"),
        keys.required("msp.id"),
        keys.path("client.cert"),
        keys.path("client.key"),
        keys.required("channel"),
        keys.optional("chaincode", DEFAULT_CHAINCODE),
        Duration.ofSeconds(keys.number("timeout.evaluate.seconds", 5, 1)),
        Duration.ofSeconds(keys.number("timeout.endorse.seconds", 15, 1)),
        Duration.ofSeconds(keys.number("timeout.submit.seconds", 5, 1)),
        Duration.ofSeconds(keys.number("timeout.commit.seconds", 60, 1)),
        (int) keys.number("retries", 5, 0),
        Duration.ofMillis(keys.number("retry.backoff.ms", 500, 0)));
  }

  /** Typed access to the properties, every error naming the file and the key. */
  private record Keys(Properties p, Path file) {

    String optional(String key) {
      String v = p.getProperty(key);
      return v == null || v.isBlank() ? null : v.strip();
    }

    String optional(String key, String fallback) {
      String v = optional(key);
      return v == null ? fallback : v;
    }

    String required(String key) {
      String v = optional(key);
      if (v == null) {
        throw new IllegalArgumentException(file + ": " + key + " is required");
      }
      return v;
    }

    Path path(String key) {
      return resolve(required(key));
    }

    Path optionalPath(String key) {
      String v = optional(key);
      return v == null ? null : resolve(v);
    }

    private Path resolve(String value) {
      Path dir = file.toAbsolutePath().getParent();
      return dir == null ? Path.of(value) : dir.resolve(value);
    }

    String endpoint(String key) {
      String v = required(key);
      Matcher m = ENDPOINT.matcher(v);
      int port = m.matches() ? Integer.parseInt(m.group(1)) : 0;
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(file + ": " + key + " must be host:port, was " + v);
      }
      return v;
    }

    long number(String key, long fallback, long min) {
      String v = optional(key);
      if (v == null) {
        return fallback;
      }
      if (!NUMBER.matcher(v).matches() || Long.parseLong(v) < min) {
        throw new IllegalArgumentException(
            file + ": " + key + " must be a whole number ≥ " + min + ", was " + v);
      }
      return Long.parseLong(v);
    }
  }
}
