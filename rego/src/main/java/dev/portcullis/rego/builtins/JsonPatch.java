package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RFC 6902 JSON Patch over values, as OPA's {@code json.patch} applies it; paths may also reach into sets. Any failing
 * operation makes the whole patch fail ({@code json.patch} is then undefined).
 */
final class JsonPatch {
  private JsonPatch() {}

  /** A patch that cannot be applied. */
  static final class Failed extends Exception {
    Failed(String message) { super(message, null, false, false); }
  }

  private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,9}");

  static Value apply(Value doc, ArrayValue operations) throws Failed {
    for (Value opValue : operations.elements()) {
      if (!(opValue instanceof ObjectValue op)) throw new Failed("operation is not an object");
      if (!(attribute(op, "op") instanceof StringValue name)) throw new Failed("attribute 'op' must be a string");
      List<Value> path;
      switch (name.value()) {
        case "add" -> {
          path = path(op, "path");
          doc = insert(doc, path, 0, attribute(op, "value"));
        }
        case "remove" -> doc = delete(doc, path(op, "path"), 0);
        case "replace" -> {
          path = path(op, "path");
          Value value = attribute(op, "value");
          doc = path.isEmpty() ? value : insert(delete(doc, path, 0), path, 0, value);
        }
        case "move" -> {
          path = path(op, "path");
          List<Value> from = path(op, "from");
          Value chunk = find(doc, from);
          doc = insert(delete(doc, from, 0), path, 0, chunk);
        }
        case "copy" -> {
          path = path(op, "path");
          List<Value> from = path(op, "from");
          doc = insert(doc, path, 0, find(doc, from));
        }
        case "test" -> {
          path = path(op, "path");
          Value value = attribute(op, "value");
          if (!find(doc, path).equals(value)) throw new Failed("test failed");
        }
        default -> throw new Failed("unrecognized op '" + name.value() + "'");
      }
    }
    return doc;
  }

  private static Value attribute(ObjectValue op, String name) throws Failed {
    Value v = op.get(name);
    if (v == null) throw new Failed("missing '" + name + "' attribute");
    return v;
  }

  private static List<Value> path(ObjectValue op, String name) throws Failed {
    List<Value> path = Objects.parsePath(attribute(op, name));
    if (path == null) throw new Failed("invalid path");
    return path;
  }

  private static Value find(Value doc, List<Value> path) throws Failed {
    Value node = doc;
    for (Value key : path) {
      node = node instanceof ArrayValue arr ? elementAt(arr, key) : Objects.child(node, key);
      if (node == null) throw new Failed("path does not exist");
    }
    return node;
  }

  private static Value elementAt(ArrayValue arr, Value key) throws Failed {
    int i = index(key, arr.size() - 1);
    return arr.get(i);
  }

  /** An array index from a path segment: a canonical decimal string or an integer number, within [0, max]. */
  private static int index(Value key, int max) throws Failed {
    long i;
    if (key instanceof StringValue s && INDEX.matcher(s.value()).matches()) i = Long.parseLong(s.value());
    else if (key instanceof NumberValue n && n.fitsLong()) i = n.longValueExact();
    else throw new Failed("invalid array index");
    if (i < 0 || i > max) throw new Failed("array index out of range");
    return (int) i;
  }

  private static Value insert(Value node, List<Value> path, int depth, Value value) throws Failed {
    if (depth == path.size()) return value;
    Value key = path.get(depth);
    boolean last = depth == path.size() - 1;
    if (node instanceof ObjectValue o) {
      Value child = o.get(key);
      if (!last && child == null) throw new Failed("path does not exist");
      Map<Value, Value> out = new LinkedHashMap<>(o.map());
      out.put(key, last ? value : insert(child, path, depth + 1, value));
      return ObjectValue.wrap(out);
    }
    if (node instanceof ArrayValue arr) {
      List<Value> out = new ArrayList<>(arr.elements());
      if (last) {
        int i = key instanceof StringValue s && s.value().equals("-") ? arr.size() : index(key, arr.size());
        out.add(i, value);
      } else {
        int i = index(key, arr.size() - 1);
        out.set(i, insert(arr.get(i), path, depth + 1, value));
      }
      return new ArrayValue(out);
    }
    if (node instanceof SetValue s) {
      Set<Value> out = new LinkedHashSet<>(s.set());
      if (last) {
        // A set member's path segment is the member itself.
        if (!key.equals(value)) throw new Failed("set key does not match the added value");
        out.add(value);
      } else {
        if (!s.contains(key)) throw new Failed("path does not exist");
        out.remove(key);
        out.add(insert(key, path, depth + 1, value));
      }
      return SetValue.wrap(out);
    }
    throw new Failed("cannot insert into a scalar");
  }

  private static Value delete(Value node, List<Value> path, int depth) throws Failed {
    if (path.isEmpty()) throw new Failed("cannot remove the whole document");
    Value key = path.get(depth);
    boolean last = depth == path.size() - 1;
    if (node instanceof ObjectValue o) {
      Value child = o.get(key);
      if (child == null) throw new Failed("path does not exist");
      Map<Value, Value> out = new LinkedHashMap<>(o.map());
      if (last) out.remove(key); else out.put(key, delete(child, path, depth + 1));
      return ObjectValue.wrap(out);
    }
    if (node instanceof ArrayValue arr) {
      int i = index(key, arr.size() - 1);
      List<Value> out = new ArrayList<>(arr.elements());
      if (last) out.remove(i); else out.set(i, delete(arr.get(i), path, depth + 1));
      return new ArrayValue(out);
    }
    if (node instanceof SetValue s) {
      if (!s.contains(key)) throw new Failed("path does not exist");
      Set<Value> out = new LinkedHashSet<>(s.set());
      out.remove(key);
      if (!last) out.add(delete(key, path, depth + 1));
      return SetValue.wrap(out);
    }
    throw new Failed("path does not exist");
  }
}
