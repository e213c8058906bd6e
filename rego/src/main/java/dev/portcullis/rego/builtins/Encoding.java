package dev.portcullis.rego.builtins;

final class Encoding {
  private Encoding() {}

  static void register(BuiltinTable t) {}
}
