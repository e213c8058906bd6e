package dev.portcullis.rego.topdown;

import dev.portcullis.rego.Location;
import dev.portcullis.rego.ast.CallTarget;
import dev.portcullis.rego.ast.Compiler;
import dev.portcullis.rego.ast.DataRef;
import dev.portcullis.rego.ast.DirectNeeds;
import dev.portcullis.rego.ast.Expr;
import dev.portcullis.rego.ast.Rule;
import dev.portcullis.rego.ast.RuleTree;
import dev.portcullis.rego.ast.Term;
import dev.portcullis.rego.ast.WithTarget;
import dev.portcullis.rego.builtins.Builtin;
import dev.portcullis.rego.builtins.BuiltinContext;
import dev.portcullis.rego.builtins.BuiltinException;
import dev.portcullis.rego.builtins.BuiltinTable;
import dev.portcullis.rego.builtins.Comparison;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One evaluation: top-down, in continuation-passing style. A continuation returns true to stop the search (a
 * {@code not} or {@code every} that has its answer, a complete rule with a constant value); variables live in
 * per-rule frames and are unbound when the continuation returns, which is all the backtracking needs.
 * Not thread-safe: each evaluation has its own instance; the compiled policy it reads is shared.
 */
final class Eval implements BuiltinContext {
  interface K { boolean run(); }

  interface VK { boolean accept(Value v); }

  private static final Object UNDEFINED = new Object();
  private static final K HALT = () -> true;
  /** As OPA's crypto/rand: {@code uuid.rfc4122} and {@code rand.intn} must not be predictable. Thread-safe. */
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RuleTree tree;
  private final Value baseData;
  private final long deadline;
  private final int maxDepth;
  private final long maxSize;
  private final boolean strict;
  private final Consumer<String> print;
  private final long now = System.currentTimeMillis() * 1_000_000L;

  private Value input;
  private Object[] memo;
  private List<Overlay> overlays;
  private Map<String, Object> mocks;
  private int depth;
  private long size;
  private int ticks;
  /** How many print calls ran, so that a function call that printed is not memoized. */
  private long prints;
  private Map<Object, Object> cache;
  /** Receives the place of every expression evaluated and every rule that produced a value; null when off. */
  Consumer<Location> coverage;

  private record Overlay(String[] path, Value value) {}

  Eval(RuleTree tree, Value baseData, Value input, long deadline, int maxDepth, long maxSize, boolean strict,
       Consumer<String> print) {
    this.tree = tree;
    this.baseData = baseData;
    this.input = input;
    this.deadline = deadline;
    this.maxDepth = maxDepth;
    this.maxSize = maxSize;
    this.strict = strict;
    this.print = print;
    this.memo = new Object[tree.size()];
  }

  // ---------------------------------------------------------------- BuiltinContext

  @Override public long nowNanos() { return now; }

  @Override
  public RandomGenerator random() {
    return RANDOM;
  }

  @Override
  public Map<Object, Object> cache() {
    if (cache == null) cache = new HashMap<>();
    return cache;
  }

  @Override
  public void charge(long units) throws BuiltinException {
    addSize(units);
    if (size > maxSize) throw new BuiltinException(BuiltinException.Kind.BUDGET, "size budget exceeded");
    checkDeadline();
  }

  private void chargeEval(long units, Location loc) {
    addSize(units);
    if (size > maxSize) {
      throw new EvalError("eval_budget_error", "evaluation exceeded its size budget of " + maxSize, loc);
    }
  }

  /** Saturates rather than wraps: a huge charge from a built-in must exhaust the budget, not reset it. */
  private void addSize(long units) {
    if (units > 0) size = units > Long.MAX_VALUE - size ? Long.MAX_VALUE : size + units;
  }

  private void checkDeadline() throws BuiltinException {
    if (System.nanoTime() - deadline > 0) throw new BuiltinException(BuiltinException.Kind.BUDGET, "deadline exceeded");
  }

  private void tick(Location loc) {
    if ((++ticks & 255) == 0 && System.nanoTime() - deadline > 0) {
      throw new EvalError("eval_cancel_error", "evaluation deadline exceeded", loc);
    }
  }

  // ---------------------------------------------------------------- queries

  /** Runs a compiled query; the consumer sees the frame once per solution and returns true to stop. */
  boolean query(Compiler.Query q, java.util.function.Predicate<Value[]> onSolution) {
    Value[] frame = new Value[q.slots()];
    return evalBody(q.body(), 0, frame, () -> onSolution.test(frame));
  }

  /** The value of one query expression under a solution's bindings, for {@code opa eval}-style results. */
  Value exprValue(Expr e, Value[] frame) {
    if (e.negated || e.kind != Expr.Kind.TERM) return BooleanValue.TRUE;
    if (e.term instanceof Term.Call c) {
      if (c.name.equals("eq") || c.name.equals("assign")) return BooleanValue.TRUE;
      if (c.target != null && c.target.arity() >= 0 && c.args.length == c.target.arity() + 1) return BooleanValue.TRUE;
      if (c.target != null && (c.target.builtin() == Internals.PRINT || c.target.builtin() == Internals.INTERNAL_PRINT)) {
        return BooleanValue.TRUE;
      }
    }
    Value[] out = new Value[1];
    evalTerm(e.term, frame, v -> {
      out[0] = v;
      return true;
    });
    return out[0] == null ? BooleanValue.TRUE : out[0];
  }

  // ---------------------------------------------------------------- bodies and expressions

  boolean evalBody(Expr[] body, int i, Value[] f, K k) {
    for (; i < body.length; i++) {
      Expr e = body[i];
      tick(e.loc);
      covered(e.loc);
      if (!e.withs.isEmpty()) return evalRest(e, body, i, f, k);
      if (e.kind == Expr.Kind.SOME_DECL) continue;
      if (e.kind == Expr.Kind.SOME_IN && !e.negated && isDirect(e.domain, f)) return someInRest(e, body, i, f, k);
      if (e.kind != Expr.Kind.TERM) return evalRest(e, body, i, f, k);
      Term t = e.term;
      if (t instanceof Term.Call c && c.target == null) {
        Term.Var target = e.negated ? null : unboundVar(c.args[0], f);
        Term other = c.args[1];
        if (target == null && !e.negated) {
          target = unboundVar(c.args[1], f);
          other = c.args[0];
        }
        if (target != null) {
          if (!isDirect(other, f)) return evalRest(e, body, i, f, k);
          Value v = directValue(other, f);
          if (v == null) return false;
          f[target.slot] = v;
          boolean halt = evalBody(body, i + 1, f, k);
          f[target.slot] = null;
          return halt;
        }
        if (!isDirect(c.args[0], f) || !isDirect(c.args[1], f)) return evalRest(e, body, i, f, k);
        Value a = directValue(c.args[0], f);
        boolean holds = a != null && a.equals(directValue(c.args[1], f));
        if (holds == e.negated) return false;
      } else if (isTest(t) && isDirect(t, f)) {
        if (holds(t, f) == e.negated) return false;
      } else {
        return evalRest(e, body, i, f, k);
      }
    }
    return k.run();
  }

