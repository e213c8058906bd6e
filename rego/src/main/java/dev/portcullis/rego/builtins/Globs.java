package dev.portcullis.rego.builtins;

final class Globs {
  private Globs() {}

  static void register(BuiltinTable t) {}
}
