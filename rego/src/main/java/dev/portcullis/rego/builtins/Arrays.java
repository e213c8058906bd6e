package dev.portcullis.rego.builtins;

final class Arrays {
  private Arrays() {}

  static void register(BuiltinTable t) {}
}
