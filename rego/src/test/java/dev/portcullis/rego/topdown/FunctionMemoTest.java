package dev.portcullis.rego.topdown;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.rego.EvalOptions;
import dev.portcullis.rego.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Function results are remembered within an evaluation without changing what a policy observes. */
class FunctionMemoTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aFunctionThatPrintsPrintsOnEveryCall() throws Exception {
    Policy p = Policy.compile(Map.of("p.rego", """
        package p
        f(x) := y if {
          print("f", x)
          y := x
        }
        r := [f(1), f(1), f(2)]
        """), null);
    List<String> lines = new ArrayList<>();
    p.evaluate("data.p.r", null, EvalOptions.DEFAULT.withPrint(lines::add));
    assertEquals(List.of("f 1", "f 1", "f 2"), lines);
  }

  @Test
  void aFunctionCalledUnderWithSeesTheReplacedInput() throws Exception {
    Policy p = Policy.compile(Map.of("p.rego", """
        package p
        g(x) := x + input.k
        before := g(1)
        replaced := y if y := g(1) with input.k as 10
        r := [before, replaced, g(1)]
        """), null);
    assertEquals("[2,11,2]",
        p.evaluate("data.p.r", JSON.readTree("{\"k\": 1}"), EvalOptions.DEFAULT).orElseThrow().toString());
  }
}
