package dev.portcullis.rego.builtins;

final class Sets {
  private Sets() {}

  static void register(BuiltinTable t) {}
}
