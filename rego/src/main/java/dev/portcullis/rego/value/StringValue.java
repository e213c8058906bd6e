package dev.portcullis.rego.value;

public record StringValue(String value) implements Value {
  public static final StringValue EMPTY = new StringValue("");

  public StringValue {
    java.util.Objects.requireNonNull(value);
  }

  public static StringValue of(String s) { return s.isEmpty() ? EMPTY : new StringValue(s); }

  @Override public int typeRank() { return 3; }
  @Override public String typeName() { return "string"; }
  @Override public String toString() { return Values.toJson(this); }
}
