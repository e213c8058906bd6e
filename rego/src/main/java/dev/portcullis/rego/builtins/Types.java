package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;

/** The type tests return false rather than undefined for other types, as OPA's do. */
final class Types {
  private Types() {}

  static void register(BuiltinTable t) {
    t.register("is_number", 1, (ctx, a) -> BooleanValue.of(a[0] instanceof NumberValue));
    t.register("is_string", 1, (ctx, a) -> BooleanValue.of(a[0] instanceof StringValue));
    t.register("is_boolean", 1, (ctx, a) -> BooleanValue.of(a[0] instanceof BooleanValue));
    t.register("is_array", 1, (ctx, a) -> BooleanValue.of(a[0] instanceof ArrayValue));
    t.register("is_set", 1, (ctx, a) -> BooleanValue.of(a[0] instanceof SetValue));
    t.register("is_object", 1, (ctx, a) -> BooleanValue.of(a[0] instanceof ObjectValue));
    t.register("is_null", 1, (ctx, a) -> BooleanValue.of(a[0] instanceof NullValue));
    t.register("type_name", 1, (ctx, a) -> StringValue.of(a[0].typeName()));
  }
}
