package dev.portcullis.rego.ast;

import dev.portcullis.rego.Location;
import dev.portcullis.rego.value.Value;

/**
 * A rule or function definition. The rule's place in the data tree is its package plus the ground prefix of its
 * head reference; what remains of the head reference ({@code suffix}) holds variable keys, as in
 * {@code p[k] := v} or {@code a.b[c].d := v}.
 */
public final class Rule {
  public enum Kind {
    /** {@code p := v}: one value. */
    COMPLETE,
    /** {@code p contains x}: a set built from every solution. */
    MULTI,
    /** {@code p[k] := v} / {@code a[b].c := v}: an object built from every solution. */
    OBJECT,
    /** {@code f(x) := v}. */
    FUNCTION
  }

  public final Location loc;
  public final String file;
  public Kind kind;
  public boolean isDefault;
  /** The full data path of the rule node (package path plus the ground head prefix), without "data". */
  public String[] path;
  /** Head reference terms after the ground prefix (keys of an object rule). */
  public Term[] suffix = new Term[0];
  public Term[] args;
  public Term value;
  public Expr[] body;
  public Rule elseRule;
  /** Number of variable slots a frame for this rule needs; set by the compiler. */
  public int slots;
  /** Annotations from a {@code # METADATA} block, or null. */
  public Value annotations;
  /** Package annotations in scope, or null. */
  public Value packageAnnotations;
  public String pkg;
  public String name;
  /**
   * Rule index: when the body requires {@code input.<guardPath> == guardValue}, the evaluator checks that first
   * and skips the rule without building a frame when it cannot hold. Null when the body has no such equality.
   */
  public Value[] guardPath;
  public Value guardValue;

  public Rule(Location loc, String file) {
    this.loc = loc;
    this.file = file;
  }
}
