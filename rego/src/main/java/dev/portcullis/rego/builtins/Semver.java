package dev.portcullis.rego.builtins;

final class Semver {
  private Semver() {}

  static void register(BuiltinTable t) {}
}
