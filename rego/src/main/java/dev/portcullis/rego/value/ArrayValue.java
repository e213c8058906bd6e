package dev.portcullis.rego.value;

import java.util.List;

/** An immutable array. A plain class rather than a record, for the same reason as {@link StringValue}. */
public final class ArrayValue implements Value {
  public static final ArrayValue EMPTY = new ArrayValue(List.of());

  private final List<Value> elements;

  public ArrayValue(List<Value> elements) {
    this.elements = List.copyOf(elements);
  }

  public static ArrayValue of(Value... elements) { return new ArrayValue(List.of(elements)); }

  public List<Value> elements() { return elements; }

  public int size() { return elements.size(); }

  public Value get(int i) { return elements.get(i); }

  @Override public int typeRank() { return 4; }
  @Override public String typeName() { return "array"; }

  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof ArrayValue a && elements.equals(a.elements);
  }

  @Override public int hashCode() { return elements.hashCode(); }

  @Override public String toString() { return Values.toJson(this); }
}
