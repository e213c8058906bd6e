package dev.portcullis.rego.builtins;

final class Comparison {
  private Comparison() {}

  static void register(BuiltinTable t) {}
}
