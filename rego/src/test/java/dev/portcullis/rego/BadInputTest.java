package dev.portcullis.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Bad policies and bad inputs end in a clear error with a code, and never disturb other evaluations. */
class BadInputTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void malformedModuleIsAParseErrorWithFileRowAndColumn() {
    RegoException e = assertThrows(RegoException.class,
        () -> Policy.compile(Map.of("bad.rego", "package a\n\nallow if {\n  input.x == \n}\n"), null));
    assertEquals("rego_parse_error", e.code());
    assertEquals(new Location("bad.rego", 5, 1), e.location());
    assertTrue(e.toString().startsWith("bad.rego:5:1: rego_parse_error: "), e.toString());
  }

  @Test
  void unsafeVariableIsReportedWhereItIs() {
    RegoException e = assertThrows(RegoException.class,
        () -> Policy.compile(Map.of("u.rego", "package a\n\np if {\n  x > 1\n}\n"), null));
    assertEquals("rego_unsafe_var_error", e.code());
    assertEquals(new Location("u.rego", 4, 3), e.location());
  }

  @Test
  void unboundedRecursionThroughFunctionsIsRejectedAtCompileTime() {
    RegoException e = assertThrows(RegoException.class, () -> Policy.compile(Map.of("r.rego", """
        package a
        f(x) := g(x + 1)
        g(x) := f(x * 2)
        p := f(1)
        """), null));
    assertEquals("rego_recursion_error", e.code());
    assertTrue(e.getMessage().contains("data.a.f"), e.getMessage());
  }

  @Test
  void callChainsDeeperThanTheDepthBudgetEndInABudgetError() throws Exception {
    StringBuilder src = new StringBuilder("package a\nf0(x) := x\n");
    for (int i = 1; i <= 60; i++) src.append("f").append(i).append("(x) := f").append(i - 1).append("(x)\n");
    src.append("p := f60(1)\n");
    Policy p = Policy.compile(Map.of("d.rego", src.toString()), null);
    EvalOptions shallow = new EvalOptions(Duration.ofSeconds(5), 50, 1_000_000, false, l -> {});
    RegoException e = assertThrows(RegoException.class, () -> p.evaluate("data.a.p", null, shallow));
    assertEquals("eval_budget_error", e.code());
    assertEquals(1, p.evaluate("data.a.p", null, EvalOptions.DEFAULT).orElseThrow().asInt());
  }

  @Test
  void inputNestedTenThousandDeepIsABudgetError() throws Exception {
    Policy p = Policy.compile(Map.of("a.rego", "package a\nn := count(walk(input))\n"), null);
    RegoException e = assertThrows(RegoException.class,
        () -> p.evaluate("data.a.n", nested(10_000), EvalOptions.DEFAULT));
    assertEquals("eval_budget_error", e.code());
    assertTrue(e.getMessage().contains("depth"), e.getMessage());
  }

  @Test
  void fiftyMegabyteInputIsABudgetError() throws Exception {
    Policy p = Policy.compile(Map.of("a.rego", "package a\nok := true\n"), null);
    ObjectNode big = F.objectNode();
    String chunk = "x".repeat(1 << 20);
    for (int i = 0; i < 50; i++) big.put("k" + i, chunk);
    RegoException e = assertThrows(RegoException.class, () -> p.evaluate("data.a.ok", big, EvalOptions.DEFAULT));
    assertEquals("eval_budget_error", e.code());
    assertTrue(e.getMessage().contains("size"), e.getMessage());
  }

  @Test
  void comprehensionOverAHugeRangeEndsInABudgetError() throws Exception {
    Policy p = Policy.compile(Map.of("a.rego",
        "package a\nxs := [x | some x in numbers.range(1, 1000000000)]\n"), null);
    RegoException e = assertThrows(RegoException.class, () -> p.evaluate("data.a.xs", null, EvalOptions.DEFAULT));
    assertTrue(e.code().equals("eval_budget_error") || e.code().equals("eval_cancel_error"), e.toString());
  }

  @Test
  void quadraticComprehensionHitsTheDeadline() throws Exception {
    List<Integer> xs = new ArrayList<>();
    for (int i = 0; i < 5000; i++) xs.add(i);
    Policy p = Policy.compile(Map.of("a.rego",
        "package a\npairs := count({[x, y] | some x in data.xs; some y in data.xs; x != y})\n"),
        new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Map.of("xs", xs)));
    EvalOptions fast = EvalOptions.DEFAULT.withTimeout(Duration.ofMillis(200));
    RegoException e = assertThrows(RegoException.class, () -> p.evaluate("data.a.pairs", null, fast));
    assertTrue(e.code().equals("eval_cancel_error") || e.code().equals("eval_budget_error"), e.toString());
  }

  @Test
  void badEvaluationsLeaveConcurrentOnesUntouched() throws Exception {
    Policy p = Policy.compile(Map.of("a.rego", """
        package a
        xs := [x | some x in numbers.range(1, 1000000000)]
        allow if input.user == "alice"
        """), null);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicBoolean stop = new AtomicBoolean();
    try {
      Future<Integer> good = pool.submit(() -> {
        int n = 0;
        while (!stop.get() || n < 100) {
          JsonNode in = F.objectNode().put("user", n % 2 == 0 ? "alice" : "bob");
          boolean allowed = p.evaluate("data.a.allow", in, EvalOptions.DEFAULT).isPresent();
          if (allowed != (n % 2 == 0)) return -1;
          n++;
        }
        return n;
      });
      List<Future<String>> bad = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        bad.add(pool.submit(() -> {
          try {
            p.evaluate("data.a.xs", null, EvalOptions.DEFAULT);
            return "no error";
          } catch (RegoException e) {
            return e.code();
          }
        }));
        bad.add(pool.submit(() -> {
          try {
            p.evaluate("data.a.allow", nested(10_000), EvalOptions.DEFAULT);
            return "no error";
          } catch (RegoException e) {
            return e.code();
          }
        }));
      }
      for (Future<String> b : bad) {
        String code = b.get(60, TimeUnit.SECONDS);
        assertTrue(code.equals("eval_budget_error") || code.equals("eval_cancel_error"), code);
      }
      stop.set(true);
      assertTrue(good.get(60, TimeUnit.SECONDS) >= 100);
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  private static JsonNode nested(int depth) {
    ObjectNode root = F.objectNode();
    ObjectNode cur = root;
    for (int i = 0; i < depth; i++) cur = cur.putObject("a");
    return root;
  }
}
