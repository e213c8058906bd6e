package dev.portcullis.rego.builtins;

final class Objects {
  private Objects() {}

  static void register(BuiltinTable t) {}
}
