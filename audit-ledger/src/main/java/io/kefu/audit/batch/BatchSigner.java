package io.kefu.audit.batch;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Ed25519 signing of batch headers with Tink. The keyset uses Tink's RAW output prefix, so a
 * signature is a plain 64-byte Ed25519 signature any library can check with the public key. {@code
 * key_id} in a header is {@code ed25519:} + the first 8 bytes (hex) of SHA-256 of the raw public
 * key.
 *
 * <p>The private keyset is kept as a cleartext Tink JSON keyset (mode 600) next to the log, which
 * suits the demo and tests; in production wrap it with a KMS key (Tink's encrypted keysets) — the
 * file format of the public half, which auditors pin, does not change.
 */
public final class BatchSigner {

  public static final String PRIVATE_FILE = "batch-signing.json";
  public static final String PUBLIC_FILE = "batch-signing.pub.json";

  static {
    register();
  }

  /** Tink's signature primitives; idempotent. Both the signer and a lone verifier need it. */
  static void register() {
    try {
      SignatureConfig.register();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink signature primitives are unavailable", e);
    }
  }

  private final PublicKeySign signer;
  private final Verifier verifier;

  private BatchSigner(KeysetHandle privateKeyset) throws GeneralSecurityException {
    this.signer = privateKeyset.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class);
    this.verifier = new Verifier(privateKeyset.getPublicKeysetHandle());
  }

  /** Loads the signing keyset from {@code keyDir}, creating a new key pair on first use. */
  public static BatchSigner loadOrCreate(Path keyDir) throws IOException {
    try {
      Path priv = keyDir.resolve(PRIVATE_FILE);
      if (Files.exists(priv)) {
        return new BatchSigner(
            TinkJsonProtoKeysetFormat.parseKeyset(
                Files.readString(priv, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get()));
      }
      KeysetHandle handle =
          KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519WithRawOutput);
      Files.createDirectories(keyDir);
      writePrivate(
          priv, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()));
      Files.writeString(
          keyDir.resolve(PUBLIC_FILE),
          TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(handle.getPublicKeysetHandle()),
          StandardCharsets.UTF_8);
      return new BatchSigner(handle);
    } catch (GeneralSecurityException e) {
      throw new IOException("signing keyset in " + keyDir + " is not usable: " + e.getMessage(), e);
    }
  }

  private static void writePrivate(Path file, String json) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, json, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }

  public String keyId() {
    return verifier.keyId();
  }

  public Verifier verifier() {
    return verifier;
  }

  public byte[] sign(BatchHeader header) {
    try {
      return signer.sign(header.canonicalBytes());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }

  public SignedBatchHeader signed(BatchHeader header) {
    return new SignedBatchHeader(header, sign(header));
  }

  /** The public half: checks signatures; what an auditor pins. */
  public static final class Verifier {
    static {
      register();
    }

    private final PublicKeyVerify verify;
    private final String keyId;

    Verifier(KeysetHandle publicKeyset) throws GeneralSecurityException {
      this.verify = publicKeyset.getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class);
      Ed25519PublicKey key = (Ed25519PublicKey) publicKeyset.getPrimary().getKey();
      byte[] digest =
          io.kefu.audit.log.LogFormat.sha256().digest(key.getPublicKeyBytes().toByteArray());
      this.keyId = "ed25519:" + HexFormat.of().formatHex(digest, 0, 8);
    }

    /** Reads a public keyset written by {@link BatchSigner} (the {@value #PUBLIC_FILE} file). */
    public static Verifier load(Path publicKeysetFile) throws IOException {
      try {
        return new Verifier(
            TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(
                Files.readString(publicKeysetFile, StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException | ClassCastException e) {
        throw new IOException(
            publicKeysetFile + ": not an Ed25519 public keyset: " + e.getMessage(), e);
      }
    }

    public String keyId() {
      return keyId;
    }

    public boolean valid(SignedBatchHeader s) {
      if (!keyId.equals(s.header().keyId())) {
        return false;
      }
      try {
        verify.verify(s.signature(), s.header().canonicalBytes());
        return true;
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
  }
}
