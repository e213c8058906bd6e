package dev.portcullis.rego.builtins;

/**
 * A built-in's failure. {@link Kind#TYPE} becomes OPA's {@code eval_type_error}, {@link Kind#BUILTIN} its
 * {@code eval_builtin_error}; {@link Kind#BUDGET} ends the evaluation whatever the strict setting.
 * The message is OPA's text without the built-in's name, which the evaluator prefixes.
 */
public class BuiltinException extends Exception {
  public enum Kind { TYPE, BUILTIN, BUDGET }

  private final Kind kind;

  public BuiltinException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public static BuiltinException type(String message) { return new BuiltinException(Kind.TYPE, message); }

  public static BuiltinException error(String message) { return new BuiltinException(Kind.BUILTIN, message); }

  public Kind kind() { return kind; }
}
