package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.Value;

/** One built-in function. Returns {@code null} when the result is undefined. */
@FunctionalInterface
public interface Builtin {
  Value call(BuiltinContext ctx, Value[] args) throws BuiltinException;
}
