package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.List;

final class Arrays {
  private Arrays() {}

  static void register(BuiltinTable t) {
    t.register("array.concat", 2, (ctx, a) -> {
      ArrayValue x = Args.array(a, 0), y = Args.array(a, 1);
      if (x.size() == 0) return y;
      if (y.size() == 0) return x;
      List<Value> out = new ArrayList<>(x.size() + y.size());
      out.addAll(x.elements());
      out.addAll(y.elements());
      return new ArrayValue(out);
    });
    t.register("array.slice", 3, (ctx, a) -> {
      ArrayValue arr = Args.array(a, 0);
      int start = Args.clampedInt(a, 1), stop = Args.clampedInt(a, 2);
      stop = Math.max(0, Math.min(stop, arr.size()));
      start = Math.max(0, Math.min(start, stop));
      return start == 0 && stop == arr.size() ? arr : new ArrayValue(arr.elements().subList(start, stop));
    });
    t.register("array.reverse", 1, (ctx, a) -> {
      List<Value> out = new ArrayList<>(Args.array(a, 0).elements());
      java.util.Collections.reverse(out);
      return new ArrayValue(out);
    });
    t.register("array.flatten", 1, (ctx, a) -> {
      ArrayValue arr = Args.array(a, 0);
      List<Value> out = new ArrayList<>(arr.size());
      for (Value v : arr.elements()) {
        if (v instanceof ArrayValue inner) out.addAll(inner.elements()); else out.add(v);
      }
      return new ArrayValue(out);
    });
  }
}
