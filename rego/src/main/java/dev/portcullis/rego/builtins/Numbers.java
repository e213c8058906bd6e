package dev.portcullis.rego.builtins;

final class Numbers {
  private Numbers() {}

  static void register(BuiltinTable t) {}
}
