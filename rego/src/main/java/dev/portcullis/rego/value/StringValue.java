package dev.portcullis.rego.value;

/**
 * A string. A plain class rather than a record: strings are the most compared and hashed values (object keys, set
 * members), and a record's generated equals and hashCode run through method handles that are slower on that path.
 */
public final class StringValue implements Value {
  public static final StringValue EMPTY = new StringValue("");

  private final String value;

  public StringValue(String value) {
    this.value = java.util.Objects.requireNonNull(value);
  }

  public static StringValue of(String s) { return s.isEmpty() ? EMPTY : new StringValue(s); }

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
