package dev.portcullis.rego.tester;

import dev.portcullis.rego.Location;

/**
 * The outcome of one {@code test_*} (or {@code todo_*}) rule, as {@code opa test} reports it.
 *
 * @param pkg           the rule's package as a data reference, e.g. {@code data.foo}
 * @param name          the rule name, e.g. {@code test_allow}
 * @param location      where the rule is defined
 * @param outcome       pass, fail, error or skipped
 * @param durationNanos wall-clock time the test took (0 when skipped)
 * @param output        everything the test printed with {@code print()}, one line per call; empty when none
 * @param error         the error text for {@link Outcome#ERROR}, otherwise null
 */
public record TestResult(String pkg, String name, Location location, Outcome outcome, long durationNanos,
                         String output, String error) {
  public enum Outcome { PASS, FAIL, ERROR, SKIPPED }
}
