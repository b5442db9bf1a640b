package io.kefu.audit.sandbox;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClients;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's keysets, kept in one directory and encrypted under a master key:
 *
 * <ul>
 *   <li>{@value #AEAD_FILE}: Tink AEAD keyset (AES256_GCM) for the vault; rotation adds a primary
 *       key and keeps the old ones, so older ciphertexts stay readable.
 *   <li>{@value #PRF_FILE}: Tink PRF keyset (HMAC_SHA256_PRF) for pseudonyms and vault tokens;
 *       never rotated in place, since a new key means new pseudonyms.
 *   <li>the master key: either {@value #MASTER_FILE}, a local cleartext Tink AEAD keyset (mode 600;
 *       the demo and tests), or {@value #KMS_FILE}, the URI of a KMS key ({@code gcp-kms://…},
 *       {@code aws-kms://…}) whose {@link com.google.crypto.tink.KmsClient} the deployment
 *       registers with {@link KmsClients#add} (Tink's {@code tink-gcpkms} / {@code tink-awskms}).
 * </ul>
 *
 * Each keyset file is Tink's encrypted JSON keyset; its associated data is {@code "kefu-sandbox:"}
 * + the file name, so one keyset file cannot be swapped for the other.
 */
public final class SandboxKeys {

  public static final String AEAD_FILE = "vault-aead.json";
  public static final String PRF_FILE = "pseudonym-prf.json";
  public static final String MASTER_FILE = "master.json";
  public static final String KMS_FILE = "kms-uri.txt";

  static {
    try {
      AeadConfig.register();
      PrfConfig.register();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink AEAD/PRF primitives are unavailable", e);
    }
  }

  /** One key of a keyset, as {@code keys list} shows it. */
  public record KeyInfo(String keyset, int id, String status, boolean primary, String type) {}

  private final Path dir;
  private final Aead master;
  private final KeysetHandle aeadHandle;
  private final KeysetHandle prfHandle;
  private final Aead aead;
  private final Prf prf;
  private final int prfId;

  private SandboxKeys(Path dir, Aead master, KeysetHandle aeadHandle, KeysetHandle prfHandle)
      throws GeneralSecurityException {
    this.dir = dir;
    this.master = master;
    this.aeadHandle = aeadHandle;
    this.prfHandle = prfHandle;
    this.aead = aeadHandle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    PrfSet set = prfHandle.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
    this.prfId = set.getPrimaryId();
    this.prf = set.getPrfs().get(prfId);
  }

  /**
   * Creates new keysets in {@code dir} under a new local master key ({@code kmsUri} null) or under
   * the KMS key {@code kmsUri}. Refuses to overwrite existing keys.
   */
  public static SandboxKeys init(Path dir, String kmsUri) throws IOException {
    if (Files.exists(dir.resolve(AEAD_FILE)) || Files.exists(dir.resolve(PRF_FILE))) {
      throw new IOException(dir + ": sandbox keys exist already; use `keys rotate`");
    }
    Files.createDirectories(dir);
    try {
      Aead master;
      if (kmsUri == null) {
        KeysetHandle m = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        writeSecret(
            dir.resolve(MASTER_FILE),
            TinkJsonProtoKeysetFormat.serializeKeyset(m, InsecureSecretKeyAccess.get()));
        master = m.getPrimitive(RegistryConfiguration.get(), Aead.class);
      } else {
        master = kms(kmsUri);
        writeSecret(dir.resolve(KMS_FILE), kmsUri + "\n");
      }
      KeysetHandle a = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
      KeysetHandle p = KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF);
      writeKeyset(dir, AEAD_FILE, a, master);
      writeKeyset(dir, PRF_FILE, p, master);
      return new SandboxKeys(dir, master, a, p);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot create sandbox keys in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Loads the keysets of {@code dir}, decrypting them with its master key. */
  public static SandboxKeys load(Path dir) throws IOException {
    Path aeadFile = dir.resolve(AEAD_FILE);
    if (!Files.exists(aeadFile)) {
      throw new IOException(
          dir
              + ": no sandbox keys ("
              + AEAD_FILE
              + "); run `kefu sandbox keys init --keys "
              + dir
              + "`");
    }
    try {
      Aead master;
      if (Files.exists(dir.resolve(KMS_FILE))) {
        master = kms(Files.readString(dir.resolve(KMS_FILE), StandardCharsets.UTF_8).strip());
      } else {
        master =
            TinkJsonProtoKeysetFormat.parseKeyset(
                    Files.readString(dir.resolve(MASTER_FILE), StandardCharsets.UTF_8),
                    InsecureSecretKeyAccess.get())
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
      }
      return new SandboxKeys(
          dir, master, readKeyset(dir, AEAD_FILE, master), readKeyset(dir, PRF_FILE, master));
    } catch (GeneralSecurityException e) {
      throw new IOException(
          dir + ": sandbox keys cannot be decrypted with their master key: " + e.getMessage(), e);
    }
  }

  /** Loads the keys of {@code dir}, creating them (local master key) when there are none. */
  public static SandboxKeys loadOrInit(Path dir) throws IOException {
    return Files.exists(dir.resolve(AEAD_FILE)) ? load(dir) : init(dir, null);
  }

  /**
   * Adds a new AES256_GCM key and makes it the primary: new vault entries are encrypted with it,
   * older ones stay readable with the keys they were written under. Returns the reloaded keys.
   */
  public SandboxKeys rotate() throws IOException {
    try {
      KeysetHandle rotated =
          KeysetHandle.newBuilder(aeadHandle)
              .addEntry(
                  KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                      .withRandomId()
                      .makePrimary())
              .build();
      writeKeyset(dir, AEAD_FILE, rotated, master);
      return new SandboxKeys(dir, master, rotated, prfHandle);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot rotate the vault key in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Every key of both keysets (ids, status, which is primary); never key material. */
  public List<KeyInfo> list() {
    List<KeyInfo> out = new ArrayList<>();
    add(out, "vault-aead", aeadHandle);
    add(out, "pseudonym-prf", prfHandle);
    return out;
  }

  private static void add(List<KeyInfo> out, String name, KeysetHandle h) {
    for (int i = 0; i < h.size(); i++) {
      KeysetHandle.Entry e = h.getAt(i);
      out.add(
          new KeyInfo(
              name,
              e.getId(),
              e.getStatus() == KeyStatus.ENABLED
                  ? "ENABLED"
                  : e.getStatus() == KeyStatus.DISABLED ? "DISABLED" : "DESTROYED",
              e.isPrimary(),
              e.getKey().getParameters().toString()));
    }
  }

  public Path dir() {
    return dir;
  }

  /** The vault's AEAD (encrypts with the primary key, decrypts with any key of the keyset). */
  public Aead aead() {
    return aead;
  }

  /** Id of the primary AEAD key: the key new vault entries are encrypted under. */
  public int aeadPrimaryId() {
    return aeadHandle.getPrimary().getId();
  }

  /** The primary PRF (pseudonyms, tokens) and its key id. */
  public Prf prf() {
    return prf;
  }

  public int prfId() {
    return prfId;
  }

  /** Whether the master key is a local keyset file (else a KMS key). */
  public boolean localMaster() {
    return !Files.exists(dir.resolve(KMS_FILE));
  }

  private static Aead kms(String uri) throws GeneralSecurityException {
    return KmsClients.get(uri).getAead(uri);
  }

  private static byte[] associatedData(String file) {
    return ("kefu-sandbox:" + file).getBytes(StandardCharsets.UTF_8);
  }

  private static KeysetHandle readKeyset(Path dir, String file, Aead master)
      throws IOException, GeneralSecurityException {
    return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
        Files.readString(dir.resolve(file), StandardCharsets.UTF_8), master, associatedData(file));
  }

  private static void writeKeyset(Path dir, String file, KeysetHandle h, Aead master)
      throws IOException, GeneralSecurityException {
    writeSecret(
        dir.resolve(file),
        TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(h, master, associatedData(file)));
  }

  /** Writes a file readable by its owner only, atomically (a crash leaves the old or the new). */
  private static void writeSecret(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
