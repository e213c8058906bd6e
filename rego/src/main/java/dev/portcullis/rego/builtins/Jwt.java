package dev.portcullis.rego.builtins;

final class Jwt {
  private Jwt() {}

  static void register(BuiltinTable t) {}
}
