package dev.portcullis.rego.builtins;

import java.util.HashMap;
import java.util.Map;

/**
 * The one table of built-in functions, by OPA name ({@code strings.replace_n}) and arity. Each category registers
 * its functions here; the evaluator registers the few that need its internals (walk, print, rego.metadata.*).
 */
public final class BuiltinTable {
  public record Entry(String name, int arity, Builtin fn) {}

  private final Map<String, Entry> entries = new HashMap<>();

  public void register(String name, int arity, Builtin fn) {
    if (entries.putIfAbsent(name, new Entry(name, arity, fn)) != null) {
      throw new IllegalStateException("built-in registered twice: " + name);
    }
  }

  public Entry lookup(String name) { return entries.get(name); }

  public Map<String, Entry> entries() { return Map.copyOf(entries); }

  /** Every built-in OPA defines that this engine implements. */
  public static BuiltinTable standard() {
    BuiltinTable t = new BuiltinTable();
    Aggregates.register(t);
    Arrays.register(t);
    Comparison.register(t);
    Encoding.register(t);
    Globs.register(t);
    Numbers.register(t);
    Objects.register(t);
    Regex.register(t);
    Sets.register(t);
    Strings.register(t);
    Types.register(t);
    Units.register(t);
    Semver.register(t);
    Uuid.register(t);
    Time.register(t);
    Jwt.register(t);
    Crypto.register(t);
    Net.register(t);
    Graphs.register(t);
    dev.portcullis.rego.graphql.GraphQlBuiltins.register(t);
    PrivateKeys.register(t);
    X509.register(t);
    HttpSend.register(t);
    JsonSchema.register(t);
    Providers.register(t);
    return t;
  }
}
