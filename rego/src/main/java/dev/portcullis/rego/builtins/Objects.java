package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code object.*} and the path-based {@code json.filter}, {@code json.remove} and {@code json.patch}. */
final class Objects {
  private Objects() {}

  static void register(BuiltinTable t) {
    t.register("object.get", 3, (ctx, a) -> get(a));
    t.register("object.keys", 1, (ctx, a) -> SetValue.of(Args.object(a, 0).map().keySet()));
    t.register("object.remove", 2, (ctx, a) -> {
      ObjectValue obj = Args.object(a, 0);
      Set<Value> keys = keysOperand(a);
      Map<Value, Value> out = new LinkedHashMap<>();
      for (Map.Entry<Value, Value> e : obj.map().entrySet()) {
        if (!keys.contains(e.getKey())) out.put(e.getKey(), e.getValue());
      }
      return out.size() == obj.size() ? obj : ObjectValue.wrap(out);
    });
    t.register("object.filter", 2, (ctx, a) -> {
      ObjectValue obj = Args.object(a, 0);
      Set<Value> keys = keysOperand(a);
      Map<Value, Value> out = new LinkedHashMap<>();
      for (Value k : keys) {
        Value v = obj.get(k);
        if (v != null) out.put(k, v);
      }
      return out.size() == obj.size() ? obj : ObjectValue.wrap(out);
    });
    t.register("object.union", 2, (ctx, a) -> {
      ObjectValue x = Args.object(a, 0), y = Args.object(a, 1);
      return x.equals(y) ? x : merge(x, y);
    });
    t.register("object.union_n", 1, (ctx, a) -> {
      ArrayValue arr = Args.array(a, 0);
      ObjectValue acc = ObjectValue.EMPTY;
      for (Value v : arr.elements()) {
        if (!(v instanceof ObjectValue o)) throw Strings.elementMismatch(0, arr, v, "object");
        acc = merge(acc, o);
      }
      return acc;
    });
    t.register("object.subset", 2, (ctx, a) -> subset(a));
    t.register("json.filter", 2, (ctx, a) -> {
      ObjectValue obj = Args.object(a, 0);
      return filter(obj, pathsToTree(jsonPaths(a[1])));
    });
    t.register("json.remove", 2, (ctx, a) -> {
      Args.object(a, 0);
      return remove(a[0], pathsToTree(jsonPaths(a[1])));
    });
    t.register("json.patch", 2, (ctx, a) -> {
      ArrayValue ops = Args.array(a, 1);
      try {
        return JsonPatch.apply(a[0], ops);
      } catch (JsonPatch.Failed e) {
        return null;
      }
    });
  }

  private static Value get(Value[] a) throws BuiltinException {
    ObjectValue obj = Args.object(a, 0);
    if (!(a[1] instanceof ArrayValue path)) {
      Value v = obj.get(a[1]);
      return v != null ? v : a[2];
    }
    Value node = obj;
    for (Value key : path.elements()) {
      node = child(node, key);
      if (node == null) return a[2];
    }
    return node;
  }

  /** The value below {@code node} at {@code key}: object member, array element or set member; null if absent. */
  static Value child(Value node, Value key) {
    if (node instanceof ObjectValue o) return o.get(key);
    if (node instanceof ArrayValue arr) {
      if (!(key instanceof NumberValue n) || !n.fitsLong()) return null;
      long i = n.longValueExact();
      return i >= 0 && i < arr.size() ? arr.get((int) i) : null;
    }
    if (node instanceof SetValue s) return s.contains(key) ? key : null;
    return null;
  }

  private static Set<Value> keysOperand(Value[] a) throws BuiltinException {
    if (a[1] instanceof ArrayValue arr) return new HashSet<>(arr.elements());
    if (a[1] instanceof SetValue s) return s.set();
    if (a[1] instanceof ObjectValue o) return o.map().keySet();
    throw Args.mismatch(1, "one of {object, set, array}", a[1]);
  }

