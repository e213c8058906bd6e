package dev.portcullis.rego.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The ratchet: the number of passing shared conformance cases may only go up. Raise the figure in
 * {@code conformance-ratchet.txt} when the engine gets better.
 */
class ConformanceRatchetTest {
  @Test
  void passingCasesNeverDropBelowTheRecordedFigure() throws Exception {
    Path cases = sharedCases();
    long recorded = Long.parseLong(
        new String(getClass().getResourceAsStream("/conformance-ratchet.txt").readAllBytes()).trim());
    ConformanceRunner.Report report = ConformanceRunner.run(cases);
    assertTrue(report.passed() >= recorded,
        "conformance dropped: " + report.summary() + ", recorded minimum " + recorded + " passed");
  }

  /** {@code shared} is the sibling of the repository root (the folder holding the root pom). */
  private static Path sharedCases() {
    Path dir = Path.of("").toAbsolutePath();
    Path root = null;
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("rego"))) {
        root = p;
        break;
      }
    }
    if (root == null) throw new IllegalStateException("repository root not found above " + dir);
    Path cases = root.resolveSibling("shared").resolve("opa-conformance").resolve("cases");
    if (!Files.isDirectory(cases)) throw new IllegalStateException("conformance cases not found at " + cases);
    return cases;
  }
}
