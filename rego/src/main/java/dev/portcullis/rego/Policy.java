package dev.portcullis.rego;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.rego.ast.Module;
import dev.portcullis.rego.ast.Rule;
import dev.portcullis.rego.topdown.Compiled;
import dev.portcullis.rego.topdown.Evaluation;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A compiled bundle: immutable and safe to evaluate from many threads at once. Compile once, evaluate per request.
 * Every failure, including a bad input or a breached budget, is a {@link RegoException} with OPA's error code.
 */
public final class Policy {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Compiled compiled;
  private final String revision;
  /** Compiled {@code __portcullis_result__ = <ref>} queries by ref, so a decision does not rebuild the text. */
  private final java.util.concurrent.ConcurrentHashMap<String, dev.portcullis.rego.ast.Compiler.Query> refs =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Policy(Compiled compiled, String revision) {
    this.compiled = compiled;
    this.revision = revision;
  }

  /**
   * Loads an OPA bundle folder: every {@code .rego} file below it, {@code data.json}/{@code data.yaml} files merged
   * at the path of their folder, and the {@code .manifest} revision. As OPA does, a bundle whose manifest declares
   * {@code roots} is refused ({@code bundle_error}) when a package or data lies outside them.
   */
  public static Policy compileBundle(Path dir) throws RegoException {
    Map<String, String> modules = new TreeMap<>();
    Value[] data = {ObjectValue.EMPTY};
    load(dir, dir, modules, data);
    String revision = "";
    List<String> roots = null;
    Path manifest = dir.resolve(".manifest");
    if (Files.isRegularFile(manifest)) {
      JsonNode m = readJson(manifest, JSON);
      if (m.hasNonNull("revision")) revision = m.get("revision").asText();
      if (m.has("roots")) roots = BundleRoots.read(m.get("roots"));
    }
    Compiled compiled = Compiled.compile(modules, data[0], false);
    if (roots != null) BundleRoots.check(roots, compiled.modules(), data[0]);
    return new Policy(compiled, revision);
  }

