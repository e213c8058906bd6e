package dev.portcullis.rego.value;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An immutable set. Iteration follows the canonical order of the elements. */
public final class SetValue implements Value {
  public static final SetValue EMPTY = new SetValue(Set.of());

  private final Set<Value> set;
  private List<Value> sorted;
  private int hash;

  private SetValue(Set<Value> set) { this.set = set; }

  public static SetValue of(Collection<? extends Value> elements) {
    return elements.isEmpty() ? EMPTY : new SetValue(Collections.unmodifiableSet(new LinkedHashSet<>(elements)));
  }

  public static SetValue of(Value... elements) { return of(List.of(elements)); }

  /** Takes ownership of the set without copying: the caller must never change it again. */
  public static SetValue wrap(Set<Value> elements) {
    return elements.isEmpty() ? EMPTY : new SetValue(Collections.unmodifiableSet(elements));
  }

  public Set<Value> set() { return set; }

  public boolean contains(Value v) { return set.contains(v); }

  public int size() { return set.size(); }

  /** Elements in canonical order. */
  public List<Value> sorted() {
    List<Value> s = sorted;
    if (s == null) {
      Value[] elements = set.toArray(new Value[0]);
      Values.sortSmall(elements);
      // an unmodifiable view (final fields) is safely published even when threads race to compute it
      s = Collections.unmodifiableList(Arrays.asList(elements));
      sorted = s;
    }
    return s;
  }

  @Override public int typeRank() { return 6; }
  @Override public String typeName() { return "set"; }

  @Override public boolean equals(Object o) { return o instanceof SetValue other && set.equals(other.set); }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = set.hashCode() + 6;
      hash = h;
    }
    return h;
  }

  @Override public String toString() { return Values.toJson(this); }
}
