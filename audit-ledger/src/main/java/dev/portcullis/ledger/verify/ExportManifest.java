package dev.portcullis.ledger.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code export.json} in an exported folder: where the exported range starts, what the verifier needs to continue
 * the tree and the chain from there, and consistency proofs between successive checkpoints. None of it is trusted:
 * a false prefix or proof only makes checkpoints fail to verify.
 *
 * @param from         seq of the first exported entry
 * @param to           seq after the last exported entry
 * @param prefixRoots  roots of the complete subtrees covering entries [0, from), largest first
 * @param prevLeaf     leaf hash of entry from - 1 (null when from is 0)
 * @param consistency  proofs between successive checkpoint sizes
 */
public record ExportManifest(long from, long to, List<byte[]> prefixRoots, byte[] prevLeaf,
                             List<ConsistencyProof> consistency) {
  public static final String FILE = "export.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public record ConsistencyProof(long size1, long size2, List<byte[]> proof) {}

  public void write(Path dir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "portcullis-ledger-export/v1");
    root.put("from", from).put("to", to);
    ArrayNode prefix = root.putArray("prefix_roots");
    prefixRoots.forEach(h -> prefix.add(Base64.getEncoder().encodeToString(h)));
    root.put("prev_leaf", prevLeaf == null ? null : HexFormat.of().formatHex(prevLeaf));
    ArrayNode proofs = root.putArray("consistency");
    for (ConsistencyProof c : consistency) {
      ObjectNode p = proofs.addObject().put("size1", c.size1()).put("size2", c.size2());
      ArrayNode hashes = p.putArray("proof");
      c.proof().forEach(h -> hashes.add(Base64.getEncoder().encodeToString(h)));
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), root);
  }

  /** Reads the manifest of an export, or returns null for a plain ledger folder. */
  public static ExportManifest read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) return null;
    JsonNode root = JSON.readTree(file.toFile());
    try {
      List<byte[]> prefix = new ArrayList<>();
      root.path("prefix_roots").forEach(h -> prefix.add(Base64.getDecoder().decode(h.asText())));
      List<ConsistencyProof> proofs = new ArrayList<>();
      for (JsonNode p : root.path("consistency")) {
        List<byte[]> hashes = new ArrayList<>();
        p.path("proof").forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
        proofs.add(new ConsistencyProof(p.path("size1").asLong(), p.path("size2").asLong(), hashes));
      }
      JsonNode prev = root.get("prev_leaf");
      return new ExportManifest(root.path("from").asLong(), root.path("to").asLong(), prefix,
          prev == null || prev.isNull() ? null : HexFormat.of().parseHex(prev.asText()), proofs);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is malformed: " + e.getMessage(), e);
    }
  }
}
