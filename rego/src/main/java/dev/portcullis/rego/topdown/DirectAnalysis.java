package dev.portcullis.rego.topdown;

import dev.portcullis.rego.ast.CallTarget;
import dev.portcullis.rego.ast.Compiler;
import dev.portcullis.rego.ast.DirectNeeds;
import dev.portcullis.rego.ast.Term;
import java.util.BitSet;

/**
 * Decides which terms have at most one value and bind nothing when computed: constants, bound variables, references
 * without variables to enumerate, and calls, collections and comprehensions made of such terms. Whether the
 * variables are bound is left to run time, as the slots the term needs.
 */
final class DirectAnalysis {
  private final BitSet slots = new BitSet();
  private boolean possible = true;
  private boolean readsData;

  private DirectAnalysis() {}

  static DirectNeeds of(Term t) {
    DirectAnalysis a = new DirectAnalysis();
    a.visit(t);
    return a.possible ? new DirectNeeds(true, a.readsData, a.slots.stream().toArray()) : DirectNeeds.NEVER;
  }

  private void visit(Term t) {
    if (t instanceof Term.Scalar || t instanceof Term.Compr) return;
    if (t instanceof Term.Var v) {
      boundVar(v);
    } else if (t instanceof Term.Ref r) {
      ref(r);
    } else if (t instanceof Term.Call c) {
      call(c);
    } else if (t instanceof Term.ArrayLit a) {
      visitAll(a.elems, a.elems.length);
    } else if (t instanceof Term.SetLit s) {
      visitAll(s.elems, s.elems.length);
    } else if (t instanceof Term.ObjectLit o) {
      visitAll(o.keys, o.keys.length);
      visitAll(o.values, o.values.length);
    } else {
      possible = false;
    }
  }

  private void boundVar(Term.Var v) {
    if (v.slot >= 0) {
      slots.set(v.slot);
    } else if (v.slot != Compiler.INPUT_SLOT) {
      possible = false;
    }
  }

  private void ref(Term.Ref r) {
    if (!(r.head instanceof Term.Var h)) {
      possible = false;
      return;
    }
    if (h.slot == Compiler.DATA_SLOT) {
      readsData = true;
    } else {
      boundVar(h);
    }
    for (Term p : r.path) {
      if (p instanceof Term.Var v && v.slot >= 0) {
        slots.set(v.slot);
      } else if (!(p instanceof Term.Scalar)) {
        possible = false;
      }
    }
  }

  private void call(Term.Call c) {
    CallTarget target = c.target;
    if (target == null || target.builtin() == Internals.PRINT || target.builtin() == Internals.INTERNAL_PRINT
        || target.builtin() == Internals.WALK) {
      possible = false;
      return;
    }
    visitAll(c.args, Eval.inputCount(c));
  }

  private void visitAll(Term[] ts, int n) {
    for (int i = 0; i < n; i++) visit(ts[i]);
  }
}
