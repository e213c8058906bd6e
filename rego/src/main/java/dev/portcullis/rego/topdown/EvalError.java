package dev.portcullis.rego.topdown;

import dev.portcullis.rego.Location;
import dev.portcullis.rego.RegoException;

/**
 * An error that ends an evaluation. Unchecked so the continuation-passing evaluator can throw it from lambdas; the
 * API boundary turns it into a {@link RegoException}. No stack trace: it is control flow, not a bug report.
 */
final class EvalError extends RuntimeException {
  final String code;
  final Location location;

  EvalError(String code, String message, Location location) {
    super(message, null, false, false);
    this.code = code;
    this.location = location;
  }

  RegoException toRegoException() { return new RegoException(code, getMessage(), location); }
}
