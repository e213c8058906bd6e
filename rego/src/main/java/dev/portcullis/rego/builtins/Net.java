package dev.portcullis.rego.builtins;

final class Net {
  private Net() {}

  static void register(BuiltinTable t) {}
}
