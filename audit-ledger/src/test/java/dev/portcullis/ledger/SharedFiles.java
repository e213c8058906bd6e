package dev.portcullis.ledger;

import java.nio.file.Files;
import java.nio.file.Path;

/** The team's shared test data lives in {@code shared/}, a sibling of the repository root. */
public final class SharedFiles {
  private SharedFiles() {}

  public static Path shared(String name) {
    Path dir = Path.of("").toAbsolutePath();
    Path root = null;
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml"))) root = p;
    }
    if (root == null || root.getParent() == null) {
      throw new IllegalStateException("no repository root (folder with pom.xml) above " + dir);
    }
    Path found = root.getParent().resolve("shared").resolve(name);
    if (!Files.isDirectory(found)) {
      throw new IllegalStateException("shared test data missing: " + found + " (expected beside the repository root)");
    }
    return found;
  }
}
