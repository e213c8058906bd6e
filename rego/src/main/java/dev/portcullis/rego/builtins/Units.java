package dev.portcullis.rego.builtins;

final class Units {
  private Units() {}

  static void register(BuiltinTable t) {}
}
