package dev.portcullis.rego.ast;

import dev.portcullis.rego.Location;
import java.util.List;

/**
 * One expression (literal) of a body: a term (usually a call such as {@code eq}, {@code assign} or a built-in),
 * a {@code some} declaration, {@code some .. in ..}, or {@code every}; possibly negated and with {@code with}
 * modifiers.
 */
public final class Expr {
  public enum Kind { TERM, SOME_DECL, SOME_IN, EVERY }

  public final Location loc;
  public final Kind kind;
  public boolean negated;
  public Term term;
  /** SOME_IN / EVERY: optional key variable, value pattern, and the collection. */
  public Term key;
  public Term value;
  public Term domain;
  /** EVERY: the body that must hold for every element. */
  public Expr[] body;
  /** SOME_DECL: the declared variables. */
  public List<Term.Var> declared;
  public List<With> withs = List.of();
  /** EVERY and negated expressions: variables of the enclosing body they read. */
  public int[] freeSlots = new int[0];
  /** Source text of the expression, for query results. */
  public String text = "";

  public Expr(Location loc, Kind kind) {
    this.loc = loc;
    this.kind = kind;
  }

  /** {@code with target as value}; the compiler resolves the target. */
  public static final class With {
    public final Location loc;
    public final Term target;
    public final Term value;
    public WithTarget resolved;

    public With(Location loc, Term target, Term value) {
      this.loc = loc;
      this.target = target;
      this.value = value;
    }
  }
}
