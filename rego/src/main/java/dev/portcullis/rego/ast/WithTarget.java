package dev.portcullis.rego.ast;

/**
 * The resolved target of a {@code with} modifier: a path in input, a path in data, or a function to replace
 * ({@code replacement} is set when the value names a function rather than giving a value).
 */
public record WithTarget(Kind kind, String[] path, String functionKey, CallTarget replacement) {
  public enum Kind { INPUT, DATA, FUNCTION }
}
