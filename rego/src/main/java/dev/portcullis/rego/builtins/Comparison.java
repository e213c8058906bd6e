package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.BooleanValue;

/**
 * Comparisons over any two values, in OPA's canonical order (so {@code 1 < "a"} is true). Equality uses
 * {@code equals}, which agrees with that order and is cheaper for large composites.
 */
public final class Comparison {
  /** {@code ==} and {@code !=}: the evaluator knows them by identity to compare in place, without a call. */
  public static final Builtin EQUAL = (ctx, a) -> BooleanValue.of(a[0].equals(a[1]));
  public static final Builtin NEQ = (ctx, a) -> BooleanValue.of(!a[0].equals(a[1]));

  private Comparison() {}

  static void register(BuiltinTable t) {
    t.register("equal", 2, EQUAL);
    t.register("neq", 2, NEQ);
    t.register("lt", 2, (ctx, a) -> BooleanValue.of(a[0].compareTo(a[1]) < 0));
    t.register("lte", 2, (ctx, a) -> BooleanValue.of(a[0].compareTo(a[1]) <= 0));
    t.register("gt", 2, (ctx, a) -> BooleanValue.of(a[0].compareTo(a[1]) > 0));
    t.register("gte", 2, (ctx, a) -> BooleanValue.of(a[0].compareTo(a[1]) >= 0));
  }
}
