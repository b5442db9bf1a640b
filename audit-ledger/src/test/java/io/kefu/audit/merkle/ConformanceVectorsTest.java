package io.kefu.audit.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Another implementation's conformance suite (transparency-dev/merkle testdata, in
 * ../shared/data/rfc6962-vectors): every inclusion and consistency vector must be accepted or
 * rejected exactly as its {@code wantErr} says.
 */
class ConformanceVectorsTest {

  private static final Path VECTORS = Path.of("../../shared/data/rfc6962-vectors");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Path> files(String folder) throws Exception {
    try (Stream<Path> walk = Files.walk(VECTORS.resolve(folder))) {
      return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static byte[] bytes(JsonNode n) {
    return n == null || n.isNull() ? new byte[0] : Base64.getDecoder().decode(n.asText());
  }

  private static List<byte[]> proof(JsonNode n) {
    List<byte[]> out = new ArrayList<>();
    if (n != null && !n.isNull()) {
      n.forEach(p -> out.add(bytes(p)));
    }
    return out;
  }

  private static long uint64(JsonNode n) {
    return Long.parseUnsignedLong(n.asText());
  }

  @TestFactory
  Stream<DynamicTest> inclusionVectors() throws Exception {
    List<Path> files = files("inclusion");
    assertTrue(files.size() >= 90, "inclusion vectors: " + files.size());
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    VECTORS.relativize(f).toString(),
                    () -> {
                      JsonNode v = JSON.readTree(f.toFile());
                      boolean rejected = false;
                      try {
                        MerkleVerifier.verifyInclusion(
                            uint64(v.get("leafIdx")),
                            uint64(v.get("treeSize")),
                            bytes(v.get("leafHash")),
                            proof(v.get("proof")),
                            bytes(v.get("root")));
                      } catch (ProofException e) {
                        rejected = true;
                      }
                      assertEquals(v.get("wantErr").asBoolean(), rejected, v.get("desc").asText());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> consistencyVectors() throws Exception {
    List<Path> files = files("consistency");
    assertTrue(files.size() > 80, "consistency vectors: " + files.size());
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    VECTORS.relativize(f).toString(),
                    () -> {
                      JsonNode v = JSON.readTree(f.toFile());
                      boolean rejected = false;
                      try {
                        MerkleVerifier.verifyConsistency(
                            uint64(v.get("size1")),
                            uint64(v.get("size2")),
                            proof(v.get("proof")),
                            bytes(v.get("root1")),
                            bytes(v.get("root2")));
                      } catch (ProofException e) {
                        rejected = true;
                      }
                      assertEquals(v.get("wantErr").asBoolean(), rejected, v.get("desc").asText());
                    }));
  }
}