  /** Compiles {@code .rego} files and folders (searched recursively, data files included), as {@code opa test a b}. */
  public static Policy compileFiles(List<Path> paths) throws RegoException {
    Map<String, String> modules = new TreeMap<>();
    Value[] data = {ObjectValue.EMPTY};
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        load(p, p, modules, data);
      } else if (Files.isRegularFile(p)) {
        loadFile(p.getParent() == null ? Path.of(".") : p.getParent(), p, modules, data, true);
      } else {
        throw new RegoException("rego_parse_error", "no such file or directory: " + p, null);
      }
    }
    return new Policy(Compiled.compile(modules, data[0], false), "");
  }

  /** Compiles modules (file name to source) over the given base data document. */
  public static Policy compile(Map<String, String> modules, JsonNode data) throws RegoException {
    Value d;
    try {
      d = data == null || data.isNull() ? ObjectValue.EMPTY : Values.fromBundleJson(data);
    } catch (StackOverflowError e) {
      throw new RegoException("rego_parse_error", "data nested too deeply", null);
    }
    return new Policy(Compiled.compile(modules, d, false), "");
  }

  private static void load(Path root, Path dir, Map<String, String> modules, Value[] data) throws RegoException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new RegoException("rego_parse_error", "cannot read " + dir + ": " + e.getMessage(), null);
    }
    for (Path f : files) loadFile(root, f, modules, data, false);
  }

  private static void loadFile(Path root, Path f, Map<String, String> modules, Value[] data, boolean explicit)
      throws RegoException {
    String name = f.getFileName().toString();
    try {
      if (name.endsWith(".rego")) {
        modules.put(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
      } else if (name.equals("data.json") || name.equals("data.yaml") || name.equals("data.yml")) {
        JsonNode node = readJson(f, name.endsWith(".json") ? JSON : YAML);
        if (!node.isObject()) throw new RegoException("rego_parse_error", f + ": data file must hold an object", null);
        Path rel = root.relativize(f.getParent() == null ? root : f.getParent());
        List<String> path = new ArrayList<>();
        for (Path part : rel) if (!part.toString().isEmpty()) path.add(part.toString());
        data[0] = mergeAt(data[0], path, 0, Values.fromBundleJson(node));
      }
    } catch (IOException e) {
      throw new RegoException("rego_parse_error", "cannot read " + f + ": " + e.getMessage(), null);
    }
  }

  private static JsonNode readJson(Path f, ObjectMapper mapper) throws RegoException {
    try {
      JsonNode n = mapper.readTree(f.toFile());
      return n == null ? JSON.nullNode() : n;
    } catch (IOException e) {
      throw new RegoException("rego_parse_error", "cannot parse " + f + ": " + e.getMessage(), null);
    }
  }

  private static Value mergeAt(Value doc, List<String> path, int i, Value v) throws RegoException {
    Map<Value, Value> m = new LinkedHashMap<>();
    if (doc instanceof ObjectValue o) m.putAll(o.map());
    if (i == path.size()) {
      if (!(v instanceof ObjectValue add)) throw new RegoException("rego_parse_error", "data file must hold an object", null);
      for (Map.Entry<Value, Value> e : add.map().entrySet()) {
        Value prev = m.get(e.getKey());
        m.put(e.getKey(), prev instanceof ObjectValue && e.getValue() instanceof ObjectValue
            ? mergeAt(prev, List.of(), 0, e.getValue()) : e.getValue());
      }
      return ObjectValue.wrap(m);
    }
    StringValue key = StringValue.of(path.get(i));
    m.put(key, mergeAt(m.get(key), path, i + 1, v));
    return ObjectValue.wrap(m);
  }

  /** The bundle's {@code .manifest} revision, or empty. */
  public String revision() { return revision; }

  /** Every package of the policy as a data reference, e.g. {@code data.portcullis}, sorted. */
  public List<String> packages() {
    TreeSet<String> out = new TreeSet<>();
    for (Module m : compiled.modules()) out.add("data." + String.join(".", m.pkg));
    return List.copyOf(out);
  }

  /** Every rule and function by full name ({@code data.pkg.name}) with the place of its first definition. */
  public Map<String, Location> rules() {
    Map<String, Location> out = new TreeMap<>();
    for (Module m : compiled.modules()) {
      for (Rule r : m.rules) out.putIfAbsent("data." + String.join(".", r.path), r.loc);
    }
    return out;
  }

  /** The compiled form, for the tester and the conformance runner of this module. */
  public Compiled compiled() { return compiled; }

  /**
   * Evaluates a reference such as {@code data.portcullis.decision} against an input. Empty when undefined.
   */
  public Optional<JsonNode> evaluate(String ref, JsonNode input, EvalOptions options) throws RegoException {
    try {
      return evaluateUnguarded(ref, input, options);
    } catch (StackOverflowError e) {
      throw new RegoException("eval_budget_error", "document nested too deeply (stack exhausted)", null);
    } catch (RuntimeException e) {
      throw new RegoException("eval_internal_error", String.valueOf(e), null);
    }
  }

  private Optional<JsonNode> evaluateUnguarded(String ref, JsonNode input, EvalOptions options)
      throws RegoException {
    var q = refs.get(ref);
    if (q == null) {
      q = compiled.query("__portcullis_result__ = " + ref);
      if (refs.size() < 1024) refs.put(ref, q);
    }
    List<Evaluation.Solution> sols = Evaluation.run(compiled.tree(), compiled.data(), q, toValue(input, options),
        options, false, 1);
    if (sols.isEmpty()) return Optional.empty();
    return Optional.of(Values.toJsonNode(sols.get(0).bindings().get("__portcullis_result__")));
  }

  /** Evaluates a query body such as {@code x := data.main.allow; x == true}; one result per solution. */
  public List<QueryResult> query(String queryBody, JsonNode input, EvalOptions options) throws RegoException {
    try {
      return queryUnguarded(queryBody, input, options);
    } catch (StackOverflowError e) {
      throw new RegoException("eval_budget_error", "document nested too deeply (stack exhausted)", null);
    } catch (RuntimeException e) {
      throw new RegoException("eval_internal_error", String.valueOf(e), null);
    }
  }

  private List<QueryResult> queryUnguarded(String queryBody, JsonNode input, EvalOptions options)
      throws RegoException {
    var q = compiled.query(queryBody);
    List<Evaluation.Solution> sols = Evaluation.run(compiled.tree(), compiled.data(), q, toValue(input, options),
        options, true, 0);
    List<QueryResult> out = new ArrayList<>();
    for (Evaluation.Solution s : sols) {
      List<QueryResult.Expression> exprs = new ArrayList<>();
      for (int i = 0; i < q.body().length; i++) {
        var e = q.body()[i];
        exprs.add(new QueryResult.Expression(Values.toJsonNode(s.expressions().get(i)), e.text, e.loc));
      }
      Map<String, JsonNode> bindings = new LinkedHashMap<>();
      s.bindings().forEach((k, v) -> bindings.put(k, Values.toJsonNode(v)));
      out.add(new QueryResult(exprs, bindings));
    }
    return out;
  }

  private static Value toValue(JsonNode input, EvalOptions options) throws RegoException {
    if (input == null || input.isMissingNode()) return null;
    return Evaluation.fromJson(input, options.maxDepth(), options.maxSize());
  }
}
