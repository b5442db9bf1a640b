package io.kefu.audit.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers pinned from RFC 9162's reference tree (transparency-dev/merkle test constants). */
class MerkleTest {

  private static final HexFormat HEX = HexFormat.of();

  private static final String[] LEAVES = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"
  };

  private static final String[] ROOTS = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
  };

  private static List<byte[]> leafHashes(int n) {
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      hashes.add(Merkle.leafHash(HEX.parseHex(LEAVES[i])));
    }
    return hashes;
  }

  @Test
  void knownHashes() {
    assertEquals(ROOTS[0], HEX.formatHex(Merkle.emptyRoot()));
    assertEquals(
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56",
        HEX.formatHex(Merkle.leafHash("L123456".getBytes())));
    assertEquals(
        "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb",
        HEX.formatHex(Merkle.nodeHash("N123".getBytes(), "N456".getBytes())));
  }

  @Test
  void rootsOfTheReferenceTree() {
    for (int n = 0; n <= 8; n++) {
      assertEquals(ROOTS[n], HEX.formatHex(Merkle.root(leafHashes(n))), "size " + n);
    }
  }

  @Test
  void everyGeneratedProofVerifiesAndATamperedOneDoesNot() throws Exception {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      leaves.add(Merkle.leafHash(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
    for (int n = 1; n <= leaves.size(); n++) {
      List<byte[]> tree = leaves.subList(0, n);
      byte[] root = Merkle.root(tree);
      for (int m = 0; m < n; m++) {
        List<byte[]> proof = Merkle.inclusionProof(tree, m);
        MerkleVerifier.verifyInclusion(m, n, tree.get(m), proof, root);
        if (n > 1) {
          int other = (m + 1) % n;
          int size = n;
          byte[] leaf = tree.get(m);
          assertThrows(
              ProofException.class,
              () -> MerkleVerifier.verifyInclusion(other, size, leaf, proof, root));
        }
      }
      for (int m = 1; m <= n; m++) {
        List<byte[]> proof = Merkle.consistencyProof(tree, m);
        MerkleVerifier.verifyConsistency(m, n, proof, Merkle.root(leaves.subList(0, m)), root);
      }
    }
  }

  @Test
  void packedLevelByLevelRootEqualsTheRecursiveDefinition() {
    List<byte[]> leaves = new ArrayList<>();
    byte[] packed = new byte[300 * 32];
    for (int n = 0; n < 300; n++) {
      assertArrayEquals(Merkle.root(leaves), Merkle.rootOfPacked(packed, n), "size " + n);
      byte[] leaf = Merkle.leafHash(new byte[] {(byte) n, (byte) (n >> 8), 7});
      leaves.add(leaf);
      System.arraycopy(leaf, 0, packed, n * 32, 32);
    }
  }

  @Test
  void inclusionProofOfLeafFiveInEight() {
    List<byte[]> proof = Merkle.inclusionProof(leafHashes(8), 5);
    assertEquals(3, proof.size());
    assertArrayEquals(Merkle.leafHash(HEX.parseHex(LEAVES[4])), proof.get(0));
  }
}
