package dev.portcullis.rego.builtins;

final class Time {
  private Time() {}

  static void register(BuiltinTable t) {}
}
