package dev.portcullis.rego.ast;

import dev.portcullis.rego.Location;
import dev.portcullis.rego.RegoException;
import dev.portcullis.rego.builtins.BuiltinTable;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns parsed modules into a resolved, evaluation-ready form: names become data/input references or variable
 * slots, calls point at their built-in or function, body expressions are reordered so every variable is bound
 * before it is read (OPA's safety), and rules are placed in the {@link RuleTree}. Recursion is rejected.
 */
public final class Compiler {
  /** Variables the evaluator treats specially: the roots of input and data. */
  public static final int INPUT_SLOT = -2;
  public static final int DATA_SLOT = -3;

  /** A compiled query: its body, frame size, and the slots of the variables it reports. */
  public record Query(Expr[] body, int slots, Map<String, Integer> vars) {}

  private final RuleTree tree = new RuleTree();
  private final BuiltinTable builtins;
  private final Map<String, BuiltinTable.Entry> internal;
  private final Map<RuleTree.Node, Set<RuleTree.Node>> deps = new HashMap<>();

  // per-rule state
  private Module module;
  private RuleTree.Node current;
  private int slotCount;
  private Rule currentRule;

  public Compiler(BuiltinTable builtins, Map<String, BuiltinTable.Entry> internal) {
    this.builtins = builtins;
    this.internal = internal;
  }

  public RuleTree tree() { return tree; }

  /** Compiles all modules together. */
  public void compile(List<Module> modules) throws RegoException {
    for (Module m : modules) {
      RuleTree.Node pkgNode = tree.ensure(m.pkg.toArray(new String[0]));
      pkgNode.isPackage = true;
      for (Rule r : m.rules) place(r);
    }
    for (RuleTree.Node n : tree.nodes()) {
      if (n.hasRules() && n.kind != Rule.Kind.FUNCTION) {
        boolean constant = true;
        for (Rule r : n.rules) {
          for (Rule e = r; e != null; e = e.elseRule) {
            if (!(e.value instanceof Term.Scalar)) constant = false;
          }
        }
        n.constantValues = constant && n.kind == Rule.Kind.COMPLETE;
      }
    }
    for (Module m : modules) {
      module = m;
      for (Rule r : m.rules) {
        current = tree.find(List.of(r.path));
        for (Rule e = r; e != null; e = e.elseRule) compileRule(e);
      }
    }
    checkRecursion();
  }

  private void place(Rule r) throws RegoException {
    RuleTree.Node n = tree.ensure(r.path);
    Rule.Kind kind = r.kind;
    if (n.kind != null && n.kind != kind) {
      throw new RegoException("rego_type_error", "conflicting rules " + n.dataPath() + " found", r.loc);
    }
    if (n.kind == Rule.Kind.FUNCTION && n.rules.size() + (n.defaultRule == null ? 0 : 1) > 0) {
      Rule other = n.rules.isEmpty() ? n.defaultRule : n.rules.get(0);
      if (other.args.length != r.args.length) {
        throw new RegoException("rego_type_error", "conflicting rules " + n.dataPath() + " found", r.loc);
      }
    }
    n.kind = kind;
    if (r.isDefault) {
      if (n.defaultRule != null) {
        throw new RegoException("rego_type_error", "multiple default rules " + n.dataPath() + " found", r.loc);
      }
      n.defaultRule = r;
    } else {
      n.rules.add(r);
    }
  }

  // ---------------------------------------------------------------- scopes

  private static final class Scope {
    final Scope parent;
    final Map<String, Integer> vars = new HashMap<>();
    final Set<String> assigned = new HashSet<>();

    Scope(Scope parent) { this.parent = parent; }

    Integer lookup(String name) {
      for (Scope s = this; s != null; s = s.parent) {
        Integer slot = s.vars.get(name);
        if (slot != null) return slot;
      }
      return null;
    }
  }

  private int declare(Scope s, String name) {
    int slot = slotCount++;
    s.vars.put(name, slot);
    return slot;
  }

  private void compileRule(Rule r) throws RegoException {
    currentRule = r;
    slotCount = 0;
    Scope root = new Scope(null);
    BitSet bound = new BitSet();
    if (r.args != null) {
      List<Expr> checks = new ArrayList<>();
      for (int i = 0; i < r.args.length; i++) {
        if (!isPattern(r.args[i])) {
          Term.Var fresh = new Term.Var(r.args[i].loc, "$arg" + i);
          Expr eq = new Expr(r.args[i].loc, Expr.Kind.TERM);
          eq.term = new Term.Call(r.args[i].loc, "eq", new Term[] {fresh, r.args[i]});
          checks.add(eq);
          r.args[i] = fresh;
        }
      }
      if (!checks.isEmpty()) {
        checks.addAll(List.of(r.body));
        r.body = checks.toArray(new Expr[0]);
      }
      Term[] args = new Term[r.args.length];
      for (int i = 0; i < args.length; i++) {
        for (String v : patternNames(r.args[i])) {
          if (root.lookup(v) == null) bound.set(declare(root, v));
        }
        args[i] = resolve(r.args[i], root);
      }
      r.args = args;
    }
    r.body = body(r.body, root, bound);
    BitSet after = boundAfter(r.body, bound);
    for (int i = 0; i < r.suffix.length; i++) {
      declareImplicit(r.suffix[i], root);
      r.suffix[i] = resolve(r.suffix[i], root);
      checkSafe(r.suffix[i], after);
    }
    if (r.value != null) {
      declareImplicit(r.value, root);
      r.value = resolve(r.value, root);
      checkSafe(r.value, after);
    }
    r.slots = slotCount;
    index(r);
  }

  /** Finds the first {@code input.a.b == constant} of the body (see {@link Rule#guardPath}). */
  private static void index(Rule r) {
    for (Expr e : r.body) {
      if (e.negated || !e.withs.isEmpty() || e.kind != Expr.Kind.TERM || !(e.term instanceof Term.Call c)) continue;
      if (!(c.name.equals("eq") || c.name.equals("equal")) || c.args.length != 2) continue;
      Term a = c.args[0], b = c.args[1];
      if (b instanceof Term.Ref && a instanceof Term.Scalar) {
        Term t = a;
        a = b;
        b = t;
      }
      if (!(a instanceof Term.Ref ref && b instanceof Term.Scalar constant)) continue;
      if (!(ref.head instanceof Term.Var hv && hv.slot == INPUT_SLOT) || ref.path.length == 0) continue;
      Value[] path = new Value[ref.path.length];
      boolean ground = true;
      for (int i = 0; i < path.length; i++) {
        if (ref.path[i] instanceof Term.Scalar s) path[i] = s.value;
        else ground = false;
      }
      if (!ground) continue;
      r.guardPath = path;
      r.guardValue = constant.value;
      return;
    }
  }

  /** Compiles a query body (no package context). */
  public Query compileQuery(Expr[] body) throws RegoException {
    module = null;
    current = null;
    currentRule = null;
    slotCount = 0;
    Scope root = new Scope(null);
    Expr[] out = body(body, root, new BitSet());
    Map<String, Integer> vars = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : root.vars.entrySet()) {
      if (!e.getKey().startsWith("$")) vars.put(e.getKey(), e.getValue());
    }
    return new Query(out, slotCount, vars);
  }

  private void checkSafe(Term t, BitSet bound) throws RegoException {
    BitSet needs = new BitSet();
    evalNeeds(t, needs);
    needs.andNot(bound);
    if (!needs.isEmpty()) throw unsafe(t, needs.nextSetBit(0));
  }

  private RegoException unsafe(Term t, int slot) {
    String[] found = new String[1];
    Location[] at = new Location[] {t.loc};
    visitVars(t, v -> {
      if (v.slot == slot && found[0] == null) {
        found[0] = v.name;
        at[0] = v.loc;
      }
    });
    String name = found[0] == null ? "?" : found[0].startsWith("$") ? "_" : found[0];
    return new RegoException("rego_unsafe_var_error", "var " + name + " is unsafe", at[0]);
  }

  // ---------------------------------------------------------------- bodies

  /**
   * Resolves and orders a body. {@code bound} holds the slots bound when the body starts; the body's own
   * variables live in {@code scope}.
   */
  private Expr[] body(Expr[] exprs, Scope scope, BitSet bound) throws RegoException {
    // Pass 1: declarations and implicit variables of this body level.
    for (Expr e : exprs) {
      if (e.negated) continue;
      switch (e.kind) {
        case SOME_DECL -> {
          for (Term.Var v : e.declared) declare(scope, v.name);
        }
        case SOME_IN -> {
          if (e.domain != null) declareImplicit(e.domain, scope);
        }
        case EVERY -> declareImplicit(e.domain, scope);
        case TERM -> {
          if (e.term instanceof Term.Call c && c.name.equals("assign")) {
            for (String n : patternNames(c.args[0])) {
              if (scope.assigned.contains(n)) {
                throw new RegoException("rego_compile_error", "var " + n + " assigned above", c.args[0].loc);
              }
              scope.assigned.add(n);
              declare(scope, n);
            }
            declareImplicit(c.args[1], scope);
          } else {
            declareImplicit(e.term, scope);
          }
        }
      }
      for (Expr.With w : e.withs) {
        if (functionNamed(w.value) == null) declareImplicit(w.value, scope);
      }
    }
    // Pass 2: resolve.
    List<Expr> resolved = new ArrayList<>();
    for (Expr e : exprs) {
      if (e.kind == Expr.Kind.SOME_DECL) continue;
      resolved.add(resolveExpr(e, scope));
    }
    if (resolved.isEmpty()) {
      Expr t = new Expr(exprs[0].loc, Expr.Kind.TERM);
      t.term = new Term.Scalar(exprs[0].loc, dev.portcullis.rego.value.BooleanValue.TRUE);
      t.text = "true";
      resolved.add(t);
    }
    // Pass 3: order for safety.
    return order(resolved, bound);
  }

  private Expr resolveExpr(Expr e, Scope scope) throws RegoException {
    Expr out = new Expr(e.loc, e.kind);
    out.negated = e.negated;
    out.text = e.text;
    List<Expr.With> withs = new ArrayList<>();
    for (Expr.With w : e.withs) withs.add(resolveWith(w, scope));
    out.withs = withs.isEmpty() ? List.of() : withs;
    if (e.negated) {
      // Variables only a negated expression mentions are local to it.
      int start = slotCount;
      Scope inner = new Scope(scope);
      Expr copy = new Expr(e.loc, e.kind);
      copy.term = e.term;
      copy.key = e.key;
      copy.value = e.value;
      copy.domain = e.domain;
      copy.body = e.body;
      copy.text = e.text;
      if (e.kind == Expr.Kind.TERM) declareImplicit(e.term, inner);
      Expr r = resolveExpr(copy, inner);
      r.negated = true;
      r.withs = out.withs;
      r.freeSlots = free(r, start);
      return r;
    }
    switch (e.kind) {
      case TERM -> out.term = resolve(e.term, scope);
      case SOME_IN -> {
        out.domain = resolve(e.domain, scope);
        for (Term t : e.key == null ? List.of(e.value) : List.of(e.key, e.value)) {
          for (String n : patternNames(t)) declare(scope, n);
        }
        out.key = e.key == null ? null : resolve(e.key, scope);
        out.value = resolve(e.value, scope);
      }
      case EVERY -> {
        out.domain = resolve(e.domain, scope);
        int start = slotCount;
        Scope inner = new Scope(scope);
        if (e.key != null) {
          for (String n : patternNames(e.key)) declare(inner, n);
          out.key = resolve(e.key, inner);
        }
        for (String n : patternNames(e.value)) declare(inner, n);
        out.value = resolve(e.value, inner);
        BitSet b = new BitSet();
        b.set(0, slotCount);
        out.body = body(e.body, inner, b);
        out.freeSlots = freeOfBody(out.body, start);
      }
      default -> throw new IllegalStateException(e.kind.name());
    }
    return out;
  }

  private int[] free(Expr e, int start) {
    BitSet all = new BitSet();
    collectExprSlots(e, all);
    return all.get(0, start).stream().toArray();
  }

  private int[] freeOfBody(Expr[] body, int start) {
    BitSet all = new BitSet();
    for (Expr e : body) collectExprSlots(e, all);
    return all.get(0, start).stream().toArray();
  }

  private Expr.With resolveWith(Expr.With w, Scope scope) throws RegoException {
    CallTarget named = w.value instanceof Term.Var v && scope.lookup(v.name) != null ? null : functionNamed(w.value);
    Term value = named != null ? w.value : resolve(w.value, scope);
    Term target = w.target;
    String name = plainName(target);
    WithTarget resolved;
    Term rt = resolveGlobalName(target);
    if (rt instanceof Term.Ref ref && ref.head instanceof Term.Var hv && hv.slot == INPUT_SLOT) {
      resolved = new WithTarget(WithTarget.Kind.INPUT, constantPath(ref, w.loc), null, null);
    } else if (rt instanceof Term.Ref ref && ref.head instanceof Term.Var hv && hv.slot == DATA_SLOT) {
      String[] path = constantPath(ref, w.loc);
      RuleTree.Node n = tree.find(List.of(path));
      if (n != null && n.isFunction()) {
        resolved = new WithTarget(WithTarget.Kind.FUNCTION, path, n.dataPath(), named);
      } else {
        resolved = new WithTarget(WithTarget.Kind.DATA, path, null, null);
      }
    } else if (name != null && (builtins.lookup(name) != null || internal.containsKey(name))) {
      resolved = new WithTarget(WithTarget.Kind.FUNCTION, null, name, named);
    } else if (name != null && name.contains(".")) {
      throw new RegoException("rego_type_error", "undefined function " + name, w.loc);
    } else {
      throw new RegoException("rego_compile_error",
          "with keyword target must reference existing input, data, or a function", w.loc);
    }
    Expr.With out = new Expr.With(w.loc, target, value);
    out.resolved = resolved;
    return out;
  }

  /** When a with value names a function (built-in or user), the call target that replaces the mocked one. */
  private CallTarget functionNamed(Term value) {
    String name = plainName(value);
    if (name == null) return null;
    try {
      CallTarget t = callTarget(new Term.Call(value.loc, name, new Term[0]));
      return t;
    } catch (RegoException e) {
      return null;
    }
  }

  private String[] constantPath(Term.Ref ref, Location loc) throws RegoException {
    String[] out = new String[ref.path.length];
    for (int i = 0; i < out.length; i++) {
      if (!(ref.path[i] instanceof Term.Scalar s && s.value instanceof StringValue str)) {
        throw new RegoException("rego_compile_error", "with keyword target must be a constant reference", loc);
      }
      out[i] = str.value();
    }
    return out;
  }

  /** {@code a.b.c} when the term is a plain dotted name, else null. */
  private static String plainName(Term t) {
    if (t instanceof Term.Var v) return v.name;
    if (t instanceof Term.Ref r && r.head instanceof Term.Var v) {
      StringBuilder sb = new StringBuilder(v.name);
      for (Term p : r.path) {
        if (!(p instanceof Term.Scalar s && s.value instanceof StringValue str)) return null;
        sb.append('.').append(str.value());
      }
      return sb.toString();
    }
    return null;
  }

  // ---------------------------------------------------------------- names

  /** Declares, in this scope, every variable the term mentions that does not resolve to anything else. */
  private void declareImplicit(Term t, Scope scope) {
    visitVarsShallow(t, v -> {
      String n = v.name;
      if (scope.lookup(n) != null || isGlobal(n)) return;
      declare(scope, n);
    });
  }

  private boolean isGlobal(String name) {
    if (name.equals("input") || name.equals("data")) return true;
    if (module == null) return false;
    for (Module.Import imp : module.imports) {
      if (name.equals(importAlias(imp))) return true;
    }
    RuleTree.Node pkg = tree.find(module.pkg);
    return pkg != null && pkg.children.containsKey(name) && hasRulesBelow(pkg.children.get(name));
  }

  private static boolean hasRulesBelow(RuleTree.Node n) {
    if (n.hasRules()) return true;
    for (RuleTree.Node c : n.children.values()) if (hasRulesBelow(c)) return true;
    return false;
  }

  private static String importAlias(Module.Import imp) {
    List<String> p = imp.path();
    if (!p.get(0).equals("data") && !p.get(0).equals("input")) return null;
    return imp.alias() != null ? imp.alias() : p.get(p.size() - 1);
  }

  /** A global name as a reference (input, data, an import, a rule of the package), else the term unchanged. */
  private Term resolveGlobalName(Term t) {
    Term.Var head;
    Term[] path;
    if (t instanceof Term.Var v) {
      head = v;
      path = new Term[0];
    } else if (t instanceof Term.Ref r && r.head instanceof Term.Var v) {
      head = v;
      path = r.path;
    } else {
      return t;
    }
    Term[] prefix = globalPrefix(head);
    if (prefix == null) return t;
    Term.Var root = new Term.Var(head.loc, ((Term.Var) prefix[0]).name);
    root.slot = ((Term.Var) prefix[0]).slot;
    Term[] full = new Term[prefix.length - 1 + path.length];
    System.arraycopy(prefix, 1, full, 0, prefix.length - 1);
    System.arraycopy(path, 0, full, prefix.length - 1, path.length);
    return new Term.Ref(t.loc, root, full);
  }

  /** For a global name: the root variable followed by the constant path it stands for; null otherwise. */
  private Term[] globalPrefix(Term.Var v) {
    String name = v.name;
    if (name.equals("input") || name.equals("data")) {
      Term.Var root = new Term.Var(v.loc, name);
      root.slot = name.equals("input") ? INPUT_SLOT : DATA_SLOT;
      return new Term[] {root};
    }
    if (module == null) return null;
    for (Module.Import imp : module.imports) {
      if (name.equals(importAlias(imp))) {
        List<String> p = imp.path();
        Term[] out = new Term[p.size()];
        Term.Var root = new Term.Var(v.loc, p.get(0));
        root.slot = p.get(0).equals("input") ? INPUT_SLOT : DATA_SLOT;
        out[0] = root;
        for (int i = 1; i < p.size(); i++) out[i] = new Term.Scalar(v.loc, StringValue.of(p.get(i)));
        return out;
      }
    }
    RuleTree.Node pkg = tree.find(module.pkg);
    if (pkg != null && pkg.children.containsKey(name) && hasRulesBelow(pkg.children.get(name))) {
      Term[] out = new Term[module.pkg.size() + 2];
      Term.Var root = new Term.Var(v.loc, "data");
      root.slot = DATA_SLOT;
      out[0] = root;
      for (int i = 0; i < module.pkg.size(); i++) out[i + 1] = new Term.Scalar(v.loc, StringValue.of(module.pkg.get(i)));
      out[out.length - 1] = new Term.Scalar(v.loc, StringValue.of(name));
      return out;
    }
    return null;
  }

  /** Resolves variables, references and calls in a term (returns a new term; constants are folded). */
  private Term resolve(Term t, Scope scope) throws RegoException {
    if (t instanceof Term.Scalar) return t;
    if (t instanceof Term.Var v) {
      Integer slot = scope.lookup(v.name);
      if (slot != null) {
        Term.Var out = new Term.Var(v.loc, v.name);
        out.slot = slot;
        return out;
      }
      Term g = resolveGlobalName(v);
      if (g != v) return finishRef((Term.Ref) g, scope);
      Term.Var out = new Term.Var(v.loc, v.name);
      out.slot = declare(scope, v.name);
      return out;
    }
    if (t instanceof Term.Ref r) {
      if (r.head instanceof Term.Var hv && scope.lookup(hv.name) == null) {
        Term g = resolveGlobalName(r);
        if (g != r) return finishRef((Term.Ref) g, scope);
      }
      Term head = resolve(r.head, scope);
      Term[] path = resolveAll(r.path, scope);
      if (head instanceof Term.Ref inner) {
        Term[] joined = new Term[inner.path.length + path.length];
        System.arraycopy(inner.path, 0, joined, 0, inner.path.length);
        System.arraycopy(path, 0, joined, inner.path.length, path.length);
        Term.Ref out = new Term.Ref(r.loc, inner.head, joined);
        if (inner.data != null) return finishRef(out, null);
        return out;
      }
      return new Term.Ref(r.loc, head, path);
    }
    if (t instanceof Term.ArrayLit a) return fold(new Term.ArrayLit(a.loc, resolveAll(a.elems, scope)));
    if (t instanceof Term.SetLit s) return fold(new Term.SetLit(s.loc, resolveAll(s.elems, scope)));
    if (t instanceof Term.ObjectLit o) {
      return fold(new Term.ObjectLit(o.loc, resolveAll(o.keys, scope), resolveAll(o.values, scope)));
    }
    if (t instanceof Term.Call c) return resolveCall(c, scope);
    if (t instanceof Term.Compr c) {
      int start = slotCount;
      Scope inner = new Scope(scope);
      BitSet b = new BitSet();
      b.set(0, start);
      Expr[] body = body(c.body, inner, b);
      declareImplicit(c.value, inner);
      if (c.key != null) declareImplicit(c.key, inner);
      Term key = c.key == null ? null : resolve(c.key, inner);
      Term value = resolve(c.value, inner);
      Term.Compr out = new Term.Compr(c.loc, c.kind, key, value, body);
      BitSet all = new BitSet();
      for (Expr e : body) collectExprSlots(e, all);
      collectSlots(value, all);
      if (key != null) collectSlots(key, all);
      out.freeSlots = all.get(0, start).stream().toArray();
      BitSet after = boundAfter(body, b);
      checkSafe(value, after);
      if (key != null) checkSafe(key, after);
      return out;
    }
    if (t instanceof Term.Template tp) {
      List<Object> parts = new ArrayList<>();
      for (Object o : tp.parts) {
        if (o instanceof Term pt) parts.add(resolve(pt, scope));
        else if (o instanceof Expr pe) parts.add(resolveExpr(pe, scope));
        else parts.add(o);
      }
      return new Term.Template(tp.loc, parts);
    }
    throw new IllegalStateException(t.getClass().getName());
  }

  private Term[] resolveAll(Term[] ts, Scope scope) throws RegoException {
    Term[] out = new Term[ts.length];
    for (int i = 0; i < ts.length; i++) out[i] = resolve(ts[i], scope);
    return out;
  }

  /** Resolves the path of a data/input reference and, for data, decides how it is looked up. */
  private Term finishRef(Term.Ref r, Scope scope) throws RegoException {
    Term[] path = scope == null ? r.path : resolveAll(r.path, scope);
    Term.Ref out = new Term.Ref(r.loc, r.head, path);
    if (((Term.Var) r.head).slot == DATA_SLOT) out.data = dataRef(path);
    return out;
  }

  private DataRef dataRef(Term[] path) {
    RuleTree.Node n = tree.root;
    int i = 0;
    while (true) {
      if (n.hasRules()) {
        dependOn(n);
        return new DataRef(DataRef.Mode.RULE, n, i);
      }
      if (i == path.length || !(path[i] instanceof Term.Scalar s && s.value instanceof StringValue str)) {
        dependOnAll(n);
        return new DataRef(DataRef.Mode.PACKAGE, n, i);
      }
      RuleTree.Node child = n.children.get(str.value());
      if (child == null) return new DataRef(DataRef.Mode.BASE, null, i);
      n = child;
      i++;
    }
  }

  private void dependOn(RuleTree.Node n) {
    if (current != null) deps.computeIfAbsent(current, k -> new HashSet<>()).add(n);
  }

  private void dependOnAll(RuleTree.Node n) {
    if (n.hasRules()) dependOn(n);
    for (RuleTree.Node c : n.children.values()) dependOnAll(c);
  }

  private Term resolveCall(Term.Call c, Scope scope) throws RegoException {
    if (c.name.equals("eq") || c.name.equals("assign")) {
      return new Term.Call(c.loc, c.name, resolveAll(c.args, scope));
    }
    if (c.name.equals("rego.metadata.rule") && c.args.length == 0) return metadataRule(c.loc);
    if (c.name.equals("rego.metadata.chain") && c.args.length == 0) return metadataChain(c.loc);
    CallTarget target = callTarget(c);
    Term[] args = resolveAll(c.args, scope);
    int arity = target.arity();
    if (arity >= 0 && args.length != arity && args.length != arity + 1) {
      throw new RegoException("rego_type_error", c.name + ": arity mismatch\n\thave: " + args.length
          + " operands\n\twant: " + arity + " operands", c.loc);
    }
    Term.Call out = new Term.Call(c.loc, c.name, args);
    out.target = target;
    return out;
  }

  private CallTarget callTarget(Term.Call c) throws RegoException {
    String[] parts = c.name.split("\\.");
    List<String> path = null;
    if (parts[0].equals("data")) {
      path = List.of(parts).subList(1, parts.length);
    } else if (module != null) {
      for (Module.Import imp : module.imports) {
        if (parts[0].equals(importAlias(imp)) && imp.path().get(0).equals("data")) {
          path = new ArrayList<>(imp.path().subList(1, imp.path().size()));
          path.addAll(List.of(parts).subList(1, parts.length));
        }
      }
      if (path == null) {
        List<String> local = new ArrayList<>(module.pkg);
        local.addAll(List.of(parts));
        RuleTree.Node n = tree.find(local);
        if (n != null && n.isFunction()) path = local;
      }
    }
    if (path != null) {
      RuleTree.Node n = tree.find(path);
      if (n == null || !n.isFunction()) {
        throw new RegoException("rego_type_error", "undefined function " + c.name, c.loc);
      }
      dependOn(n);
      return new CallTarget(n.dataPath(), null, n, arityOf(n));
    }
    BuiltinTable.Entry b = internal.get(c.name);
    if (b == null) b = builtins.lookup(c.name);
    if (b == null) throw new RegoException("rego_type_error", "undefined function " + c.name, c.loc);
    return new CallTarget(c.name, b, null, b.arity());
  }

  private static int arityOf(RuleTree.Node n) {
    Rule r = n.rules.isEmpty() ? n.defaultRule : n.rules.get(0);
    return r.args.length;
  }

  private Term metadataRule(Location loc) {
    Value ann = currentRule == null ? null : currentRule.annotations;
    return new Term.Scalar(loc, withScope(ann, "rule"));
  }

  private static Value withScope(Value ann, String scope) {
    Map<Value, Value> m = new LinkedHashMap<>();
    if (ann instanceof ObjectValue o) m.putAll(o.map());
    else return ObjectValue.EMPTY;
    m.putIfAbsent(StringValue.of("scope"), StringValue.of(scope));
    return ObjectValue.wrap(m);
  }

  private Term metadataChain(Location loc) {
    List<Value> chain = new ArrayList<>();
    if (currentRule != null) {
      List<Value> rulePath = new ArrayList<>();
      rulePath.add(StringValue.of("data"));
      for (String p : currentRule.path) rulePath.add(StringValue.of(p));
      chain.add(chainEntry(rulePath, currentRule.annotations, "rule"));
      if (currentRule.packageAnnotations != null) {
        List<Value> pkgPath = new ArrayList<>();
        pkgPath.add(StringValue.of("data"));
        for (String p : currentRule.pkg.split("\\.")) pkgPath.add(StringValue.of(p));
        chain.add(chainEntry(pkgPath, currentRule.packageAnnotations, "package"));
      }
    }
    return new Term.Scalar(loc, new ArrayValue(chain));
  }

  private static Value chainEntry(List<Value> path, Value ann, String scope) {
    Map<Value, Value> m = new LinkedHashMap<>();
    if (ann != null) m.put(StringValue.of("annotations"), withScope(ann, scope));
    m.put(StringValue.of("path"), new ArrayValue(path));
    return ObjectValue.wrap(m);
  }

  /** Folds a composite literal whose elements are all constants into one constant. */
  private static Term fold(Term t) {
    if (t instanceof Term.ArrayLit a) {
      List<Value> vs = new ArrayList<>();
      for (Term e : a.elems) {
        if (!(e instanceof Term.Scalar s)) return t;
        vs.add(s.value);
      }
      return new Term.Scalar(t.loc, new ArrayValue(vs));
    }
    if (t instanceof Term.SetLit st) {
      List<Value> vs = new ArrayList<>();
      for (Term e : st.elems) {
        if (!(e instanceof Term.Scalar s)) return t;
        vs.add(s.value);
      }
      return new Term.Scalar(t.loc, SetValue.of(vs));
    }
    Term.ObjectLit o = (Term.ObjectLit) t;
    Map<Value, Value> m = new LinkedHashMap<>();
    for (int i = 0; i < o.keys.length; i++) {
      if (!(o.keys[i] instanceof Term.Scalar k) || !(o.values[i] instanceof Term.Scalar v)) return t;
      m.put(k.value, v.value);
    }
    return new Term.Scalar(t.loc, ObjectValue.wrap(m));
  }

  // ---------------------------------------------------------------- safety ordering

  private Expr[] order(List<Expr> exprs, BitSet initial) throws RegoException {
    BitSet bound = (BitSet) initial.clone();
    List<Expr> remaining = new ArrayList<>(exprs);
    List<Expr> out = new ArrayList<>();
    while (!remaining.isEmpty()) {
      Expr pick = null;
      for (Expr e : remaining) {
        if (schedulable(e, bound)) {
          pick = e;
          break;
        }
      }
      if (pick == null) {
        Expr first = remaining.get(0);
        BitSet needs = exprNeeds(first);
        needs.andNot(bound);
        int slot = needs.isEmpty() ? -1 : needs.nextSetBit(0);
        if (slot < 0) {
          // a unification neither side of which can be evaluated
          BitSet all = new BitSet();
          collectExprSlots(first, all);
          all.andNot(bound);
          slot = all.nextSetBit(0);
        }
        throw unsafeIn(first, slot);
      }
      remaining.remove(pick);
      out.add(pick);
      bound.or(exprOutputs(pick));
    }
    return out.toArray(new Expr[0]);
  }

  private RegoException unsafeIn(Expr e, int slot) {
    Term probe = e.term != null ? e.term : e.domain;
    if (probe == null) return new RegoException("rego_unsafe_var_error", "var is unsafe", e.loc);
    RegoException ex = unsafe(probe, slot);
    return ex;
  }

  private BitSet boundAfter(Expr[] body, BitSet initial) {
    BitSet b = (BitSet) initial.clone();
    for (Expr e : body) b.or(exprOutputs(e));
    return b;
  }

  private boolean schedulable(Expr e, BitSet bound) {
    BitSet needs = exprNeeds(e);
    needs.andNot(bound);
    if (!needs.isEmpty()) return false;
    if (!e.negated && e.kind == Expr.Kind.TERM && e.term instanceof Term.Call c
        && (c.name.equals("eq") || c.name.equals("assign"))) {
      return canUnify(c.args[0], c.args[1], bound);
    }
    return true;
  }

  private BitSet exprNeeds(Expr e) {
    BitSet needs = new BitSet();
    for (Expr.With w : e.withs) evalNeeds(w.value, needs);
    if (e.negated) {
      for (int s : e.freeSlots) needs.set(s);
      return needs;
    }
    switch (e.kind) {
      case TERM -> {
        if (e.term instanceof Term.Call c && (c.name.equals("eq") || c.name.equals("assign"))) {
          nonPatternNeeds(c.args[0], needs);
          nonPatternNeeds(c.args[1], needs);
        } else if (e.term instanceof Term.Call c && c.target != null && c.target.arity() >= 0
            && c.args.length == c.target.arity() + 1) {
          for (int i = 0; i < c.args.length - 1; i++) evalNeeds(c.args[i], needs);
          nonPatternNeeds(c.args[c.args.length - 1], needs);
        } else {
          evalNeeds(e.term, needs);
        }
        BitSet outs = new BitSet();
        refOutputs(e.term, outs);
        needs.andNot(outs);
      }
      case SOME_IN -> {
        evalNeeds(e.domain, needs);
        if (e.key != null) nonPatternNeeds(e.key, needs);
        nonPatternNeeds(e.value, needs);
        BitSet outs = new BitSet();
        refOutputs(e.domain, outs);
        patternVars(e.value, outs);
        if (e.key != null) patternVars(e.key, outs);
        needs.andNot(outs);
      }
      case EVERY -> {
        evalNeeds(e.domain, needs);
        for (int s : e.freeSlots) needs.set(s);
        BitSet outs = new BitSet();
        refOutputs(e.domain, outs);
        needs.andNot(outs);
      }
      default -> { }
    }
    return needs;
  }

  private BitSet exprOutputs(Expr e) {
    BitSet out = new BitSet();
    if (e.negated) return out;
    switch (e.kind) {
      case TERM -> {
        refOutputs(e.term, out);
        if (e.term instanceof Term.Call c && (c.name.equals("eq") || c.name.equals("assign"))) {
          patternVars(c.args[0], out);
          patternVars(c.args[1], out);
        } else if (e.term instanceof Term.Call c && c.target != null && c.target.arity() >= 0
            && c.args.length == c.target.arity() + 1) {
          patternVars(c.args[c.args.length - 1], out);
        }
      }
      case SOME_IN -> {
        refOutputs(e.domain, out);
        patternVars(e.value, out);
        if (e.key != null) patternVars(e.key, out);
      }
      case EVERY -> refOutputs(e.domain, out);
      default -> { }
    }
    return out;
  }

  private boolean canUnify(Term a, Term b, BitSet bound) {
    BitSet pa = new BitSet(), pb = new BitSet();
    patternVars(a, pa);
    patternVars(b, pb);
    BitSet ra = new BitSet(), rb = new BitSet();
    refOutputs(a, ra);
    refOutputs(b, rb);
    pa.andNot(bound);
    pb.andNot(bound);
    if (pa.isEmpty() || pb.isEmpty()) return true;
    if (a instanceof Term.ArrayLit x && b instanceof Term.ArrayLit y && x.elems.length == y.elems.length) {
      for (int i = 0; i < x.elems.length; i++) if (!canUnify(x.elems[i], y.elems[i], bound)) return false;
      return true;
    }
    if (a instanceof Term.ObjectLit x && b instanceof Term.ObjectLit y && x.keys.length == y.keys.length) {
      for (int i = 0; i < x.keys.length; i++) {
        int j = indexOfKey(y, x.keys[i]);
        if (j < 0 || !canUnify(x.values[i], y.values[j], bound)) return false;
      }
      return true;
    }
    if (a instanceof Term.ArrayLit && b instanceof Term.Scalar || b instanceof Term.ArrayLit && a instanceof Term.Scalar) {
      return true;
    }
    return false;
  }

  private static int indexOfKey(Term.ObjectLit o, Term key) {
    if (!(key instanceof Term.Scalar k)) return -1;
    for (int i = 0; i < o.keys.length; i++) {
      if (o.keys[i] instanceof Term.Scalar s && s.value.equals(k.value)) return i;
    }
    return -1;
  }

  /** Slots that must be bound before the term can be evaluated (variables in ref paths excepted). */
  private void evalNeeds(Term t, BitSet out) {
    if (t instanceof Term.Var v) {
      if (v.slot >= 0) out.set(v.slot);
    } else if (t instanceof Term.Ref r) {
      evalNeeds(r.head, out);
      for (Term p : r.path) {
        if (p instanceof Term.Var) continue;
        if (p instanceof Term.ArrayLit || p instanceof Term.ObjectLit) {
          nonPatternNeeds(p, out);
        } else {
          evalNeeds(p, out);
        }
      }
    } else if (t instanceof Term.ArrayLit a) {
      for (Term e : a.elems) evalNeeds(e, out);
    } else if (t instanceof Term.SetLit s) {
      for (Term e : s.elems) evalNeeds(e, out);
    } else if (t instanceof Term.ObjectLit o) {
      for (Term e : o.keys) evalNeeds(e, out);
      for (Term e : o.values) evalNeeds(e, out);
    } else if (t instanceof Term.Call c) {
      for (Term e : c.args) evalNeeds(e, out);
    } else if (t instanceof Term.Compr c) {
      for (int s : c.freeSlots) out.set(s);
    } else if (t instanceof Term.Template tp) {
      for (Object o : tp.parts) {
        if (o instanceof Term pt) evalNeeds(pt, out);
        if (o instanceof Expr pe) {
          BitSet n = exprNeeds(pe);
          n.andNot(exprOutputs(pe));
          out.or(n);
        }
      }
    }
  }

  /** Like {@link #evalNeeds} but variables in pattern positions (bare, or inside array/object literals) are free. */
  private void nonPatternNeeds(Term t, BitSet out) {
    if (t instanceof Term.Var) return;
    if (t instanceof Term.ArrayLit a) {
      for (Term e : a.elems) nonPatternNeeds(e, out);
    } else if (t instanceof Term.ObjectLit o) {
      for (Term e : o.keys) evalNeeds(e, out);
      for (Term e : o.values) nonPatternNeeds(e, out);
    } else {
      evalNeeds(t, out);
    }
  }

  private static void patternVars(Term t, BitSet out) {
    if (t instanceof Term.Var v) {
      if (v.slot >= 0) out.set(v.slot);
    } else if (t instanceof Term.ArrayLit a) {
      for (Term e : a.elems) patternVars(e, out);
    } else if (t instanceof Term.ObjectLit o) {
      for (Term e : o.values) patternVars(e, out);
    }
  }

  /** Variables a term binds by iterating: those in reference paths (outside closures). */
  private static void refOutputs(Term t, BitSet out) {
    if (t instanceof Term.Ref r) {
      refOutputs(r.head, out);
      for (Term p : r.path) {
        if (p instanceof Term.Var v && v.slot >= 0) out.set(v.slot);
        else if (p instanceof Term.ArrayLit || p instanceof Term.ObjectLit) patternVars(p, out);
        else refOutputs(p, out);
      }
    } else if (t instanceof Term.ArrayLit a) {
      for (Term e : a.elems) refOutputs(e, out);
    } else if (t instanceof Term.SetLit s) {
      for (Term e : s.elems) refOutputs(e, out);
    } else if (t instanceof Term.ObjectLit o) {
      for (Term e : o.keys) refOutputs(e, out);
      for (Term e : o.values) refOutputs(e, out);
    } else if (t instanceof Term.Call c) {
      for (Term e : c.args) refOutputs(e, out);
    }
  }

  private static void collectExprSlots(Expr e, BitSet out) {
    if (e.term != null) collectSlots(e.term, out);
    if (e.key != null) collectSlots(e.key, out);
    if (e.value != null) collectSlots(e.value, out);
    if (e.domain != null) collectSlots(e.domain, out);
    if (e.body != null) for (Expr b : e.body) collectExprSlots(b, out);
    for (Expr.With w : e.withs) collectSlots(w.value, out);
  }

  private static void collectSlots(Term t, BitSet out) {
    visitVars(t, v -> {
      if (v.slot >= 0) out.set(v.slot);
    });
  }

  // ---------------------------------------------------------------- term walking

  private interface VarVisitor { void visit(Term.Var v); }

  /** Visits every variable, including inside closures. */
  private static void visitVars(Term t, VarVisitor f) {
    visitVars(t, true, f);
  }

  /** Visits variables outside closures: the ones that belong to the body being compiled. */
  private static void visitVarsShallow(Term t, VarVisitor f) {
    visitVars(t, false, f);
  }

  /**
   * Visits the variables of a term; {@code intoClosures} also visits those of comprehensions and of the whole
   * expressions in template strings, not just their terms.
   */
  private static void visitVars(Term t, boolean intoClosures, VarVisitor f) {
    if (t instanceof Term.Var v) f.visit(v);
    else if (t instanceof Term.Ref r) {
      visitVars(r.head, intoClosures, f);
      for (Term p : r.path) visitVars(p, intoClosures, f);
    } else if (t instanceof Term.ArrayLit a) {
      for (Term e : a.elems) visitVars(e, intoClosures, f);
    } else if (t instanceof Term.SetLit s) {
      for (Term e : s.elems) visitVars(e, intoClosures, f);
    } else if (t instanceof Term.ObjectLit o) {
      for (Term e : o.keys) visitVars(e, intoClosures, f);
      for (Term e : o.values) visitVars(e, intoClosures, f);
    } else if (t instanceof Term.Call c) {
      for (Term e : c.args) visitVars(e, intoClosures, f);
    } else if (t instanceof Term.Compr c) {
      if (!intoClosures) return;
      if (c.key != null) visitVars(c.key, true, f);
      visitVars(c.value, true, f);
      for (Expr e : c.body) visitExprVars(e, f);
    } else if (t instanceof Term.Template tp) {
      for (Object o : tp.parts) {
        if (o instanceof Term pt) visitVars(pt, intoClosures, f);
        if (o instanceof Expr pe) {
          if (intoClosures) visitExprVars(pe, f);
          else if (pe.term != null) visitVars(pe.term, false, f);
        }
      }
    }
  }

  private static void visitExprVars(Expr e, VarVisitor f) {
    if (e.term != null) visitVars(e.term, f);
    if (e.key != null) visitVars(e.key, f);
    if (e.value != null) visitVars(e.value, f);
    if (e.domain != null) visitVars(e.domain, f);
    if (e.body != null) for (Expr b : e.body) visitExprVars(b, f);
    for (Expr.With w : e.withs) visitVars(w.value, f);
  }

  /** Terms a function argument may be matched against directly: variables, constants, array/object patterns. */
  private static boolean isPattern(Term t) {
    if (t instanceof Term.Var || t instanceof Term.Scalar) return true;
    if (t instanceof Term.ArrayLit a) {
      for (Term e : a.elems) if (!isPattern(e)) return false;
      return true;
    }
    if (t instanceof Term.ObjectLit o) {
      for (Term e : o.keys) if (!(e instanceof Term.Scalar)) return false;
      for (Term e : o.values) if (!isPattern(e)) return false;
      return true;
    }
    return false;
  }

  /** Names of the variables in pattern positions of a term (what {@code :=} or {@code some .. in} declares). */
  private static List<String> patternNames(Term t) {
    List<String> out = new ArrayList<>();
    patternNames(t, out);
    return out;
  }

  private static void patternNames(Term t, List<String> out) {
    if (t instanceof Term.Var v) {
      if (!v.name.equals("input") && !v.name.equals("data")) out.add(v.name);
    } else if (t instanceof Term.ArrayLit a) {
      for (Term e : a.elems) patternNames(e, out);
    } else if (t instanceof Term.ObjectLit o) {
      for (Term e : o.values) patternNames(e, out);
    }
  }

  // ---------------------------------------------------------------- recursion

  private void checkRecursion() throws RegoException {
    Map<RuleTree.Node, Integer> state = new HashMap<>();
    for (RuleTree.Node n : tree.nodes()) {
      if (n.hasRules()) visit(n, state, new ArrayList<>());
    }
  }

  private void visit(RuleTree.Node n, Map<RuleTree.Node, Integer> state, List<RuleTree.Node> stack)
      throws RegoException {
    Integer s = state.get(n);
    if (s != null && s == 2) return;
    if (s != null && s == 1) {
      int at = stack.indexOf(n);
      StringBuilder sb = new StringBuilder();
      for (int i = at; i < stack.size(); i++) sb.append(stack.get(i).dataPath()).append(" -> ");
      sb.append(n.dataPath());
      Rule r = n.rules.isEmpty() ? n.defaultRule : n.rules.get(0);
      throw new RegoException("rego_recursion_error", "rule " + n.dataPath() + " is recursive: " + sb,
          r == null ? null : r.loc);
    }
    state.put(n, 1);
    stack.add(n);
    for (RuleTree.Node d : deps.getOrDefault(n, Set.of())) visit(d, state, stack);
    stack.remove(stack.size() - 1);
    state.put(n, 2);
  }
}