  /**
   * {@code some k, v in coll} over a collection computed directly, with plain unbound variables: binds them to each
   * element in canonical order and runs the rest of the body, without continuations. Anything else (patterns,
   * bound variables) goes through unification.
   */
  private boolean someInRest(Expr e, Expr[] body, int i, Value[] f, K k) {
    Term.Var key = e.key == null ? null : unboundVar(e.key, f);
    Term.Var val = unboundVar(e.value, f);
    if (val == null || e.key != null && (key == null || key.slot == val.slot)) return evalRest(e, body, i, f, k);
    Value coll = directValue(e.domain, f);
    if (coll instanceof ArrayValue a) {
      for (int idx = 0; idx < a.size(); idx++) {
        if (someInStep(key, NumberValue.of(idx), val, a.get(idx), e, body, i, f, k)) return true;
      }
    } else if (coll instanceof ObjectValue o) {
      List<Value> keys = o.keys();
      for (int idx = 0; idx < keys.size(); idx++) {
        if (someInStep(key, keys.get(idx), val, o.get(keys.get(idx)), e, body, i, f, k)) return true;
      }
    } else if (coll instanceof SetValue set) {
      for (Value m : set.sorted()) {
        if (someInStep(key, m, val, m, e, body, i, f, k)) return true;
      }
    }
    return false;
  }

  private boolean someInStep(Term.Var key, Value keyValue, Term.Var val, Value value, Expr e, Expr[] body, int i,
                             Value[] f, K k) {
    tick(e.loc);
    if (key != null) f[key.slot] = keyValue;
    f[val.slot] = value;
    boolean halt = evalBody(body, i + 1, f, k);
    f[val.slot] = null;
    if (key != null) f[key.slot] = null;
    return halt;
  }

  /** Evaluates expression {@code i} in continuation-passing style, then the rest of the body. */
  private boolean evalRest(Expr e, Expr[] body, int i, Value[] f, K k) {
    if (i + 1 == body.length) return evalExpr(e, f, k);
    return evalExpr(e, f, () -> evalBody(body, i + 1, f, k));
  }

  /** True for an expression term whose value only decides whether the body goes on (no output argument). */
  private static boolean isTest(Term t) {
    return !(t instanceof Term.Call c) || c.target.arity() < 0 || c.args.length != c.target.arity() + 1;
  }

  private static Term.Var unboundVar(Term t, Value[] f) {
    return t instanceof Term.Var v && v.slot >= 0 && f[v.slot] == null ? v : null;
  }

  private boolean evalExpr(Expr e, Value[] f, K k) {
    if (!e.withs.isEmpty()) return evalWith(e, f, k);
    return evalExprNoWith(e, f, k);
  }

  private boolean evalExprNoWith(Expr e, Value[] f, K k) {
    if (e.negated) {
      if (evalPositive(e, f, HALT)) return false;
      return k.run();
    }
    return evalPositive(e, f, k);
  }

  private boolean evalPositive(Expr e, Value[] f, K k) {
    switch (e.kind) {
      case TERM:
        return evalTermExpr(e.term, f, k);
      case SOME_IN:
        if (isDirect(e.domain, f)) {
          Value coll = directValue(e.domain, f);
          return coll != null && someIn(e, coll, f, k);
        }
        return evalTerm(e.domain, f, coll -> someIn(e, coll, f, k));
      case EVERY:
        return evalTerm(e.domain, f, coll -> {
          if (!(coll instanceof ArrayValue || coll instanceof ObjectValue || coll instanceof SetValue)) return false;
          boolean all = !iterate(coll, e.loc, (key, val) -> {
            K body = () -> evalBody(e.body, 0, f, HALT);
            boolean held = e.key == null
                ? unifyValue(e.value, val, f, body)
                : unifyValue(e.key, key, f, () -> unifyValue(e.value, val, f, body));
            return !held;
          });
          return all && k.run();
        });
      default:
        return k.run();
    }
  }

  private boolean someIn(Expr e, Value coll, Value[] f, K k) {
    return iterate(coll, e.loc, (key, val) -> e.key == null
        ? unifyValue(e.value, val, f, k)
        : unifyValue(e.key, key, f, () -> unifyValue(e.value, val, f, k)));
  }

  private interface PairVisitor { boolean visit(Value key, Value value); }

  /** Visits the elements of a collection in canonical order; true when the visitor stopped the iteration. */
  private boolean iterate(Value coll, Location loc, PairVisitor v) {
    if (coll instanceof ArrayValue a) {
      for (int i = 0; i < a.size(); i++) {
        tick(loc);
        if (v.visit(NumberValue.of(i), a.get(i))) return true;
      }
    } else if (coll instanceof ObjectValue o) {
      for (Value key : o.keys()) {
        tick(loc);
        if (v.visit(key, o.get(key))) return true;
      }
    } else if (coll instanceof SetValue s) {
      for (Value e : s.sorted()) {
        tick(loc);
        if (v.visit(e, e)) return true;
      }
    }
    return false;
  }

  /**
   * Whether a test term {@link #isDirect} accepts is defined and not false. Equality, inequality and membership,
   * the commonest tests, are computed in place rather than through a built-in call and its argument array.
   */
  private boolean holds(Term t, Value[] f) {
    if (t instanceof Term.Call c && mocks == null && c.target.builtin() != null) {
      Builtin fn = c.target.builtin().fn();
      if (fn == Comparison.EQUAL || fn == Comparison.NEQ || fn == Internals.MEMBER) {
        Value a = directValue(c.args[0], f);
        Value b = a == null ? null : directValue(c.args[1], f);
        if (b == null) return false;
        if (fn == Internals.MEMBER) return Internals.member(a, b);
        return a.equals(b) == (fn == Comparison.EQUAL);
      }
    }
    Value v = directValue(t, f);
    return v != null && v != BooleanValue.FALSE;
  }

