package dev.portcullis.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception { return JSON.readTree(s); }

  @Test
  void bundleMergesDataFilesAtTheirFolderAndReadsTheRevision(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".manifest"), "{\"revision\": \"r42\"}");
    Files.createDirectories(dir.resolve("portcullis/roles"));
    Files.writeString(dir.resolve("portcullis/roles/data.json"), "{\"alice\": \"dba\"}");
    Files.writeString(dir.resolve("portcullis/data.yaml"), "limits:\n  rows: 100\n");
    Files.writeString(dir.resolve("portcullis/policy.rego"), """
        package portcullis

        role := data.portcullis.roles[input.user]
        rows := data.portcullis.limits.rows
        """);
    Policy p = Policy.compileBundle(dir);
    assertEquals("r42", p.revision());
    assertEquals(List.of("data.portcullis"), p.packages());
    assertEquals("dba", p.evaluate("data.portcullis.role", json("{\"user\":\"alice\"}"), EvalOptions.DEFAULT)
        .orElseThrow().asText());
    assertEquals(100, p.evaluate("data.portcullis.rows", null, EvalOptions.DEFAULT).orElseThrow().asInt());
    assertTrue(p.evaluate("data.portcullis.role", json("{\"user\":\"bob\"}"), EvalOptions.DEFAULT).isEmpty());
  }

  @Test
  void bundleWithinItsManifestRootsLoads(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".manifest"), "{\"revision\": \"r1\", \"roots\": [\"a\", \"/c/d/\"]}");
    Files.createDirectories(dir.resolve("c/d"));
    Files.writeString(dir.resolve("c/d/data.json"), "{\"max\": 3}");
    Files.writeString(dir.resolve("a.rego"), "package a.b\nmax := data.c.d.max\n");
    Policy p = Policy.compileBundle(dir);
    assertEquals(3, p.evaluate("data.a.b.max", null, EvalOptions.DEFAULT).orElseThrow().asInt());
  }

  @Test
  void bundleIsRefusedWhenAPackageLiesOutsideItsManifestRoots(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".manifest"), "{\"revision\": \"r1\", \"roots\": [\"a\", \"b\", \"c/d\"]}");
    Files.writeString(dir.resolve("a.rego"), "package b.c\n");
    Path outside = dir.resolve("x.rego");
    Files.writeString(outside, "package c.e\n");
    RegoException e = assertThrows(RegoException.class, () -> Policy.compileBundle(dir));
    assertEquals("bundle_error", e.code());
    assertEquals("manifest roots [a b c/d] do not permit 'package c.e' in module '" + outside + "'", e.getMessage());
  }

  @Test
  void bundleIsRefusedWhenDataLiesOutsideItsManifestRoots(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".manifest"), "{\"revision\": \"r1\", \"roots\": [\"a\", \"b\", \"c/d\"]}");
    Files.writeString(dir.resolve("data.json"), "{\"a\": 1}");
    Files.createDirectories(dir.resolve("c/e"));
    Files.writeString(dir.resolve("c/e/data.json"), "{\"x\": \"bad\"}");
    RegoException e = assertThrows(RegoException.class, () -> Policy.compileBundle(dir));
    assertEquals("bundle_error", e.code());
    // OPA walks into c/e (its segment c leads to the root c/d) and names the value it cannot place
    assertEquals("manifest roots [a b c/d] do not permit data at path '/c/e/x' "
        + "(hint: check bundle directory structure)", e.getMessage());
  }

  @Test
  void bundleIsRefusedWhenItsManifestRootsOverlap(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".manifest"), "{\"roots\": [\"a/b\", \"a\"]}");
    RegoException e = assertThrows(RegoException.class, () -> Policy.compileBundle(dir));
    assertEquals("manifest has overlapped roots: 'a/b' and 'a'", e.getMessage());
    Files.writeString(dir.resolve(".manifest"), "{\"roots\": [\"a\", \"another_root\"]}");
    Policy.compileBundle(dir);
  }

  @Test
  void compileFilesTakesFoldersAndSingleFiles(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("lib/limits"));
    Files.writeString(dir.resolve("lib/lib.rego"), "package lib\nlimit := data.limits.max\n");
    // as with opa -d lib: data files sit at their folder's path relative to the folder given
    Files.writeString(dir.resolve("lib/limits/data.json"), "{\"max\": 3}");
    Path main = dir.resolve("main.rego");
    Files.writeString(main, "package main\nimport data.lib\nok if input.n <= lib.limit\n");
    Policy p = Policy.compileFiles(List.of(dir.resolve("lib"), main));
    assertEquals(List.of("data.lib", "data.main"), p.packages());
    assertTrue(p.evaluate("data.main.ok", json("{\"n\": 2}"), EvalOptions.DEFAULT).isPresent());
    assertTrue(p.evaluate("data.main.ok", json("{\"n\": 4}"), EvalOptions.DEFAULT).isEmpty());
    RegoException missing = assertThrows(RegoException.class,
        () -> Policy.compileFiles(List.of(dir.resolve("nope.rego"))));
    assertTrue(missing.getMessage().contains("nope.rego"));
  }

  @Test
  void queryReportsExpressionsAndBindingsPerSolution() throws Exception {
    Policy p = Policy.compile(Map.of("a.rego", "package a\nxs := [1, 2, 3]\n"), null);
    List<QueryResult> rs = p.query("some x in data.a.xs; x > 1", null, EvalOptions.DEFAULT);
    assertEquals(2, rs.size());
    assertEquals(2, rs.get(0).bindings().get("x").asInt());
    assertEquals("x > 1", rs.get(0).expressions().get(1).text());
    assertTrue(rs.get(0).expressions().get(1).value().asBoolean());
  }

  @Test
  void undefinedIsEmptyAndFalseIsAValue() throws Exception {
    Policy p = Policy.compile(Map.of("a.rego", """
        package a
        default deny := false
        allow if input.x == 1
        """), null);
    assertTrue(p.evaluate("data.a.allow", json("{\"x\":2}"), EvalOptions.DEFAULT).isEmpty());
    assertFalse(p.evaluate("data.a.deny", json("{}"), EvalOptions.DEFAULT).orElseThrow().asBoolean());
  }

  @Test
  void conflictingCompleteRulesAreAnEvalConflictError() throws Exception {
    Policy p = Policy.compile(Map.of("a.rego", "package a\np := 1\np := 2\n"), null);
    RegoException e = assertThrows(RegoException.class, () -> p.evaluate("data.a.p", null, EvalOptions.DEFAULT));
    assertEquals("eval_conflict_error", e.code());
    assertEquals(new Location("a.rego", 3, 1), e.location());
  }

  @Test
  void strictBuiltinErrorsAbortOtherwiseUndefined() throws Exception {
    Policy p = Policy.compile(Map.of("a.rego", "package a\nq := x if x := 1 / input.d\n"), null);
    JsonNode zero = json("{\"d\":0}");
    assertTrue(p.evaluate("data.a.q", zero, EvalOptions.DEFAULT).isEmpty());
    RegoException e = assertThrows(RegoException.class,
        () -> p.evaluate("data.a.q", zero, EvalOptions.DEFAULT.withStrict(true)));
    assertEquals("eval_builtin_error", e.code());
    assertEquals("div: divide by zero", e.getMessage());
  }

  @Test
  void printGoesToTheOptionsNeverToStdout() throws Exception {
    Policy p = Policy.compile(Map.of("a.rego", "package a\np if { print(\"hello\", input.who, input.nope) }\n"),
        null);
    List<String> lines = new ArrayList<>();
    p.evaluate("data.a.p", json("{\"who\":[1]}"), EvalOptions.DEFAULT.withPrint(lines::add));
    assertEquals(List.of("hello [1] <undefined>"), lines);
  }

  @Test
  void manyThreadsEvaluateOnePolicy() throws Exception {
    Policy p = Policy.compile(Map.of("a.rego", """
        package a
        double := [y | some x in input.xs; y := x * 2]
        """), null);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int n = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            JsonNode out = p.evaluate("data.a.double", json("{\"xs\":[" + n + "," + i + "]}"), EvalOptions.DEFAULT)
                .orElseThrow();
            if (out.get(0).asInt() != 2 * n || out.get(1).asInt() != 2 * i) return false;
          }
          return true;
        }));
      }
      for (Future<Boolean> f : fs) assertTrue(f.get(60, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }
}
