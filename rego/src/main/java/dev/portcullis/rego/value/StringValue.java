package dev.portcullis.rego.value;

/**
 * A string. A plain class rather than a record: strings are the most compared and hashed values (object keys, set
 * members), and a record's generated equals and hashCode run through method handles that are slower on that path.
 */
public final class StringValue implements Value {
  public static final StringValue EMPTY = new StringValue("");

  private static final int CANONICAL_LIMIT = 1 << 16;
  private static final java.util.concurrent.ConcurrentHashMap<String, StringValue> CANONICAL =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final String value;

  public StringValue(String value) {
    this.value = java.util.Objects.requireNonNull(value);
  }

  public static StringValue of(String s) { return s.isEmpty() ? EMPTY : new StringValue(s); }

  /**
   * The shared instance of a string that policies or bundle data name (references, constants, data keys), made on
   * first use. Object lookups compare keys by identity before equality, so input keys converted through
   * {@link #known} find the policy's key at once. Only an optimization: equality never depends on it. The table is
   * bounded, so that loading many different policies cannot grow it without end.
   */
  public static StringValue canonical(String s) {
    StringValue v = CANONICAL.get(s);
    if (v != null) return v;
    if (s.isEmpty() || CANONICAL.size() >= CANONICAL_LIMIT) return of(s);
    // interned, as JSON parsers intern field names: equal strings then also compare by identity
    StringValue fresh = new StringValue(s.intern());
    StringValue raced = CANONICAL.putIfAbsent(fresh.value, fresh);
    return raced != null ? raced : fresh;
  }

  /** The shared instance when policies or data named this string, else a new one; never grows the table. */
  public static StringValue known(String s) {
    StringValue v = CANONICAL.get(s);
    return v != null ? v : of(s);
  }

  public String value() { return value; }

  @Override public int typeRank() { return 3; }
  @Override public String typeName() { return "string"; }

  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof StringValue s && value.equals(s.value);
  }

  @Override public int hashCode() { return value.hashCode(); }

  @Override public String toString() { return Values.toJson(this); }
}
