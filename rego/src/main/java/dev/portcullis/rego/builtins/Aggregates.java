package dev.portcullis.rego.builtins;

final class Aggregates {
  private Aggregates() {}

  static void register(BuiltinTable t) {}
}
