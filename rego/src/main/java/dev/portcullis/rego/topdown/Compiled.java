package dev.portcullis.rego.topdown;

import dev.portcullis.rego.RegoException;
import dev.portcullis.rego.ast.Compiler;
import dev.portcullis.rego.ast.Module;
import dev.portcullis.rego.ast.Parser;
import dev.portcullis.rego.ast.RuleTree;
import dev.portcullis.rego.builtins.BuiltinTable;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.Value;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled set of modules over base data: what {@code Policy} wraps and the tester and conformance runner use.
 * Immutable once built, except for the cache of compiled queries, which is safe to share.
 */
public final class Compiled {
  private static final BuiltinTable STANDARD = BuiltinTable.standard();

  private final Compiler compiler;
  private final List<Module> modules;
  private final Value data;
  private final Map<String, Compiler.Query> queries = new ConcurrentHashMap<>();

  private Compiled(Compiler compiler, List<Module> modules, Value data) {
    this.compiler = compiler;
    this.modules = List.copyOf(modules);
    this.data = data;
  }

  /** Parses and compiles modules (file name to source) over base data. */
  public static Compiled compile(Map<String, String> sources, Value data, boolean testBuiltins) throws RegoException {
    try {
      List<Module> modules = new java.util.ArrayList<>();
      for (Map.Entry<String, String> e : sources.entrySet()) modules.add(Parser.parseModule(e.getKey(), e.getValue()));
      Compiler c = new Compiler(STANDARD, Internals.table(testBuiltins));
      c.compile(modules);
      return new Compiled(c, modules, data == null ? ObjectValue.EMPTY : data);
    } catch (StackOverflowError e) {
      throw new RegoException("rego_parse_error", "policy nested too deeply", null);
    } catch (RuntimeException e) {
      throw new RegoException("rego_compile_error", "internal compiler error: " + e, null);
    }
  }

  public RuleTree tree() { return compiler.tree(); }

  public List<Module> modules() { return modules; }

  public Value data() { return data; }

  /** Compiles a query body once; later calls with the same text reuse it. */
  public Compiler.Query query(String body) throws RegoException {
    Compiler.Query q = queries.get(body);
    if (q != null) return q;
    try {
      synchronized (compiler) {
        q = compiler.compileQuery(Parser.parseQuery(body));
      }
    } catch (StackOverflowError e) {
      throw new RegoException("rego_parse_error", "query nested too deeply", null);
    } catch (RuntimeException e) {
      throw new RegoException("rego_compile_error", "internal compiler error: " + e, null);
    }
    if (queries.size() < 1024) queries.put(body, q);
    return q;
  }
}
