package dev.portcullis.rego.builtins;

final class Types {
  private Types() {}

  static void register(BuiltinTable t) {}
}
