package dev.portcullis.rego.builtins;

import java.util.Map;
import java.util.random.RandomGenerator;

/** What a built-in may see of the evaluation that calls it. */
public interface BuiltinContext {
  /** {@code time.now_ns()}: fixed for the whole evaluation, as in OPA. */
  long nowNanos();

  /** Source of randomness for {@code rand.intn} and {@code uuid.rfc4122}. */
  RandomGenerator random();

  /** A per-evaluation cache for non-deterministic built-ins, so repeated calls agree (OPA's ND cache). */
  Map<Object, Object> cache();

  /**
   * Charges {@code units} against the evaluation's size budget (one unit is about one element or character
   * produced) and checks the deadline. Built-ins that can build large results call it before they do.
   */
  void charge(long units) throws BuiltinException;
}
