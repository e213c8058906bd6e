package dev.portcullis.rego.value;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable array. A plain class rather than a record, for the same reason as {@link StringValue}; it keeps its
 * elements in a plain array, so that the evaluator's {@link #size} and {@link #get} are field reads rather than
 * interface calls on whichever list class built it.
 */
public final class ArrayValue implements Value {
  public static final ArrayValue EMPTY = new ArrayValue(new Value[0]);

  private final Value[] elements;
  private List<Value> view;

  /** Copies the list; later changes to it do not show. */
  public ArrayValue(List<Value> elements) {
    this(elements.toArray(new Value[0]));
  }

  private ArrayValue(Value[] owned) {
    for (Value v : owned) Objects.requireNonNull(v);
    this.elements = owned;
  }

  public static ArrayValue of(Value... elements) { return new ArrayValue(elements.clone()); }

  /** Takes ownership of the array without copying: the caller must never change it again. */
  public static ArrayValue wrap(Value[] elements) { return new ArrayValue(elements); }

  /** The elements as an unmodifiable list. */
  public List<Value> elements() {
    List<Value> v = view;
    // an unmodifiable view (final fields) is safely published even when threads race to make it
    if (v == null) view = v = Collections.unmodifiableList(Arrays.asList(elements));
    return v;
  }

  public int size() { return elements.length; }

  public Value get(int i) { return elements[i]; }

  @Override public int typeRank() { return 4; }
  @Override public String typeName() { return "array"; }

  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof ArrayValue a && Arrays.equals(elements, a.elements);
  }

  /** As {@link List#hashCode}. */
  @Override public int hashCode() { return Arrays.hashCode(elements); }

  @Override public String toString() { return Values.toJson(this); }
}
