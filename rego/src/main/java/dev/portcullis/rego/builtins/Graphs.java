package dev.portcullis.rego.builtins;

final class Graphs {
  private Graphs() {}

  static void register(BuiltinTable t) {}
}