  private boolean evalTermExpr(Term t, Value[] f, K k) {
    if (isDirect(t, f)) {
      if (isTest(t)) return holds(t, f) && k.run();
      // not a test: a call with an output argument
      Term.Call c = (Term.Call) t;
      Value v = directValue(c, f);
      return v != null && unifyValue(c.args[c.args.length - 1], v, f, k);
    }
    if (t instanceof Term.Call c) {
      if (c.target == null) return unify(c.args[0], c.args[1], f, k);
      CallTarget target = c.target;
      if (target.arity() >= 0 && c.args.length == target.arity() + 1) {
        Term out = c.args[c.args.length - 1];
        return evalCall(c, f, v -> unifyValue(out, v, f, k));
      }
      return evalCall(c, f, v -> v != BooleanValue.FALSE && k.run());
    }
    return evalTerm(t, f, v -> v != BooleanValue.FALSE && k.run());
  }

  // ---------------------------------------------------------------- with

  private boolean evalWith(Expr e, Value[] f, K k) {
    return withValues(e, 0, new Object[e.withs.size()], f, k);
  }

  private boolean withValues(Expr e, int i, Object[] vals, Value[] f, K k) {
    if (i == vals.length) return applyWith(e, vals, f, k);
    Expr.With w = e.withs.get(i);
    if (w.resolved.kind() == WithTarget.Kind.FUNCTION && w.resolved.replacement() != null) {
      vals[i] = w.resolved.replacement();
      return withValues(e, i + 1, vals, f, k);
    }
    Value[] first = new Value[1];
    evalTerm(w.value, f, v -> {
      first[0] = v;
      return true;
    });
    if (first[0] == null) return false;
    vals[i] = first[0];
    return withValues(e, i + 1, vals, f, k);
  }

  private boolean applyWith(Expr e, Object[] vals, Value[] f, K k) {
    Value savedInput = input;
    Object[] savedMemo = memo;
    List<Overlay> savedOverlays = overlays;
    Map<String, Object> savedMocks = mocks;
    Value newInput = input;
    List<Overlay> newOverlays = overlays;
    Map<String, Object> newMocks = mocks;
    for (int i = 0; i < vals.length; i++) {
      WithTarget t = e.withs.get(i).resolved;
      switch (t.kind()) {
        case INPUT -> newInput = upsert(newInput, t.path(), 0, (Value) vals[i]);
        case DATA -> {
          newOverlays = newOverlays == null ? new ArrayList<>() : new ArrayList<>(newOverlays);
          newOverlays.add(new Overlay(t.path(), (Value) vals[i]));
        }
        case FUNCTION -> {
          newMocks = newMocks == null ? new HashMap<>() : new HashMap<>(newMocks);
          newMocks.put(t.functionKey(), vals[i]);
        }
      }
    }
    Value ni = newInput;
    List<Overlay> no = newOverlays;
    Map<String, Object> nm = newMocks;
    Object[] innerMemo = new Object[memo.length];
    input = ni;
    overlays = no;
    mocks = nm;
    memo = innerMemo;
    boolean r = evalExprNoWith(e, f, () -> {
      input = savedInput;
      overlays = savedOverlays;
      mocks = savedMocks;
      memo = savedMemo;
      boolean halt = k.run();
      input = ni;
      overlays = no;
      mocks = nm;
      memo = innerMemo;
      return halt;
    });
    input = savedInput;
    overlays = savedOverlays;
    mocks = savedMocks;
    memo = savedMemo;
    return r;
  }

  /** Returns {@code doc} with {@code value} placed at {@code path[from..]}, creating objects on the way. */
  private static Value upsert(Value doc, String[] path, int from, Value value) {
    if (from == path.length) return value;
    Map<Value, Value> m = new LinkedHashMap<>();
    if (doc instanceof ObjectValue o) m.putAll(o.map());
    StringValue key = StringValue.of(path[from]);
    m.put(key, upsert(m.get(key), path, from + 1, value));
    return ObjectValue.wrap(m);
  }

  // ---------------------------------------------------------------- unification

  private boolean unify(Term a, Term b, Value[] f, K k) {
    if (a instanceof Term.Var va && va.slot >= 0 && f[va.slot] == null) {
      if (!isDirect(b, f)) return evalTerm(b, f, v -> bind(va, v, f, k));
      Value v = directValue(b, f);
      return v != null && bind(va, v, f, k);
    }
    if (b instanceof Term.Var vb && vb.slot >= 0 && f[vb.slot] == null) {
      if (!isDirect(a, f)) return evalTerm(a, f, v -> bind(vb, v, f, k));
      Value v = directValue(a, f);
      return v != null && bind(vb, v, f, k);
    }
    if (a instanceof Term.ArrayLit x && b instanceof Term.ArrayLit y) {
      if (x.elems.length != y.elems.length) return false;
      return unifyPairs(x.elems, y.elems, 0, f, k);
    }
    if (a instanceof Term.ObjectLit x && b instanceof Term.ObjectLit y
        && (hasUnboundPattern(a, f) && hasUnboundPattern(b, f))) {
      if (x.keys.length != y.keys.length) return false;
      Term[] ys = new Term[x.keys.length];
      for (int i = 0; i < x.keys.length; i++) {
        for (int j = 0; j < y.keys.length; j++) {
          if (x.keys[i] instanceof Term.Scalar xs && y.keys[j] instanceof Term.Scalar yk && xs.value.equals(yk.value)) {
            ys[i] = y.values[j];
          }
        }
        if (ys[i] == null) return false;
      }
      return unifyPairs(x.values, ys, 0, f, k);
    }
    if (hasUnboundPattern(a, f)) return evalTerm(b, f, v -> unifyValue(a, v, f, k));
    if (hasUnboundPattern(b, f)) return evalTerm(a, f, v -> unifyValue(b, v, f, k));
    if (isDirect(a, f) && isDirect(b, f)) {
      Value x = directValue(a, f);
      return x != null && x.equals(directValue(b, f)) && k.run();
    }
    return evalTerm(a, f, x -> evalTerm(b, f, y -> x.equals(y) && k.run()));
  }

  private boolean unifyPairs(Term[] xs, Term[] ys, int i, Value[] f, K k) {
    if (i == xs.length) return k.run();
    return unify(xs[i], ys[i], f, () -> unifyPairs(xs, ys, i + 1, f, k));
  }

  private static boolean bind(Term.Var v, Value value, Value[] f, K k) {
    Value cur = f[v.slot];
    if (cur != null) return cur.equals(value) && k.run();
    f[v.slot] = value;
    boolean halt = k.run();
    f[v.slot] = null;
    return halt;
  }

