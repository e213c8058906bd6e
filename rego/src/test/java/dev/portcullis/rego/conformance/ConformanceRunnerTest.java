package dev.portcullis.rego.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceRunnerTest {
  @Test
  void reportsFailuresPerCategoryAndEndsWithTheSummaryLine(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("basics"));
    Files.writeString(dir.resolve("basics/cases.yaml"), """
        cases:
        - note: basics/pass
          query: data.t.p = x
          modules:
          - |
            package t
            p := 18446744073709551614 + 1
          want_result:
          - x: 18446744073709551615
        - note: basics/wrong
          query: data.t.p = x
          modules:
          - |
            package t
            p := {1, 2}
          want_result:
          - x: [2, 1]
        - note: basics/conflict
          query: data.t.p = x
          modules:
          - |
            package t
            p := 1
            p := 2
          want_error_code: eval_conflict_error
          want_error: complete rules must not produce multiple outputs
        """);
    Files.createDirectories(dir.resolve("missing"));
    Files.writeString(dir.resolve("missing/cases.yml"), """
        cases:
        - note: missing/builtin
          query: x = no.such.builtin(1)
          want_result:
          - x: 1
        """);
    ConformanceRunner.Report report = ConformanceRunner.run(dir);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ConformanceRunner.print(report, new PrintStream(buf, true, StandardCharsets.UTF_8));
    List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("conformance: 2 passed, 1 failed, 1 skipped (of 4)", lines.get(lines.size() - 1));
    assertTrue(lines.get(0).startsWith("FAIL basics/cases.yaml#1 basics/wrong: want "), lines.get(0));
    assertTrue(lines.stream().anyMatch(l -> l.matches("basics\\s+2\\s+1\\s+0\\s+3")), String.join("\n", lines));
    assertTrue(ConformanceRunner.markdown(report).contains("missing built-ins: no.such.builtin"));
  }
}
