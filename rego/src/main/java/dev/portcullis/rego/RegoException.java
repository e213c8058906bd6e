package dev.portcullis.rego;

/**
 * Every failure the engine reports: parse, compile and evaluation errors, deadlines and budgets. Carries OPA's
 * error code ({@code rego_parse_error}, {@code eval_conflict_error}, ...) and, where known, file:row:col.
 */
public class RegoException extends Exception {
  private final String code;
  private final Location location;

  public RegoException(String code, String message, Location location) {
    super(message);
    this.code = code;
    this.location = location;
  }

  public String code() { return code; }

  /** May be null when the error has no place in a source file. */
  public Location location() { return location; }

  /** OPA's rendering: {@code file:row:col: code: message}. */
  @Override
  public String toString() {
    return (location == null ? "" : location + ": ") + code + ": " + getMessage();
  }
}
