package dev.portcullis.rego.tester;

import dev.portcullis.rego.Policy;
import java.util.function.Predicate;

/** Runs a policy's tests with {@code opa test} semantics. */
public final class Tester {
  private Tester() {}

  /**
   * Discovers every rule named {@code test_*} or {@code todo_*} in the policy, runs those whose full name
   * ({@code data.pkg.test_name}) the filter accepts, and reports each. A test passes when its body is true;
   * {@code todo_*} tests are skipped; an evaluation error makes the outcome ERROR.
   */
  public static TestReport run(Policy policy, Predicate<String> nameFilter, boolean coverage) {
    throw new UnsupportedOperationException("not built yet");
  }
}
