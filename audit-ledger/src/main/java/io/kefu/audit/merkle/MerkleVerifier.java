package io.kefu.audit.merkle;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks RFC 9162 inclusion (section 2.1.3.2) and consistency (section 2.1.4.2) proofs. Sizes and
 * indexes are unsigned 64-bit values. Like Tink's {@code Mac.verifyMac}, a check returns nothing
 * and throws {@link ProofException} naming what did not match.
 */
public final class MerkleVerifier {
  private MerkleVerifier() {}

  /**
   * Verifies that {@code leafHash} is leaf {@code index} of the tree of {@code size} with {@code
   * root}.
   */
  public static void verifyInclusion(
      long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws ProofException {
    if (Long.compareUnsigned(index, size) >= 0) {
      throw new ProofException(
          "leaf index "
              + Long.toUnsignedString(index)
              + " is not below tree size "
              + Long.toUnsignedString(size));
    }
    if (leafHash.length != Merkle.HASH_BYTES) {
      throw new ProofException("leaf hash has " + leafHash.length + " bytes, not 32");
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        throw new ProofException("proof is longer than a tree of this size needs");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Merkle.nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = Merkle.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException("proof is shorter than a tree of this size needs");
    }
    if (!MessageDigest.isEqual(r, root)) {
      throw new ProofException(
          "computed root " + hex(r) + " differs from the expected root " + hex(root));
    }
  }

  /**
   * Verifies that the tree of {@code size1} with {@code root1} is a prefix of the one of {@code
   * size2}.
   */
  public static void verifyConsistency(
      long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
      throws ProofException {
    if (Long.compareUnsigned(size2, size1) < 0) {
      throw new ProofException("the second tree is smaller than the first");
    }
    if (size1 == 0) {
      throw new ProofException("no consistency proof exists from an empty tree");
    }
    if (size1 == size2) {
      if (!proof.isEmpty()) {
        throw new ProofException("equal sizes need an empty proof");
      }
      if (!MessageDigest.isEqual(root1, root2)) {
        throw new ProofException("equal sizes but different roots");
      }
      return;
    }
    if (proof.isEmpty()) {
      throw new ProofException("empty consistency proof");
    }
    int start = 0;
    byte[] fr;
    byte[] sr;
    if (Long.bitCount(size1) == 1) {
      fr = root1; // size1 is a power of two: its root is the first node of the path
      sr = root1;
    } else {
      fr = proof.get(0);
      sr = proof.get(0);
      start = 1;
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    for (int i = start; i < proof.size(); i++) {
      byte[] c = proof.get(i);
      if (sn == 0) {
        throw new ProofException("consistency proof is longer than needed");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Merkle.nodeHash(c, fr);
        sr = Merkle.nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = Merkle.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException("consistency proof is shorter than needed");
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new ProofException("proof does not lead to the first root " + hex(root1));
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new ProofException("proof does not lead to the second root " + hex(root2));
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
