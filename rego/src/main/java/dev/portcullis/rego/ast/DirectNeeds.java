package dev.portcullis.rego.ast;

/**
 * What a term needs at run time to be computed directly (one value, no bindings, no continuations), decided once
 * per term by the evaluator instead of on every visit: whether it can be at all, whether it reads {@code data}
 * (not direct under {@code with} overlays) and which frame slots must be bound.
 */
public final class DirectNeeds {
  public static final DirectNeeds NEVER = new DirectNeeds(false, false, new int[0]);

  public final boolean possible;
  public final boolean readsData;
  public final int[] boundSlots;

  public DirectNeeds(boolean possible, boolean readsData, int[] boundSlots) {
    this.possible = possible;
    this.readsData = readsData;
    this.boundSlots = boundSlots;
  }
}