  /** {@code y} wins on conflicting keys, except where both values are objects, which merge recursively. */
  static ObjectValue merge(ObjectValue x, ObjectValue y) {
    if (x.size() == 0) return y;
    if (y.size() == 0) return x;
    // sized for both, and filled with forEach, which needs neither entry objects nor a map of a small object
    Map<Value, Value> out = new LinkedHashMap<>((int) ((x.size() + y.size()) / 0.75f) + 1);
    x.forEach(out::put);
    y.forEach((k, v) -> {
      Value old = out.get(k);
      out.put(k, old instanceof ObjectValue ox && v instanceof ObjectValue oy ? merge(ox, oy) : v);
    });
    return ObjectValue.wrap(out);
  }

  private static Value subset(Value[] a) throws BuiltinException {
    Value sup = a[0], sub = a[1];
    if (sup instanceof ObjectValue x && sub instanceof ObjectValue y) return BooleanValue.of(objectSubset(x, y));
    if (sup instanceof SetValue x && sub instanceof SetValue y) return BooleanValue.of(x.set().containsAll(y.set()));
    if (sup instanceof ArrayValue x && sub instanceof ArrayValue y) return BooleanValue.of(arraySubset(x, y));
    if (sup instanceof ArrayValue x && sub instanceof SetValue y) {
      // As OPA: true as soon as every set member was seen, so an empty set is a subset only of a non-empty array.
      int unmatched = y.size();
      for (Value v : x.elements()) {
        if (y.contains(v)) unmatched--;
        if (unmatched == 0) return BooleanValue.TRUE;
      }
      return BooleanValue.FALSE;
    }
    throw BuiltinException.type("both arguments object.subset must be of the same type or array and set");
  }

  private static boolean objectSubset(ObjectValue sup, ObjectValue sub) {
    for (Map.Entry<Value, Value> e : sub.map().entrySet()) {
      Value s = sup.get(e.getKey());
      if (s == null) return false;
      Value v = e.getValue();
      if (v.equals(s)) continue;
      if (s instanceof ObjectValue so && v instanceof ObjectValue vo) {
        if (!objectSubset(so, vo)) return false;
      } else if (s instanceof SetValue ss && v instanceof SetValue vs) {
        if (!ss.set().containsAll(vs.set())) return false;
      } else if (s instanceof ArrayValue sa && v instanceof ArrayValue va) {
        if (!arraySubset(sa, va)) return false;
      } else {
        return false;
      }
    }
    return true;
  }

  /** True when {@code sub} appears as a contiguous run inside {@code sup}. */
  private static boolean arraySubset(ArrayValue sup, ArrayValue sub) {
    List<Value> x = sup.elements(), y = sub.elements();
    if (y.size() > x.size()) return false;
    outer:
    for (int i = 0; i + y.size() <= x.size(); i++) {
      for (int j = 0; j < y.size(); j++) if (!x.get(i + j).equals(y.get(j))) continue outer;
      return true;
    }
    return false;
  }

  // ---- json.filter / json.remove ----

  private static List<List<Value>> jsonPaths(Value operand) throws BuiltinException {
    List<Value> elements;
    if (operand instanceof ArrayValue arr) elements = arr.elements();
    else if (operand instanceof SetValue s) elements = s.sorted();
    else throw Args.mismatch(1, "one of {set, array}", operand);
    List<List<Value>> out = new ArrayList<>(elements.size());
    for (Value e : elements) {
      List<Value> path = parsePath(e);
      if (path == null) {
        throw BuiltinException.type("operand 2 must be one of {set, array} containing string paths or array of path "
            + "segments but got " + e.typeName());
      }
      out.add(path);
    }
    return out;
  }

  /** A JSON pointer ("/a/b", "~1" for "/", "~0" for "~") or an array of segments; null for anything else. */
  static List<Value> parsePath(Value p) {
    if (p instanceof StringValue s) {
      if (s.value().isEmpty()) return List.of();
      String text = s.value();
      int start = 0;
      while (start < text.length() && text.charAt(start) == '/') start++;
      List<Value> out = new ArrayList<>();
      for (Value part : ((ArrayValue) Strings.split(text.substring(start), "/")).elements()) {
        String seg = ((StringValue) part).value().replace("~1", "/").replace("~0", "~");
        out.add(StringValue.of(seg));
      }
      return out;
    }
    if (p instanceof ArrayValue arr) return arr.elements();
    return null;
  }

