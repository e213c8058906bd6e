package dev.portcullis.rego.builtins;

final class Uuid {
  private Uuid() {}

  static void register(BuiltinTable t) {}
}
