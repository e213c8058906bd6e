package dev.portcullis.rego.value;

/**
 * A Rego value: the documents policies read and produce. Values are immutable and totally ordered in OPA's
 * canonical order (null < boolean < number < string < array < object < set); equality agrees with that order,
 * so {@code 1} equals {@code 1.0}.
 */
public sealed interface Value extends Comparable<Value>
    permits NullValue, BooleanValue, NumberValue, StringValue, ArrayValue, ObjectValue, SetValue {

  /** Position of this value's type in the canonical order. */
  int typeRank();

  /** OPA's name for this value's type, as {@code type_name} returns it. */
  String typeName();

  @Override
  default int compareTo(Value other) {
    return Values.compare(this, other);
  }
}
