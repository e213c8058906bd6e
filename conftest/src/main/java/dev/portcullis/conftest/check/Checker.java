package dev.portcullis.conftest.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.conftest.format.GoJson;
import dev.portcullis.rego.EvalOptions;
import dev.portcullis.rego.Location;
import dev.portcullis.rego.Policy;
import dev.portcullis.rego.QueryResult;
import dev.portcullis.rego.RegoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * conftest's evaluation: in each namespace, every rule named {@code deny}, {@code violation} or {@code warn} (alone
 * or with {@code _suffix}es) is queried against the file; each string or {@code {"msg": ...}} object it yields is a
 * failure or a warning, and a rule that yields nothing counts as one success per definition of that rule.
 * {@code exception} rules listing a rule's suffix turn its messages into one exception each.
 */
public final class Checker {
  private static final Pattern FAILURE = Pattern.compile("^(deny|violation)(_[a-zA-Z0-9]+)*$");
  private static final Pattern WARNING = Pattern.compile("^warn(_[a-zA-Z0-9]+)*$");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([A-Za-z0-9_.\\[\\]\"]+)");
  /** A rule head starts at column 0 in formatted Rego (opa fmt); each is one definition. */
  private static final Pattern RULE_HEAD = Pattern.compile("(?m)^((?:deny|violation|warn)(?:_[a-zA-Z0-9]+)*|exception)\\b(?=\\s*(?:contains|if|\\[|:=|=|\\{|$))");
  private static final EvalOptions OPTIONS = EvalOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));

  private final Policy policy;
  /** namespace -> rule name -> number of definitions, in source order. */
  private final Map<String, Map<String, Integer>> rules;

  private Checker(Policy policy, Map<String, Map<String, Integer>> rules) {
    this.policy = policy;
    this.rules = rules;
  }

  /**
   * Loads every {@code .rego} file (and data file) under the given policy folders or files. The engine names the
   * rules of each package; how many definitions (bodies) each has is counted in the sources, as conftest counts
   * them for its successes.
   */
  public static Checker load(List<Path> policyPaths) throws RegoException {
    Policy policy = Policy.compileFiles(policyPaths);
    Map<String, Map<String, Integer>> definitions = new TreeMap<>();
    for (Path file : regoFiles(policyPaths)) {
      String source = read(file);
      Matcher pkg = PACKAGE.matcher(source);
      if (!pkg.find()) continue;
      Map<String, Integer> counts = definitions.computeIfAbsent(pkg.group(1), k -> new LinkedHashMap<>());
      Matcher head = RULE_HEAD.matcher(source);
      while (head.find()) counts.merge(head.group(1), 1, Integer::sum);
    }
    Map<String, Map<String, Integer>> rules = new TreeMap<>();
    List<Map.Entry<String, Location>> byPlace = new ArrayList<>(policy.rules().entrySet());
    byPlace.sort(Comparator.comparing((Map.Entry<String, Location> e) -> e.getValue() == null ? "" : e.getValue().file(),
            Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparingInt(e -> e.getValue() == null ? 0 : e.getValue().row()));
    for (Map.Entry<String, Location> rule : byPlace) {
      String full = rule.getKey();
      int dot = full.lastIndexOf('.');
      String namespace = full.substring("data.".length(), dot);
      String name = full.substring(dot + 1);
      if (!FAILURE.matcher(name).matches() && !WARNING.matcher(name).matches() && !name.equals("exception")) continue;
      int count = definitions.getOrDefault(namespace, Map.of()).getOrDefault(name, 1);
      rules.computeIfAbsent(namespace, k -> new LinkedHashMap<>()).put(name, count);
    }
    return new Checker(policy, rules);
  }

  /** Every namespace (package) the policy defines, sorted. */
  public List<String> namespaces() {
    List<String> out = new ArrayList<>();
    for (String pkg : policy.packages()) out.add(pkg.startsWith("data.") ? pkg.substring(5) : pkg);
    return out;
  }

  public CheckResult check(String fileName, JsonNode input, String namespace) throws RegoException {
    Map<String, Integer> defined = rules.getOrDefault(namespace, Map.of());
    boolean hasExceptions = defined.containsKey("exception");
    int successes = 0;
    List<Finding> warnings = new ArrayList<>();
    List<Finding> failures = new ArrayList<>();
    List<Finding> exceptions = new ArrayList<>();
    for (Map.Entry<String, Integer> rule : defined.entrySet()) {
      String name = rule.getKey();
      if (name.equals("exception")) continue;
      List<Finding> excepted = new ArrayList<>();
      if (hasExceptions) {
        String query = "data." + namespace + ".exception[_][_] == " + GoJson.quote(removeFailurePrefix(name));
        List<QueryResult> hits = policy.query(query, input, OPTIONS);
        for (int i = 0; i < hits.size(); i++) excepted.add(Finding.of(query));
      }
      List<Finding> messages = messages(policy.evaluate("data." + namespace + "." + name, input, OPTIONS));
      int produced = excepted.size();
      if (messages.isEmpty()) {
        successes++;
        produced++;
      } else if (excepted.isEmpty()) {
        (FAILURE.matcher(name).matches() ? failures : warnings).addAll(messages);
        produced += messages.size();
      }
      // conftest pads to one result per definition of the rule: a rule with three bodies of which one fired
      // counts one failure and two successes.
      if (produced < rule.getValue()) successes += rule.getValue() - produced;
      exceptions.addAll(excepted);
    }
    return new CheckResult(fileName, namespace, successes, warnings, failures, exceptions);
  }

  /** The strings and {@code msg} objects of a rule's value; anything else is ignored, as conftest does. */
  private static List<Finding> messages(Optional<JsonNode> value) throws RegoException {
    List<Finding> out = new ArrayList<>();
    if (value.isEmpty() || !value.get().isArray()) return out;
    for (JsonNode v : value.get()) {
      if (v.isTextual()) {
        out.add(Finding.of(v.textValue()));
      } else if (v.isObject()) {
        JsonNode msg = v.get("msg");
        if (msg == null || !msg.isTextual()) {
          throw new RegoException("rego_type_error", "\"msg\" field must be present and a string", null);
        }
        ObjectNode metadata = ((ObjectNode) v).deepCopy();
        metadata.remove("msg");
        JsonNode loc = metadata.remove("_loc");
        out.add(new Finding(msg.textValue(), location(loc), metadata.isEmpty() ? null : sorted(metadata)));
      }
    }
    return out;
  }

  private static JsonNode location(JsonNode loc) {
    if (loc == null || !loc.isObject()) return null;
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (loc.path("file").isTextual()) out.put("file", loc.get("file").textValue());
    if (loc.path("line").isNumber()) out.set("line", loc.get("line"));
    return out.isEmpty() ? null : out;
  }

  /** Go marshals maps with sorted keys. */
  private static ObjectNode sorted(ObjectNode node) {
    ObjectNode out = node.objectNode();
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) keys.add(it.next());
    keys.sort(null);
    for (String k : keys) out.set(k, node.get(k));
    return out;
  }

  private static String removeFailurePrefix(String rule) {
    if (rule.startsWith("deny_")) return rule.substring(5);
    if (rule.startsWith("violation_")) return rule.substring(10);
    return rule;
  }

  private static List<Path> regoFiles(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(f -> f.toString().endsWith(".rego")).sorted().forEach(out::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else if (p.toString().endsWith(".rego")) {
        out.add(p);
      }
    }
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
