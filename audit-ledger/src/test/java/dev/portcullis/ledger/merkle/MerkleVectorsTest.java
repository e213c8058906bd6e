package dev.portcullis.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.ledger.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/** The transparency-dev/merkle test vectors: every valid case accepted, every broken variant rejected. */
class MerkleVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path VECTORS = SharedFiles.shared("merkle-vectors").resolve("testdata");

  @Test
  void allVectorFilesAreFound() throws IOException {
    assertEquals(196, cases("inclusion").size() + cases("consistency").size());
  }

  @TestFactory
  Stream<DynamicTest> inclusionVectors() throws IOException {
    return cases("inclusion").stream().map(file -> DynamicTest.dynamicTest(VECTORS.relativize(file).toString(), () -> {
      JsonNode c = JSON.readTree(file.toFile());
      Executable verify = () -> Proofs.verifyInclusion(c.get("leafIdx").asLong(), c.get("treeSize").asLong(),
          bytes(c.get("leafHash")), hashes(c.get("proof")), bytes(c.get("root")));
      expect(c, verify);
    }));
  }

  @TestFactory
  Stream<DynamicTest> consistencyVectors() throws IOException {
    return cases("consistency").stream().map(file -> DynamicTest.dynamicTest(VECTORS.relativize(file).toString(), () -> {
      JsonNode c = JSON.readTree(file.toFile());
      Executable verify = () -> Proofs.verifyConsistency(c.get("size1").asLong(), c.get("size2").asLong(),
          bytes(c.get("root1")), bytes(c.get("root2")), hashes(c.get("proof")));
      expect(c, verify);
    }));
  }

  private static void expect(JsonNode c, Executable verify) throws Throwable {
    if (c.get("wantErr").asBoolean()) {
      assertThrows(InvalidProofException.class, verify, c.get("desc").asText());
    } else {
      verify.execute();
    }
  }

  private static List<Path> cases(String kind) throws IOException {
    try (Stream<Path> files = Files.walk(VECTORS.resolve(kind))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static byte[] bytes(JsonNode node) {
    return node == null || node.isNull() ? null : Base64.getDecoder().decode(node.asText());
  }

  private static List<byte[]> hashes(JsonNode node) {
    List<byte[]> out = new ArrayList<>();
    if (node != null && !node.isNull()) node.forEach(h -> out.add(bytes(h)));
    return out;
  }
}
