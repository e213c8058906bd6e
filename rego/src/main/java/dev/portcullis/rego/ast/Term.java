package dev.portcullis.rego.ast;

import dev.portcullis.rego.Location;
import dev.portcullis.rego.value.Value;
import java.util.List;

/**
 * A term of the Rego AST. The parser builds terms; the compiler resolves them in place (variable slots, rule and
 * function targets), after which they are only read, so a compiled policy can be shared between threads.
 */
public abstract sealed class Term
    permits Term.Scalar, Term.Var, Term.Ref, Term.ArrayLit, Term.ObjectLit, Term.SetLit, Term.Call, Term.Compr,
    Term.Template {
  public final Location loc;
  /**
   * Set by the evaluator on first use; a benign race between threads, as every thread computes the same immutable
   * answer from the compiled term.
   */
  public DirectNeeds direct;

  Term(Location loc) { this.loc = loc; }

  /** A constant: null, boolean, number or string. Also used for composite constants the compiler folds. */
  public static final class Scalar extends Term {
    public final Value value;

    public Scalar(Location loc, Value value) {
      super(loc);
      this.value = value;
    }
  }

  /** A variable. {@code slot} is its index in the evaluation frame, set by the compiler. */
  public static final class Var extends Term {
    public final String name;
    public int slot = -1;

    public Var(Location loc, String name) {
      super(loc);
      this.name = name;
    }

    public boolean isWildcard() { return name.startsWith("$"); }
  }

  /** {@code head.path[0][path[1]]...}: the head is a variable (input, data, a local) or any other term. */
  public static final class Ref extends Term {
    public Term head;
    public final Term[] path;
    /** Set by the compiler for refs rooted at data: how they are resolved. */
    public DataRef data;

    public Ref(Location loc, Term head, Term[] path) {
      super(loc);
      this.head = head;
      this.path = path;
    }
  }

  public static final class ArrayLit extends Term {
    public final Term[] elems;

    public ArrayLit(Location loc, Term[] elems) {
      super(loc);
      this.elems = elems;
    }
  }

  public static final class SetLit extends Term {
    public final Term[] elems;

    public SetLit(Location loc, Term[] elems) {
      super(loc);
      this.elems = elems;
    }
  }

  public static final class ObjectLit extends Term {
    public final Term[] keys;
    public final Term[] values;

    public ObjectLit(Location loc, Term[] keys, Term[] values) {
      super(loc);
      this.keys = keys;
      this.values = values;
    }
  }

  /**
   * A call of a built-in or a user function. {@code name} is the operator as written ({@code count},
   * {@code data.lib.f}, {@code lib.f}); the compiler sets {@code target}.
   */
  public static final class Call extends Term {
    public final String name;
    public final Term[] args;
    public CallTarget target;

    public Call(Location loc, String name, Term[] args) {
      super(loc);
      this.name = name;
      this.args = args;
    }
  }

  /** An array, set or object comprehension. {@code key} is only set for object comprehensions. */
  public static final class Compr extends Term {
    public enum Kind { ARRAY, SET, OBJECT }

    public final Kind kind;
    public final Term key;
    public final Term value;
    public Expr[] body;
    /** Variables of enclosing bodies this comprehension reads: they must be bound before it runs. */
    public int[] freeSlots = new int[0];

    public Compr(Location loc, Kind kind, Term key, Term value, Expr[] body) {
      super(loc);
      this.kind = kind;
      this.key = key;
      this.value = value;
      this.body = body;
    }
  }

  /**
   * A template string {@code $"a {x} b"}: literal parts are Strings, expressions are Terms, or Exprs of the form
   * {@code $tN = term with ...} when the expression has {@code with} modifiers.
   */
  public static final class Template extends Term {
    public final List<Object> parts;

    public Template(Location loc, List<Object> parts) {
      super(loc);
      this.parts = parts;
    }
  }
}
