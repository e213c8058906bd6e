package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.Value;
import java.util.LinkedHashSet;
import java.util.Set;

final class Sets {
  private Sets() {}

  static void register(BuiltinTable t) {
    t.register("and", 2, (ctx, a) -> intersect(Args.set(a, 0), Args.set(a, 1)));
    t.register("or", 2, (ctx, a) -> union(Args.set(a, 0), Args.set(a, 1)));
    t.register("intersection", 1, (ctx, a) -> {
      SetValue sets = Args.set(a, 0);
      SetValue acc = null;
      for (Value v : sets.set()) {
        if (!(v instanceof SetValue s)) throw Args.mismatch(0, "set", v);
        acc = acc == null ? s : intersect(acc, s);
      }
      return acc == null ? SetValue.EMPTY : acc;
    });
    t.register("union", 1, (ctx, a) -> {
      SetValue sets = Args.set(a, 0);
      SetValue acc = SetValue.EMPTY;
      for (Value v : sets.set()) {
        if (!(v instanceof SetValue s)) throw Args.mismatch(0, "set", v);
        acc = union(acc, s);
      }
      return acc;
    });
  }

  static SetValue intersect(SetValue x, SetValue y) {
    if (x.size() > y.size()) return intersect(y, x);
    Set<Value> out = new LinkedHashSet<>();
    for (Value v : x.set()) if (y.contains(v)) out.add(v);
    return out.size() == x.size() ? x : SetValue.wrap(out);
  }

  static SetValue union(SetValue x, SetValue y) {
    if (y.size() == 0) return x;
    if (x.size() == 0) return y;
    Set<Value> out = new LinkedHashSet<>(x.set());
    out.addAll(y.set());
    return out.size() == x.size() ? x : SetValue.wrap(out);
  }
}
