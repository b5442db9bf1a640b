package io.kefu.audit.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxKeysTest {
  @TempDir Path dir;

  @Test
  void initWritesEncryptedKeysetsAndAnOwnerOnlyMasterKey() throws Exception {
    SandboxKeys keys = SandboxKeys.init(dir, null);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("master.json"))));
    String aead = Files.readString(dir.resolve(SandboxKeys.AEAD_FILE), StandardCharsets.UTF_8);
    assertTrue(aead.contains("encryptedKeyset"), aead);
    assertFalse(aead.contains("keyData"), "key material in the clear: " + aead);
    assertEquals(2, keys.list().size());
    assertThrows(java.io.IOException.class, () -> SandboxKeys.init(dir, null));
  }

  @Test
  void pseudonymsAreStableKeyedAndShaped() throws Exception {
    SandboxCrypto a = new SandboxCrypto(SandboxKeys.init(dir.resolve("a"), null));
    SandboxCrypto again = new SandboxCrypto(SandboxKeys.load(dir.resolve("a")));
    SandboxCrypto other = new SandboxCrypto(SandboxKeys.init(dir.resolve("b"), null));
    String p = a.pseudonym("cust-42");
    assertEquals(p, again.pseudonym("cust-42"));
    assertNotEquals(p, other.pseudonym("cust-42"));
    assertNotEquals(p, a.pseudonym("cust-43"));
    assertTrue(SandboxCrypto.isPseudonym(p), p);
    assertTrue(p.matches("p[0-9a-f]{8}-[a-z2-7]{26}"), p);
    assertEquals(String.format("%08x", a.keys().prfId()), p.substring(1, 9));
  }

  @Test
  void rotationKeepsOldCiphertextsReadable() throws Exception {
    SandboxKeys keys = SandboxKeys.init(dir, null);
    SandboxCrypto before = new SandboxCrypto(keys);
    String token = before.token(PiiType.PHONE, "conversation:c-1", "13812345678");
    byte[] old = before.encrypt(PiiType.PHONE, token, "13812345678");
    int oldId = keys.aeadPrimaryId();
    SandboxKeys rotated = keys.rotate();
    assertNotEquals(oldId, rotated.aeadPrimaryId());
    SandboxCrypto after = new SandboxCrypto(SandboxKeys.load(dir));
    assertEquals(rotated.aeadPrimaryId(), after.aeadKeyId());
    assertEquals("13812345678", after.decrypt(PiiType.PHONE, token, old));
    // pseudonyms do not change with the vault key
    assertEquals(before.pseudonym("cust-1"), after.pseudonym("cust-1"));
    assertEquals(3, after.keys().list().size());
  }

  @Test
  void associatedDataBindsTableColumnAndRecordKey() throws Exception {
    SandboxCrypto c = new SandboxCrypto(SandboxKeys.init(dir, null));
    byte[] ct = c.encrypt(PiiType.EMAIL, "vtoken1", "a@b.cn");
    assertEquals("a@b.cn", c.decrypt(PiiType.EMAIL, "vtoken1", ct));
    assertThrows(GeneralSecurityException.class, () -> c.decrypt(PiiType.EMAIL, "vtoken2", ct));
    assertThrows(GeneralSecurityException.class, () -> c.decrypt(PiiType.NAME, "vtoken1", ct));
    ct[ct.length - 1] ^= 1;
    assertThrows(GeneralSecurityException.class, () -> c.decrypt(PiiType.EMAIL, "vtoken1", ct));
    // the documented byte form: lp("vault") ‖ lp("EMAIL") ‖ lp("vtoken1")
    byte[] ad = SandboxCrypto.associatedData(PiiType.EMAIL, "vtoken1");
    assertEquals(
        "000000057661756c74" + "00000005454d41494c" + "0000000776746f6b656e31",
        java.util.HexFormat.of().formatHex(ad));
  }

  @Test
  void keysetsDoNotLoadUnderAnotherMasterKey() throws Exception {
    SandboxKeys.init(dir.resolve("a"), null);
    SandboxKeys.init(dir.resolve("b"), null);
    Files.copy(
        dir.resolve("b").resolve("master.json"),
        dir.resolve("a").resolve("master.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    java.io.IOException e =
        assertThrows(java.io.IOException.class, () -> SandboxKeys.load(dir.resolve("a")));
    assertTrue(e.getMessage().contains("cannot be decrypted"), e.getMessage());
  }

  /**
   * The KMS extension point as production uses it: a {@link com.google.crypto.tink.KmsClient}
   * registered for a URI scheme (here an in-memory stand-in for gcp-kms:// or aws-kms://).
   */
  @Test
  void aKmsMasterKeyIsUsedThroughTinksKmsClients() throws Exception {
    com.google.crypto.tink.Aead kmsKey =
        com.google.crypto.tink.KeysetHandle.generateNew(
                com.google.crypto.tink.aead.PredefinedAeadParameters.AES256_GCM)
            .getPrimitive(
                com.google.crypto.tink.RegistryConfiguration.get(),
                com.google.crypto.tink.Aead.class);
    int[] calls = {0};
    com.google.crypto.tink.KmsClients.add(
        new com.google.crypto.tink.KmsClient() {
          @Override
          public boolean doesSupport(String uri) {
            return uri.startsWith("test-kms://");
          }

          @Override
          public com.google.crypto.tink.KmsClient withCredentials(String path) {
            return this;
          }

          @Override
          public com.google.crypto.tink.KmsClient withDefaultCredentials() {
            return this;
          }

          @Override
          public com.google.crypto.tink.Aead getAead(String uri) {
            calls[0]++;
            return kmsKey;
          }
        });
    String uri = "test-kms://projects/p/locations/l/keyRings/r/cryptoKeys/kefu";
    SandboxCrypto a = new SandboxCrypto(SandboxKeys.init(dir, uri));
    assertFalse(Files.exists(dir.resolve(SandboxKeys.MASTER_FILE)), "no local master key");
    assertEquals(uri, Files.readString(dir.resolve(SandboxKeys.KMS_FILE)).strip());
    SandboxKeys loaded = SandboxKeys.load(dir);
    assertFalse(loaded.localMaster());
    assertEquals(a.pseudonym("cust-1"), new SandboxCrypto(loaded).pseudonym("cust-1"));
    assertEquals(2, calls[0]);
  }
}
