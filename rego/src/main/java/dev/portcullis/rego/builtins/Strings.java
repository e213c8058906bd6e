package dev.portcullis.rego.builtins;

final class Strings {
  private Strings() {}

  static void register(BuiltinTable t) {}
}