  /** Paths as a tree of objects whose leaves are null, a leaf covering everything below it. */
  private static ObjectValue pathsToTree(List<List<Value>> paths) {
    Map<Value, Object> root = new LinkedHashMap<>();
    for (List<Value> path : paths) {
      if (path.isEmpty()) continue;
      Map<Value, Object> node = root;
      boolean done = false;
      for (int i = 0; i < path.size() - 1 && !done; i++) {
        Object child = node.get(path.get(i));
        if (child == null) {
          Map<Value, Object> m = new LinkedHashMap<>();
          node.put(path.get(i), m);
          node = m;
        } else if (child == NullValue.INSTANCE) {
          done = true;
        } else {
          @SuppressWarnings("unchecked") Map<Value, Object> m = (Map<Value, Object>) child;
          node = m;
        }
      }
      if (!done) node.put(path.get(path.size() - 1), NullValue.INSTANCE);
    }
    return (ObjectValue) freeze(root);
  }

  private static Value freeze(Object node) {
    if (node == NullValue.INSTANCE) return NullValue.INSTANCE;
    @SuppressWarnings("unchecked") Map<Value, Object> m = (Map<Value, Object>) node;
    Map<Value, Value> out = new LinkedHashMap<>();
    for (Map.Entry<Value, Object> e : m.entrySet()) out.put(e.getKey(), freeze(e.getValue()));
    return ObjectValue.wrap(out);
  }

  /** OPA's {@code Object.Filter}: keeps what the filter tree names; a null leaf keeps the whole subtree. */
  private static Value filter(Value v, Value filter) {
    if (filter instanceof NullValue) return v;
    ObjectValue f = (ObjectValue) filter;
    if (v instanceof ArrayValue arr) {
      List<Value> out = new ArrayList<>();
      for (int i = 0; i < arr.size(); i++) {
        Value sub = f.get(StringValue.of(Integer.toString(i)));
        if (sub != null) out.add(filter(arr.get(i), sub));
      }
      return new ArrayValue(out);
    }
    if (v instanceof SetValue s) {
      Set<Value> out = new LinkedHashSet<>();
      for (Value e : s.set()) {
        Value sub = f.get(e);
        if (sub != null) out.add(filter(e, sub));
      }
      return SetValue.wrap(out);
    }
    if (v instanceof ObjectValue o) {
      Map<Value, Value> out = new LinkedHashMap<>();
      ObjectValue small = o.size() < f.size() ? o : f;
      ObjectValue other = small == o ? f : o;
      for (Value k : small.map().keySet()) {
        if (other.get(k) != null) out.put(k, filter(o.get(k), f.get(k)));
      }
      return ObjectValue.wrap(out);
    }
    return v;
  }

  /** OPA's {@code jsonRemove}: drops what the tree's null leaves name; returns null when {@code v} itself goes. */
  private static Value remove(Value v, Value tree) {
    if (tree == null) return v;
    if (tree instanceof NullValue) return null;
    if (!(tree instanceof ObjectValue t)) return v;
    if (v instanceof ObjectValue o) {
      Map<Value, Value> out = new LinkedHashMap<>();
      for (Map.Entry<Value, Value> e : o.map().entrySet()) {
        Value r = remove(e.getValue(), t.get(e.getKey()));
        if (r != null) out.put(e.getKey(), r);
      }
      return ObjectValue.wrap(out);
    }
    if (v instanceof SetValue s) {
      Set<Value> out = new LinkedHashSet<>();
      for (Value e : s.set()) {
        Value r = remove(e, t.get(e));
        if (r != null) out.add(r);
      }
      return SetValue.wrap(out);
    }
    if (v instanceof ArrayValue arr) {
      List<Value> out = new ArrayList<>();
      for (int i = 0; i < arr.size(); i++) {
        Value r = remove(arr.get(i), t.get(StringValue.of(Integer.toString(i))));
        if (r != null) out.add(r);
      }
      return new ArrayValue(out);
    }
    return v;
  }
}