  private static boolean hasUnboundPattern(Term t, Value[] f) {
    if (t instanceof Term.Var v) return v.slot >= 0 && f[v.slot] == null;
    if (t instanceof Term.ArrayLit a) {
      for (Term e : a.elems) if (hasUnboundPattern(e, f)) return true;
    } else if (t instanceof Term.ObjectLit o) {
      for (Term e : o.values) if (hasUnboundPattern(e, f)) return true;
    }
    return false;
  }

  /** Unifies a pattern term with a value, binding the pattern's unbound variables. */
  boolean unifyValue(Term p, Value v, Value[] f, K k) {
    if (p instanceof Term.Scalar s) return s.value.equals(v) && k.run();
    if (p instanceof Term.Var var && var.slot >= 0) return bind(var, v, f, k);
    if (p instanceof Term.ArrayLit a) {
      if (!(v instanceof ArrayValue av) || av.size() != a.elems.length) return false;
      return unifyElems(a.elems, av, 0, f, k);
    }
    if (p instanceof Term.ObjectLit o) {
      if (!(v instanceof ObjectValue ov) || ov.size() != o.keys.length) return false;
      return unifyObject(o, ov, 0, f, k);
    }
    if (isDirect(p, f)) return v.equals(directValue(p, f)) && k.run();
    return evalTerm(p, f, x -> x.equals(v) && k.run());
  }

  private boolean unifyElems(Term[] ps, ArrayValue av, int i, Value[] f, K k) {
    if (i == ps.length) return k.run();
    return unifyValue(ps[i], av.get(i), f, () -> unifyElems(ps, av, i + 1, f, k));
  }

  private boolean unifyObject(Term.ObjectLit o, ObjectValue ov, int i, Value[] f, K k) {
    if (i == o.keys.length) return k.run();
    return evalTerm(o.keys[i], f, key -> {
      Value child = ov.get(key);
      return child != null && unifyValue(o.values[i], child, f, () -> unifyObject(o, ov, i + 1, f, k));
    });
  }

  // ---------------------------------------------------------------- terms

