package dev.portcullis.rego.topdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.rego.Policy;
import dev.portcullis.rego.builtins.BuiltinException;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the evaluator offers built-ins: the size budget and the source of randomness. */
class EvalContextTest {
  private static Eval eval(long maxSize) throws Exception {
    Compiled c = Policy.compile(Map.of("p.rego", "package p\n\nx := 1\n"), null).compiled();
    return new Eval(c.tree(), c.data(), null, System.nanoTime() + 60_000_000_000L, 100, maxSize, false, line -> {});
  }

  @Test
  void aChargeTooLargeToAddExhaustsTheBudgetInsteadOfWrappingAround() throws Exception {
    Eval e = eval(1_000);
    e.charge(10);
    BuiltinException ex = assertThrows(BuiltinException.class, () -> e.charge(Long.MAX_VALUE));
    assertEquals(BuiltinException.Kind.BUDGET, ex.kind());
    // and it stays exhausted
    assertThrows(BuiltinException.class, () -> e.charge(1));
  }

  @Test
  void randomnessComesFromACryptographicSource() throws Exception {
    // uuid.rfc4122 and rand.intn must not be predictable from earlier outputs, as with OPA's crypto/rand
    assertInstanceOf(SecureRandom.class, eval(1_000).random());
  }
}
