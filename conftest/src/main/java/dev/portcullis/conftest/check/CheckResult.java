package dev.portcullis.conftest.check;

import java.util.List;

/**
 * The findings for one file under one namespace.
 *
 * @param fileName   the file as named on the command line ({@code -} for standard input)
 * @param namespace  the Rego package without {@code data.}, e.g. {@code main}
 * @param successes  rule evaluations that produced nothing
 */
public record CheckResult(String fileName, String namespace, int successes, List<Finding> warnings,
                          List<Finding> failures, List<Finding> exceptions) {
  public int tests() {
    return successes + warnings.size() + failures.size() + exceptions.size();
  }
}