  boolean evalTerm(Term t, Value[] f, VK k) {
    if (t instanceof Term.Scalar s) return k.accept(s.value);
    if (!(t instanceof Term.Var) && isDirect(t, f)) {
      Value v = directValue(t, f);
      return v != null && k.accept(v);
    }
    if (t instanceof Term.Var v) {
      if (v.slot == Compiler.INPUT_SLOT) return input != null && k.accept(input);
      if (v.slot == Compiler.DATA_SLOT) return evalData(new Term.Ref(v.loc, v, new Term[0]), f, k);
      Value val = f[v.slot];
      if (val == null) throw new EvalError("eval_internal_error", "var " + v.name + " is unbound", v.loc);
      return k.accept(val);
    }
    if (t instanceof Term.Ref r) return evalRef(r, f, k);
    if (t instanceof Term.Call c) {
      if (c.target == null) {
        return unify(c.args[0], c.args[1], f, () -> k.accept(BooleanValue.TRUE));
      }
      return evalCall(c, f, k);
    }
    if (t instanceof Term.ArrayLit a) {
      Value[] vals = new Value[a.elems.length];
      return evalTerms(a.elems, 0, vals, f, () -> k.accept(ArrayValue.of(vals)));
    }
    if (t instanceof Term.SetLit s) {
      Value[] vals = new Value[s.elems.length];
      return evalTerms(s.elems, 0, vals, f, () -> k.accept(SetValue.of(vals)));
    }
    if (t instanceof Term.ObjectLit o) {
      Value[] keys = new Value[o.keys.length];
      Value[] vals = new Value[o.values.length];
      return evalTerms(o.keys, 0, keys, f, () -> evalTerms(o.values, 0, vals, f, () -> {
        Map<Value, Value> m = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) m.put(keys[i], vals[i]);
        return k.accept(ObjectValue.wrap(m));
      }));
    }
    if (t instanceof Term.Compr c) return k.accept(comprehension(c, f));
    if (t instanceof Term.Template tp) return k.accept(template(tp, f));
    throw new IllegalStateException(t.getClass().getName());
  }

  // ---------------------------------------------------------------- direct evaluation

  /**
   * True when a term has at most one value and computing it binds nothing: constants, bound variables, references
   * without variables to enumerate, and calls, collections and comprehensions made of such terms. Those are computed
   * by {@link #directValue} without continuations, the common case that must not allocate one lambda per step.
   * Has no effects, so the caller may still take the general path when it is false.
   */
  private boolean isDirect(Term t, Value[] f) {
    DirectNeeds d = t.direct;
    if (d == null) t.direct = d = DirectAnalysis.of(t);
    if (!d.possible || d.readsData && overlays != null) return false;
    for (int slot : d.boundSlots) if (f[slot] == null) return false;
    return true;
  }

  /** The value of a term {@link #isDirect} accepts, or null when it is undefined. */
  private Value directValue(Term t, Value[] f) {
    if (t instanceof Term.Scalar s) return s.value;
    if (t instanceof Term.Var v) return v.slot == Compiler.INPUT_SLOT ? input : f[v.slot];
    if (t instanceof Term.Ref r) return directRef(r, f);
    if (t instanceof Term.Call c) {
      Value[] args = new Value[inputCount(c)];
      return directValues(c.args, args, f) ? invoke(c, c.target, args) : null;
    }
    if (t instanceof Term.ArrayLit a) {
      Value[] vals = new Value[a.elems.length];
      return directValues(a.elems, vals, f) ? ArrayValue.wrap(vals) : null;
    }
    if (t instanceof Term.SetLit s) {
      Value[] vals = new Value[s.elems.length];
      return directValues(s.elems, vals, f) ? SetValue.of(vals) : null;
    }
    if (t instanceof Term.ObjectLit o) {
      Value[] keys = new Value[o.keys.length];
      Value[] vals = new Value[o.values.length];
      if (!directValues(o.keys, keys, f) || !directValues(o.values, vals, f)) return null;
      return ObjectValue.wrapEntries(keys, vals);
    }
    return comprehension((Term.Compr) t, f);
  }

  /** Fills {@code out} with the values of the first {@code out.length} terms; false at the first undefined one. */
  private boolean directValues(Term[] ts, Value[] out, Value[] f) {
    for (int i = 0; i < out.length; i++) {
      out[i] = directValue(ts[i], f);
      if (out[i] == null) return false;
    }
    return true;
  }

  private Value directRef(Term.Ref r, Value[] f) {
    Term.Var head = (Term.Var) r.head;
    Value cur;
    int i = 0;
    if (head.slot == Compiler.DATA_SLOT) {
      DataRef d = r.data;
      switch (d.mode()) {
        case BASE -> cur = baseData;
        case RULE -> {
          cur = evalNode(d.node(), r.loc);
          i = d.consumed();
        }
        default -> {
          cur = docOf(d.node(), r.loc);
          i = d.consumed();
        }
      }
    } else {
      cur = directValue(head, f);
    }
    for (; cur != null && i < r.path.length; i++) {
      Term p = r.path[i];
      cur = child(cur, p instanceof Term.Scalar s ? s.value : f[((Term.Var) p).slot]);
    }
    return cur;
  }

  /** How many arguments a call passes in: all of them, less the output argument when one is given. */
  static int inputCount(Term.Call c) {
    int arity = c.target.arity();
    return arity >= 0 ? Math.min(c.args.length, arity) : c.args.length;
  }

  private boolean evalTerms(Term[] ts, int i, Value[] out, Value[] f, K k) {
    while (i < ts.length) {
      Term t = ts[i];
      if (t instanceof Term.Scalar s) {
        out[i++] = s.value;
      } else if (t instanceof Term.Var v && v.slot >= 0 && f[v.slot] != null) {
        out[i++] = f[v.slot];
      } else if (!(t instanceof Term.Var) && isDirect(t, f)) {
        Value v = directValue(t, f);
        if (v == null) return false;
        out[i++] = v;
      } else if (t instanceof Term.Var v && v.slot >= 0) {
        // bound by a later term (a variable in a reference path): evaluate the rest first
        int at = i;
        return evalTerms(ts, i + 1, out, f, () -> {
          Value late = f[v.slot];
          if (late == null) throw new EvalError("eval_internal_error", "var " + v.name + " is unbound", v.loc);
          out[at] = late;
          return k.run();
        });
      } else {
        int at = i;
        return evalTerm(t, f, v -> {
          out[at] = v;
          return evalTerms(ts, at + 1, out, f, k);
        });
      }
    }
    return k.run();
  }

  private Value comprehension(Term.Compr c, Value[] f) {
    switch (c.kind) {
      case ARRAY -> {
        List<Value> out = new ArrayList<>();
        evalBody(c.body, 0, f, () -> evalTerm(c.value, f, v -> {
          chargeEval(1, c.loc);
          out.add(v);
          return false;
        }));
        return new ArrayValue(out);
      }
      case SET -> {
        Set<Value> out = new LinkedHashSet<>();
        evalBody(c.body, 0, f, () -> evalTerm(c.value, f, v -> {
          chargeEval(1, c.loc);
          out.add(v);
          return false;
        }));
        return SetValue.wrap(out);
      }
      default -> {
        Map<Value, Value> out = new LinkedHashMap<>();
        evalBody(c.body, 0, f, () -> evalTerm(c.key, f, key -> evalTerm(c.value, f, v -> {
          chargeEval(1, c.loc);
          Value prev = out.putIfAbsent(key, v);
          if (prev != null && !prev.equals(v)) {
            throw new EvalError("eval_conflict_error", "object keys must be unique", c.loc);
          }
          return false;
        })));
        return ObjectValue.wrap(out);
      }
    }
  }

  private Value template(Term.Template tp, Value[] f) {
    StringBuilder sb = new StringBuilder();
    for (Object part : tp.parts) {
      if (part instanceof String s) {
        sb.append(s);
        continue;
      }
      Value[] first = new Value[1];
      if (part instanceof Expr pe) {
        int slot = ((Term.Var) ((Term.Call) pe.term).args[0]).slot;
        evalExpr(pe, f, () -> {
          first[0] = f[slot];
          return true;
        });
      } else {
        evalTerm((Term) part, f, v -> {
          first[0] = v;
          return true;
        });
      }
      if (first[0] == null) sb.append("<undefined>");
      else if (first[0] instanceof StringValue s) sb.append(s.value());
      else sb.append(Values.toRego(first[0]));
    }
    return StringValue.of(sb.toString());
  }

  // ---------------------------------------------------------------- references

  private boolean evalRef(Term.Ref r, Value[] f, VK k) {
    Term head = r.head;
    if (head instanceof Term.Var v) {
      if (v.slot == Compiler.INPUT_SLOT) return input != null && walk(input, r.path, 0, f, k);
      if (v.slot == Compiler.DATA_SLOT) return evalData(r, f, k);
      Value base = f[v.slot];
      if (base == null) throw new EvalError("eval_internal_error", "var " + v.name + " is unbound", v.loc);
      return walk(base, r.path, 0, f, k);
    }
    return evalTerm(head, f, hv -> walk(hv, r.path, 0, f, k));
  }

  /** Follows {@code path[i..]} from a value, enumerating where a path term is an unbound variable or pattern. */
  private boolean walk(Value cur, Term[] path, int i, Value[] f, VK k) {
    while (i < path.length) {
      Term p = path[i];
      Value key;
      if (p instanceof Term.Scalar s) {
        key = s.value;
      } else if (p instanceof Term.Var v && v.slot >= 0) {
        key = f[v.slot];
        if (key == null) return enumerate(cur, v, path, i, f, k);
      } else if (hasUnboundPattern(p, f)) {
        return enumeratePattern(cur, p, path, i, f, k);
      } else {
        Value c = cur;
        int at = i;
        return evalTerm(p, f, kv -> {
          Value child = child(c, kv);
          return child != null && walk(child, path, at + 1, f, k);
        });
      }
      cur = child(cur, key);
      if (cur == null) return false;
      i++;
    }
    return k.accept(cur);
  }

  private boolean enumerate(Value cur, Term.Var v, Term[] path, int i, Value[] f, VK k) {
    int slot = v.slot;
    if (cur instanceof ObjectValue o) {
      for (Value key : o.keys()) {
        tick(v.loc);
        f[slot] = key;
        boolean halt = walk(o.get(key), path, i + 1, f, k);
        f[slot] = null;
        if (halt) return true;
      }
    } else if (cur instanceof ArrayValue a) {
      for (int idx = 0; idx < a.size(); idx++) {
        tick(v.loc);
        f[slot] = NumberValue.of(idx);
        boolean halt = walk(a.get(idx), path, i + 1, f, k);
        f[slot] = null;
        if (halt) return true;
      }
    } else if (cur instanceof SetValue s) {
      for (Value e : s.sorted()) {
        tick(v.loc);
        f[slot] = e;
        boolean halt = walk(e, path, i + 1, f, k);
        f[slot] = null;
        if (halt) return true;
      }
    }
    return false;
  }

  private boolean enumeratePattern(Value cur, Term p, Term[] path, int i, Value[] f, VK k) {
    return iterate(cur, p.loc, (key, val) -> unifyValue(p, key, f, () -> walk(val, path, i + 1, f, k)));
  }

  /** {@code cur[key]}, or null when undefined. */
  static Value child(Value cur, Value key) {
    if (cur instanceof ObjectValue o) return o.get(key);
    if (cur instanceof ArrayValue a) {
      if (!(key instanceof NumberValue n) || !n.fitsLong()) return null;
      long idx = n.longValueExact();
      return idx >= 0 && idx < a.size() ? a.get((int) idx) : null;
    }
    if (cur instanceof SetValue s) return s.contains(key) ? key : null;
    return null;
  }

  private boolean evalData(Term.Ref r, Value[] f, VK k) {
    if (overlays != null) return evalDataWithOverlays(r, f, k);
    DataRef d = r.data;
    switch (d.mode()) {
      case BASE:
        return walk(baseData, r.path, 0, f, k);
      case RULE: {
        Value v = evalNode(d.node(), r.loc);
        return v != null && walk(v, r.path, d.consumed(), f, k);
      }
      default: {
        Value v = docOf(d.node(), r.loc);
        return v != null && walk(v, r.path, d.consumed(), f, k);
      }
    }
  }

  private boolean evalDataWithOverlays(Term.Ref r, Value[] f, VK k) {
    int constant = 0;
    while (constant < r.path.length && r.path[constant] instanceof Term.Scalar s && s.value instanceof StringValue) {
      constant++;
    }
    for (int i = overlays.size() - 1; i >= 0; i--) {
      Overlay o = overlays.get(i);
      if (o.path.length <= constant && prefixMatches(o.path, r.path)) return walk(o.value, r.path, o.path.length, f, k);
    }
    DataRef d = r.data;
    int depthAt;
    Value v;
    switch (d.mode()) {
      case BASE -> {
        depthAt = constant;
        Value b = baseData;
        for (int i = 0; i < constant && b != null; i++) b = child(b, ((Term.Scalar) r.path[i]).value);
        v = b;
      }
      case RULE -> {
        depthAt = d.consumed();
        v = evalNode(d.node(), r.loc);
      }
      default -> {
        depthAt = d.consumed();
        v = docOf(d.node(), r.loc);
      }
    }
    for (Overlay o : overlays) {
      if (o.path.length > depthAt && prefixMatches(o.path, depthAt, r.path)) {
        v = upsert(v, o.path, depthAt, o.value);
      }
    }
    return v != null && walk(v, r.path, depthAt, f, k);
  }

  private static boolean prefixMatches(String[] overlay, Term[] path) {
    return prefixMatches(overlay, overlay.length, path);
  }

  /** True when the first n elements of the overlay path equal the (constant) path terms. */
  private static boolean prefixMatches(String[] overlay, int n, Term[] path) {
    for (int i = 0; i < n; i++) {
      if (!(path[i] instanceof Term.Scalar s) || !(s.value instanceof StringValue str)
          || !str.value().equals(overlay[i])) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- rules

  /** As OPA's coverage tracer: a rule head counts when the rule produces a value, an expression when it runs. */
  private void covered(Location loc) {
    if (coverage != null) coverage.accept(loc);
  }

  private void enter(Location loc) {
    if (++depth > maxDepth) {
      throw new EvalError("eval_budget_error", "evaluation exceeded its depth budget of " + maxDepth, loc);
    }
  }

  /** The value of a rule node (memoized per evaluation), or null when undefined. */
  Value evalNode(RuleTree.Node n, Location loc) {
    Object m = memo[n.id];
    if (m != null) return m == UNDEFINED ? null : (Value) m;
    if (n.isFunction()) return null;
    enter(loc);
    Value v = switch (n.kind) {
      case COMPLETE -> evalComplete(n);
      case MULTI -> evalMulti(n);
      default -> evalObjectRules(n);
    };
    if (!n.children.isEmpty()) v = mergeChildren(n, v, loc, false);
    depth--;
    memo[n.id] = v == null ? UNDEFINED : v;
    return v;
  }

  private Value docOf(RuleTree.Node n, Location loc) {
    if (n.hasRules()) return evalNode(n, loc);
    Object m = memo[n.id];
    if (m != null) return m == UNDEFINED ? null : (Value) m;
    Value base = baseData;
    for (String p : n.path) {
      base = base == null ? null : child(base, StringValue.of(p));
    }
    Value v;
    if (n.children.isEmpty()) {
      v = base != null ? base : n.isPackage ? ObjectValue.EMPTY : null;
    } else {
      v = mergeChildren(n, base instanceof ObjectValue ? base : ObjectValue.EMPTY, loc, true);
    }
    memo[n.id] = v == null ? UNDEFINED : v;
    return v;
  }

  /** Adds the documents of child nodes; in a package document ({@code baseWins}) base data shadows rules. */
  private Value mergeChildren(RuleTree.Node n, Value v, Location loc, boolean baseWins) {
    Map<Value, Value> m = new LinkedHashMap<>();
    if (v instanceof ObjectValue o) m.putAll(o.map());
    else if (v != null) return v;
    for (RuleTree.Node c : n.children.values()) {
      if (c.isFunction()) continue;
      Value cv = docOf(c, loc);
      if (cv == null) continue;
      StringValue key = StringValue.of(c.key);
      Value prev = m.get(key);
      if (prev != null && !(prev instanceof ObjectValue && cv instanceof ObjectValue) && !prev.equals(cv)) {
        if (baseWins) continue;
        throw conflict(loc);
      }
      m.put(key, prev instanceof ObjectValue po && cv instanceof ObjectValue co ? merge(po, co) : cv);
    }
    return ObjectValue.wrap(m);
  }

  private static Value merge(ObjectValue a, ObjectValue b) {
    Map<Value, Value> m = new LinkedHashMap<>(a.map());
    for (Map.Entry<Value, Value> e : b.map().entrySet()) {
      Value prev = m.get(e.getKey());
      m.put(e.getKey(), prev instanceof ObjectValue po && e.getValue() instanceof ObjectValue co ? merge(po, co) : e.getValue());
    }
    return ObjectValue.wrap(m);
  }

  private Value evalComplete(RuleTree.Node n) {
    Definition end = new Definition(false);
    for (Rule r : n.rules) {
      evalChain(r, null, end);
      if (end.result != null && n.constantValues && n.rules.size() == 1) break;
    }
    if (end.result == null && n.defaultRule != null) return defaultValue(n.defaultRule);
    return end.result;
  }

  private Value defaultValue(Rule d) {
    Value[] out = new Value[1];
    Value[] frame = new Value[d.slots];
    evalTerm(d.value, frame, v -> {
      out[0] = v;
      covered(d.loc);
      return true;
    });
    return out[0];
  }

  /**
   * Evaluates a rule and its else chain, merging values into {@code result[0]}; a different second value is a
   * conflict. With {@code args}, the rule is a function definition and its arguments are unified first.
   */
  private void evalChain(Rule r, Value[] args, Definition end) {
    for (Rule e = r; e != null; e = e.elseRule) {
      if (guardFails(e)) continue;
      Value[] frame = new Value[e.slots];
      end.start(e, frame);
      if (args == null) {
        evalBody(e.body, 0, frame, end);
      } else if (plainParams(e.args)) {
        if (bindPlainParams(e.args, args, frame)) evalBody(e.body, 0, frame, end);
      } else {
        Rule rule = e;
        unifyArgs(e.args, args, 0, frame, () -> evalBody(rule.body, 0, frame, end));
      }
      if (end.any) return;
    }
  }

  /**
   * The end of a rule definition's body: its value goes into the result the definitions of a rule or function share.
   * One per evaluation of a node, {@link #start started} again for each definition, which runs to completion first.
   */
  private final class Definition implements K, VK {
    private final boolean function;
    private Rule rule;
    private Value[] frame;
    private boolean constant;
    boolean any;
    Value result;

    Definition(boolean function) {
      this.function = function;
    }

    void start(Rule rule, Value[] frame) {
      this.rule = rule;
      this.frame = frame;
      this.constant = rule.value instanceof Term.Scalar;
      this.any = false;
    }

    @Override
    public boolean run() {
      return evalTerm(rule.value, frame, this);
    }

    @Override
    public boolean accept(Value v) {
      any = true;
      covered(rule.loc);
      if (result == null) {
        result = v;
      } else if (!result.equals(v)) {
        throw new EvalError("eval_conflict_error", function
            ? "functions must not produce multiple outputs for same inputs"
            : "complete rules must not produce multiple outputs", rule.loc);
      }
      return constant;
    }
  }

  /** True when every parameter is a variable or a constant, so binding needs no unification. */
  private static boolean plainParams(Term[] params) {
    for (Term p : params) {
      if (!(p instanceof Term.Scalar || p instanceof Term.Var v && v.slot >= 0)) return false;
    }
    return true;
  }

  /** Binds plain parameters in a fresh frame (which is dropped after the call); false when an argument does not match. */
  private static boolean bindPlainParams(Term[] params, Value[] args, Value[] frame) {
    for (int i = 0; i < params.length; i++) {
      if (params[i] instanceof Term.Scalar s) {
        if (!s.value.equals(args[i])) return false;
        continue;
      }
      int slot = ((Term.Var) params[i]).slot;
      if (frame[slot] == null) frame[slot] = args[i];
      else if (!frame[slot].equals(args[i])) return false;
    }
    return true;
  }

  /** The rule index check: true when the rule's input equality cannot hold, so its body need not run. */
  private boolean guardFails(Rule r) {
    Value[] path = r.guardPath;
    if (path == null) return false;
    Value v = input;
    for (int i = 0; i < path.length && v != null; i++) v = child(v, path[i]);
    return v == null || !v.equals(r.guardValue);
  }

  private boolean unifyArgs(Term[] params, Value[] args, int i, Value[] frame, K k) {
    if (i == params.length) return k.run();
    return unifyValue(params[i], args[i], frame, () -> unifyArgs(params, args, i + 1, frame, k));
  }

  private Value evalMulti(RuleTree.Node n) {
    Map<Value, Object> tree = null;
    SetMember member = new SetMember();
    for (Rule r : n.rules) {
      if (r.suffix.length > 0 && tree == null) tree = new LinkedHashMap<>();
      if (guardFails(r)) continue;
      Value[] frame = new Value[r.slots];
      if (r.suffix.length == 0) {
        member.start(r, frame);
        evalBody(r.body, 0, frame, member);
        continue;
      }
      Value[] keys = new Value[r.suffix.length];
      Map<Value, Object> nested = tree;
      evalBody(r.body, 0, frame, () -> evalTerms(r.suffix, 0, keys, frame, () -> evalTerm(r.value, frame, v -> {
        chargeEval(1, r.loc);
        covered(r.loc);
        insert(nested, keys, 0, v, true, r.loc);
        return false;
      })));
    }
    if (tree == null) return member.set == null ? SetValue.EMPTY : SetValue.wrap(member.set);
    return freeze(tree);
  }

  /**
   * The end of a {@code contains} rule's body: its value joins the set, and the search goes on for more. One per
   * evaluation of a node, {@link #start started} again for each rule; the set is made at the first member, since
   * most such rules (denials, approval requests) find none.
   */
  private final class SetMember implements K, VK {
    private Set<Value> set;
    private Rule rule;
    private Value[] frame;

    void start(Rule rule, Value[] frame) {
      this.rule = rule;
      this.frame = frame;
    }

    @Override
    public boolean run() {
      return evalTerm(rule.value, frame, this);
    }

    @Override
    public boolean accept(Value v) {
      chargeEval(1, rule.loc);
      covered(rule.loc);
      if (set == null) set = new LinkedHashSet<>();
      set.add(v);
      return false;
    }
  }

  private Value evalObjectRules(RuleTree.Node n) {
    Map<Value, Object> tree = new LinkedHashMap<>();
    for (Rule r : n.rules) {
      for (Rule e = r; e != null; e = e.elseRule) {
        if (guardFails(e)) continue;
        Value[] frame = new Value[e.slots];
        Value[] keys = new Value[e.suffix.length];
        Rule rule = e;
        boolean[] any = new boolean[1];
        evalBody(e.body, 0, frame, () -> evalTerms(rule.suffix, 0, keys, frame, () -> evalTerm(rule.value, frame, v -> {
          chargeEval(1, rule.loc);
          covered(rule.loc);
          any[0] = true;
          insert(tree, keys, 0, v, false, rule.loc);
          return false;
        })));
        if (any[0]) break;
      }
    }
    return freeze(tree);
  }

  /** Places a value at a key path of a nested mutable object; leaves are values (or sets for multi-value rules). */
  @SuppressWarnings("unchecked")
  private static void insert(Map<Value, Object> m, Value[] keys, int i, Value v, boolean multi, Location loc) {
    Value key = keys[i];
    Object cur = m.get(key);
    if (i == keys.length - 1) {
      if (multi) {
        if (cur == null) {
          cur = new LinkedHashSet<Value>();
          m.put(key, cur);
        }
        if (!(cur instanceof Set)) throw conflict(loc);
        ((Set<Value>) cur).add(v);
        return;
      }
      if (cur == null) {
        m.put(key, v);
      } else if (!(cur instanceof Value cv) || !cv.equals(v)) {
        throw conflict(loc);
      }
      return;
    }
    if (cur == null) {
      cur = new LinkedHashMap<Value, Object>();
      m.put(key, cur);
    } else if (!(cur instanceof Map)) {
      throw conflict(loc);
    }
    insert((Map<Value, Object>) cur, keys, i + 1, v, multi, loc);
  }

  private static EvalError conflict(Location loc) {
    return new EvalError("eval_conflict_error", "object keys must be unique", loc);
  }

  @SuppressWarnings("unchecked")
  private static Value freeze(Map<Value, Object> m) {
    Map<Value, Value> out = new LinkedHashMap<>();
    for (Map.Entry<Value, Object> e : m.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Map) out.put(e.getKey(), freeze((Map<Value, Object>) v));
      else if (v instanceof Set) out.put(e.getKey(), SetValue.wrap((Set<Value>) v));
      else out.put(e.getKey(), (Value) v);
    }
    return ObjectValue.wrap(out);
  }

  // ---------------------------------------------------------------- calls

  private boolean evalCall(Term.Call c, Value[] f, VK k) {
    CallTarget t = c.target;
    if (t.builtin() == Internals.PRINT || t.builtin() == Internals.INTERNAL_PRINT) {
      doPrint(c, f);
      return k.accept(BooleanValue.TRUE);
    }
    if (t.builtin() == Internals.WALK && (mocks == null || !mocks.containsKey(t.key()))) {
      return evalTerm(c.args[0], f, root -> walkValue(root, new ArrayList<>(), c.loc, k));
    }
    int n = inputCount(c);
    Value[] args = new Value[n];
    Term[] inputs = n == c.args.length ? c.args : java.util.Arrays.copyOf(c.args, n);
    return evalTerms(inputs, 0, args, f, () -> {
      Value r = invoke(c, t, args);
      return r != null && k.accept(r);
    });
  }

  private Value invoke(Term.Call c, CallTarget t, Value[] args) {
    if (mocks != null) {
      Object mock = mocks.get(t.key());
      if (mock instanceof Value v) return v;
      if (mock instanceof CallTarget replacement && replacement != t) {
        // the replacement runs unmocked: a mock never calls another mock, nor itself
        Map<String, Object> saved = mocks;
        mocks = null;
        Value r = invoke(c, replacement, args);
        mocks = saved;
        return r;
      }
    }
    if (t.function() != null) return callFunction(t.function(), args, c.loc);
    try {
      return t.builtin().fn().call(this, args);
    } catch (BuiltinException e) {
      String msg = t.builtin().name() + ": " + e.getMessage();
      switch (e.kind()) {
        case BUDGET -> throw new EvalError(msg.contains("deadline") ? "eval_cancel_error" : "eval_budget_error", msg, c.loc);
        case TYPE -> {
          if (strict) throw new EvalError("eval_type_error", msg, c.loc);
          return null;
        }
        default -> {
          if (strict) throw new EvalError("eval_builtin_error", msg, c.loc);
          return null;
        }
      }
    } catch (EvalError e) {
      throw e;
    } catch (StackOverflowError e) {
      throw e;
    } catch (RuntimeException e) {
      String msg = t.builtin().name() + ": " + e;
      if (strict) throw new EvalError("eval_builtin_error", msg, c.loc);
      return null;
    }
  }

  /**
   * Calls a user function, remembering its result per argument list for the rest of the evaluation (the memo is
   * replaced under {@code with}, like rule values): policies call small helpers such as {@code flag(s, name)} on the
   * same statement from many rules. A call that printed is not remembered, so every call prints as it would.
   */
  private Value callFunction(RuleTree.Node n, Value[] args, Location loc) {
    FunctionCalls calls = memo[n.id] instanceof FunctionCalls c ? c : null;
    if (calls != null) {
      Object known = calls.find(args);
      if (known != null) return known == FunctionCalls.UNDEFINED ? null : (Value) known;
    }
    long printed = prints;
    Value result = runFunction(n, args, loc);
    if (printed == prints && coverage == null) {
      if (calls == null) memo[n.id] = calls = new FunctionCalls();
      calls.add(args, result);
    }
    return result;
  }

  private Value runFunction(RuleTree.Node n, Value[] args, Location loc) {
    enter(loc);
    Definition end = new Definition(true);
    for (Rule r : n.rules) evalChain(r, args, end);
    Value[] result = {end.result};
    if (result[0] == null && n.defaultRule != null) {
      Rule d = n.defaultRule;
      Value[] frame = new Value[d.slots];
      unifyArgs(d.args, args, 0, frame, () -> evalTerm(d.value, frame, v -> {
        result[0] = v;
        covered(d.loc);
        return true;
      }));
    }
    depth--;
    return result[0];
  }

  private void doPrint(Term.Call c, Value[] f) {
    prints++;
    List<List<Value>> parts = new ArrayList<>();
    for (Term a : c.args) {
      TreeSet<Value> vals = new TreeSet<>();
      evalTerm(a, f, v -> {
        vals.add(v);
        return false;
      });
      parts.add(new ArrayList<>(vals));
    }
    printCombos(parts, 0, new String[parts.size()]);
  }

  private void printCombos(List<List<Value>> parts, int i, String[] buf) {
    if (i == parts.size()) {
      print.accept(String.join(" ", buf));
      return;
    }
    List<Value> vals = parts.get(i);
    if (vals.isEmpty()) {
      buf[i] = "<undefined>";
      printCombos(parts, i + 1, buf);
      return;
    }
    for (Value v : vals) {
      buf[i] = v instanceof StringValue s ? s.value() : Values.toRego(v);
      printCombos(parts, i + 1, buf);
    }
  }


  private boolean walkValue(Value v, List<Value> path, Location loc, VK k) {
    tick(loc);
    if (k.accept(ArrayValue.of(new ArrayValue(path), v))) return true;
    return iterate(v, loc, (key, val) -> {
      path.add(key);
      boolean halt = walkValue(val, path, loc, k);
      path.remove(path.size() - 1);
      return halt;
    });
  }
}
