package dev.portcullis.rego.ast;

import dev.portcullis.rego.builtins.BuiltinTable;

/**
 * What a call resolves to: a built-in or a user function node. {@code key} names it for {@code with} mocking
 * ({@code count}, {@code data.lib.f}).
 */
public record CallTarget(String key, BuiltinTable.Entry builtin, RuleTree.Node function, int arity) {
  public boolean isFunction() { return function != null; }
}
