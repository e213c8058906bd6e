package dev.portcullis.rego;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Bounds and switches for one evaluation. Every evaluation has a deadline and budgets; a breach ends it with a
 * {@link RegoException} and leaves other evaluations untouched.
 *
 * @param timeout     wall-clock deadline for the evaluation
 * @param maxDepth    deepest nesting of rule/function calls and values the evaluator will walk
 * @param maxSize     most elements/characters the evaluation may produce in total
 * @param strictBuiltinErrors  built-in errors abort evaluation (OPA's StrictBuiltinErrors) instead of being undefined
 * @param print       receives {@code print()} output; never stdout
 */
public record EvalOptions(Duration timeout, int maxDepth, long maxSize, boolean strictBuiltinErrors,
                          Consumer<String> print) {
  public static final EvalOptions DEFAULT =
      new EvalOptions(Duration.ofSeconds(1), 1_000, 10_000_000, false, line -> {});

  public EvalOptions withTimeout(Duration t) { return new EvalOptions(t, maxDepth, maxSize, strictBuiltinErrors, print); }

  public EvalOptions withStrict(boolean s) { return new EvalOptions(timeout, maxDepth, maxSize, s, print); }

  public EvalOptions withPrint(Consumer<String> p) { return new EvalOptions(timeout, maxDepth, maxSize, strictBuiltinErrors, p); }
}
