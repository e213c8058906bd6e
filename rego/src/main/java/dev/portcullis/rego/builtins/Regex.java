package dev.portcullis.rego.builtins;

final class Regex {
  private Regex() {}

  static void register(BuiltinTable t) {}
}
