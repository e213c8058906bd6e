package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code graph.reachable} and {@code graph.reachable_paths} over an adjacency object of arrays or sets. */
final class Graphs {
  private Graphs() {}

  static void register(BuiltinTable t) {
    t.register("graph.reachable", 2, (ctx, a) -> reachable(ctx, Args.object(a, 0), vertices(a, 1)));
    t.register("graph.reachable_paths", 2, (ctx, a) -> reachablePaths(ctx, Args.object(a, 0), vertices(a, 1)));
  }

  private static List<Value> vertices(Value[] a, int i) throws BuiltinException {
    if (a[i] instanceof ArrayValue arr) return arr.elements();
    if (a[i] instanceof SetValue s) return s.sorted();
    throw Args.mismatch(i, "{array, set}", a[i]);
  }

  /** Neighbours of a vertex; anything but an array or a set has none. */
  private static List<Value> edges(Value v) {
    if (v instanceof ArrayValue arr) return arr.elements();
    if (v instanceof SetValue s) return s.sorted();
    return List.of();
  }

  private static SetValue reachable(BuiltinContext ctx, ObjectValue graph, List<Value> initial)
      throws BuiltinException {
    Set<Value> reached = new LinkedHashSet<>();
    Deque<Value> queue = new ArrayDeque<>(initial);
    while (!queue.isEmpty()) {
      Value node = queue.poll();
      Value edges = graph.get(node);
      // A vertex absent from the graph is not reached, even when it is a starting point.
      if (edges == null || !reached.add(node)) continue;
      ctx.charge(1);
      for (Value n : edges(edges)) if (!reached.contains(n)) queue.add(n);
    }
    return SetValue.wrap(reached);
  }

  private static SetValue reachablePaths(BuiltinContext ctx, ObjectValue graph, List<Value> initial)
      throws BuiltinException {
    Set<Value> paths = new HashSet<>();
    for (Value root : initial) {
      Value edges = graph.get(root);
      if (edges == null) continue;
      List<Value> next = edges(edges);
      if (next.isEmpty()) {
        paths.add(ArrayValue.of(root));
        continue;
      }
      // Each first step gets its own visited set; within it, a vertex is entered once, as OPA's walk does.
      Path start = new Path(root, null);
      for (Value n : next) extend(ctx, graph, n, start, new HashSet<>(Set.of(root)), paths);
    }
    return SetValue.wrap(paths);
  }

  /** A path as a chain back to its first vertex, so that walking deeper never copies it. */
  private record Path(Value last, Path parent) {
    ArrayValue toArray(BuiltinContext ctx) throws BuiltinException {
      List<Value> out = new ArrayList<>();
      for (Path p = this; p != null; p = p.parent) out.add(p.last);
      ctx.charge(out.size());
      java.util.Collections.reverse(out);
      return new ArrayValue(out);
    }
  }

  /** A vertex being walked: the path up to and including it, its neighbours and the next one to follow. */
  private static final class Frame {
    final Path path;
    final List<Value> next;
    int i;

    Frame(Path path, List<Value> next) {
      this.path = path;
      this.next = next;
    }
  }

  /**
   * Follows every edge from {@code start} depth first, ending a path at a leaf, an unknown vertex or a vertex seen
   * before. Iterative, so a long chain cannot exhaust the thread's stack.
   */
  private static void extend(BuiltinContext ctx, ObjectValue graph, Value start, Path prefix, Set<Value> visited,
      Set<Value> paths) throws BuiltinException {
    Deque<Frame> stack = new ArrayDeque<>();
    enter(ctx, graph, start, prefix, stack, paths);
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.i == f.next.size()) {
        stack.pop();
        continue;
      }
      Value n = f.next.get(f.i++);
      if (visited.contains(n)) {
        paths.add(f.path.toArray(ctx));
      } else {
        visited.add(f.path.last());
        enter(ctx, graph, n, f.path, stack, paths);
      }
    }
  }

  /** Records the path when {@code node} ends it, otherwise pushes a frame to walk its neighbours. */
  private static void enter(BuiltinContext ctx, ObjectValue graph, Value node, Path path, Deque<Frame> stack,
      Set<Value> paths) throws BuiltinException {
    ctx.charge(1);
    Value edges = graph.get(node);
    if (edges == null) {
      paths.add(path.toArray(ctx));
      return;
    }
    Path withNode = new Path(node, path);
    List<Value> next = edges(edges);
    if (next.isEmpty()) {
      paths.add(withNode.toArray(ctx));
      return;
    }
    stack.push(new Frame(withNode, next));
  }
}
