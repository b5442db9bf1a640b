package io.kefu.audit.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Merkle tree hashing and proofs of RFC 9162 (Certificate Transparency 2.0), section 2.1: leaf hash
 * SHA-256(0x00 ‖ data), node hash SHA-256(0x01 ‖ left ‖ right), the left subtree of {@code n}
 * leaves holding the largest power of two smaller than {@code n}. Proof generation is here; proof
 * checking is in {@link MerkleVerifier}.
 */
public final class Merkle {
  private Merkle() {}

  public static final int HASH_BYTES = 32;

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  public static byte[] leafHash(byte[] data) {
    MessageDigest d = sha256();
    d.update((byte) 0x00);
    return d.digest(data);
  }

  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 0x01);
    d.update(left);
    return d.digest(right);
  }

  /** The hash of an empty tree, SHA-256 of nothing. */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /** MTH(D[n]) over leaf hashes (already {@link #leafHash}ed). */
  public static byte[] root(List<byte[]> leafHashes) {
    return root(leafHashes, 0, leafHashes.size());
  }

  /** MTH of the leaves in {@code [from, to)}. */
  public static byte[] root(List<byte[]> leafHashes, int from, int to) {
    int n = to - from;
    if (n == 0) {
      return emptyRoot();
    }
    if (n == 1) {
      return leafHashes.get(from);
    }
    int k = largestPowerOfTwoBelow(n);
    return nodeHash(root(leafHashes, from, from + k), root(leafHashes, from + k, to));
  }

  /**
   * MTH over {@code count} leaf hashes packed in one array (32 bytes each), computed level by level
   * in place: pair neighbours, carry an odd last node up unchanged. This gives the same root as the
   * recursive definition (the split at the largest power of two) without an allocation per node,
   * which matters when verifying millions of records.
   */
  public static byte[] rootOfPacked(byte[] packedLeaves, int count) {
    if (count == 0) {
      return emptyRoot();
    }
    byte[] buf = java.util.Arrays.copyOf(packedLeaves, count * HASH_BYTES);
    MessageDigest d = sha256();
    // 0x01 ‖ left ‖ right, copied together: one digest update per node is measurably cheaper.
    byte[] node = new byte[1 + 2 * HASH_BYTES];
    node[0] = 0x01;
    int n = count;
    try {
      while (n > 1) {
        int out = 0;
        for (int i = 0; i + 1 < n; i += 2, out++) {
          System.arraycopy(buf, i * HASH_BYTES, node, 1, 2 * HASH_BYTES);
          d.update(node, 0, node.length);
          d.digest(buf, out * HASH_BYTES, HASH_BYTES);
        }
        if ((n & 1) == 1) {
          System.arraycopy(buf, (n - 1) * HASH_BYTES, buf, out * HASH_BYTES, HASH_BYTES);
          out++;
        }
        n = out;
      }
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e);
    }
    return java.util.Arrays.copyOf(buf, HASH_BYTES);
  }

  /** The largest power of two strictly smaller than {@code n} (n ≥ 2). */
  static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }

  /** PATH(m, D[n]): the audit path of leaf {@code index}, from the leaf up. */
  public static List<byte[]> inclusionProof(List<byte[]> leafHashes, int index) {
    if (index < 0 || index >= leafHashes.size()) {
      throw new IllegalArgumentException(
          "leaf " + index + " is not in a tree of " + leafHashes.size());
    }
    List<byte[]> path = new ArrayList<>();
    path(leafHashes, index, 0, leafHashes.size(), path);
    return path;
  }

  private static void path(List<byte[]> leaves, int m, int from, int to, List<byte[]> out) {
    int n = to - from;
    if (n <= 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(leaves, m, from, from + k, out);
      out.add(root(leaves, from + k, to));
    } else {
      path(leaves, m - k, from + k, to, out);
      out.add(root(leaves, from, from + k));
    }
  }

  /** PROOF(m, D[n]): that the tree of the first {@code m} leaves is a prefix of this one. */
  public static List<byte[]> consistencyProof(List<byte[]> leafHashes, int m) {
    int n = leafHashes.size();
    if (m <= 0 || m > n) {
      throw new IllegalArgumentException("no consistency proof from " + m + " to " + n);
    }
    List<byte[]> proof = new ArrayList<>();
    if (m < n) {
      subproof(leafHashes, m, 0, n, true, proof);
    }
    return proof;
  }

  private static void subproof(
      List<byte[]> leaves, int m, int from, int to, boolean complete, List<byte[]> out) {
    int n = to - from;
    if (m == n) {
      if (!complete) {
        out.add(root(leaves, from, to));
      }
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(leaves, m, from, from + k, complete, out);
      out.add(root(leaves, from + k, to));
    } else {
      subproof(leaves, m - k, from + k, to, false, out);
      out.add(root(leaves, from, from + k));
    }
  }
}
