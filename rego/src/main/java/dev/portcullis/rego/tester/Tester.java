package dev.portcullis.rego.tester;

import dev.portcullis.rego.EvalOptions;
import dev.portcullis.rego.Location;
import dev.portcullis.rego.Policy;
import dev.portcullis.rego.RegoException;
import dev.portcullis.rego.ast.Expr;
import dev.portcullis.rego.ast.Module;
import dev.portcullis.rego.ast.Rule;
import dev.portcullis.rego.ast.Term;
import dev.portcullis.rego.topdown.Compiled;
import dev.portcullis.rego.topdown.Evaluation;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Runs a policy's tests with {@code opa test} semantics. */
public final class Tester {
  /** Each test gets OPA's default test timeout. */
  private static final EvalOptions TEST_OPTIONS =
      new EvalOptions(Duration.ofSeconds(5), 1_000, 100_000_000L, false, line -> {});

  private Tester() {}

  /**
   * Discovers every rule named {@code test_*} or {@code todo_*} in the policy, runs those whose full name
   * ({@code data.pkg.test_name}) the filter accepts, and reports each. A test passes when its value is
   * {@code true}; it fails when undefined or anything else; {@code todo_*} tests are skipped; an evaluation error
   * makes the outcome ERROR.
   */
  public static TestReport run(Policy policy, Predicate<String> nameFilter, boolean coverage) {
    Compiled compiled = policy.compiled();
    List<TestResult> results = new ArrayList<>();
    Set<Location> covered = coverage ? new HashSet<>() : null;
    Set<String> seen = new HashSet<>();
    for (Module m : compiled.modules()) {
      for (Rule r : m.rules) {
        if (r.args != null || r.path.length == 0) continue;
        String name = r.path[r.path.length - 1];
        boolean todo = name.startsWith("todo_");
        if (!todo && !name.startsWith("test_")) continue;
        String pkg = "data." + String.join(".", java.util.Arrays.asList(r.path).subList(0, r.path.length - 1));
        String full = pkg + "." + name;
        if (!seen.add(full) || !nameFilter.test(full)) continue;
        if (todo) {
          results.add(new TestResult(pkg, name, r.loc, TestResult.Outcome.SKIPPED, 0, "", null));
          continue;
        }
        results.add(runOne(compiled, pkg, name, full, r.loc, covered));
      }
    }
    Map<String, TestReport.FileCoverage> files = coverage ? coverage(compiled, covered) : Map.of();
    return new TestReport(results, files);
  }

  private static TestResult runOne(Compiled compiled, String pkg, String name, String full, Location loc,
                                   Set<Location> covered) {
    StringBuilder out = new StringBuilder();
    EvalOptions options = TEST_OPTIONS.withPrint(line -> out.append(line).append('\n'));
    long start = System.nanoTime();
    try {
      var q = compiled.query("__test_result__ = " + full);
      List<Evaluation.Solution> sols = Evaluation.run(compiled.tree(), compiled.data(), q, null, options, false, 1,
          covered == null ? null : covered::add);
      long took = System.nanoTime() - start;
      Value v = sols.isEmpty() ? null : sols.get(0).bindings().get("__test_result__");
      TestResult.Outcome outcome = v == BooleanValue.TRUE ? TestResult.Outcome.PASS : TestResult.Outcome.FAIL;
      return new TestResult(pkg, name, loc, outcome, took, out.toString(), null);
    } catch (RegoException e) {
      long took = System.nanoTime() - start;
      return new TestResult(pkg, name, loc, TestResult.Outcome.ERROR, took, out.toString(), e.toString());
    }
  }

  /**
   * Per file: lines of rule heads and expressions that ran, and those that never did. As OPA's cover package, the
   * expressions include those of comprehension and {@code every} bodies ({@code some x} declarations are gone
   * from compiled bodies, as OPA's cover leaves them out).
   */
  private static Map<String, TestReport.FileCoverage> coverage(Compiled compiled, Set<Location> covered) {
    Map<String, TreeSet<Integer>> all = new TreeMap<>();
    for (Module m : compiled.modules()) {
      for (Rule r : m.rules) {
        for (Rule e = r; e != null; e = e.elseRule) {
          lines(all, e.loc);
          collect(all, e.value);
          if (e.suffix != null) for (Term t : e.suffix) collect(all, t);
          if (e.args != null) for (Term t : e.args) collect(all, t);
          collect(all, e.body);
        }
      }
    }
    Map<String, TreeSet<Integer>> hit = new TreeMap<>();
    for (Location l : covered) lines(hit, l);
    Map<String, TestReport.FileCoverage> out = new LinkedHashMap<>();
    for (Map.Entry<String, TreeSet<Integer>> e : all.entrySet()) {
      TreeSet<Integer> yes = new TreeSet<>(hit.getOrDefault(e.getKey(), new TreeSet<>()));
      yes.retainAll(e.getValue());
      TreeSet<Integer> no = new TreeSet<>(e.getValue());
      no.removeAll(yes);
      out.put(e.getKey(), new TestReport.FileCoverage(yes, no));
    }
    return out;
  }

  private static void collect(Map<String, TreeSet<Integer>> all, Expr[] body) {
    if (body == null) return;
    for (Expr x : body) {
      lines(all, x.loc);
      collect(all, x.term);
      collect(all, x.key);
      collect(all, x.value);
      collect(all, x.domain);
      for (Expr.With w : x.withs) collect(all, w.value);
      collect(all, x.body);
    }
  }

  /** The expressions inside a term: those of the comprehensions it holds. */
  private static void collect(Map<String, TreeSet<Integer>> all, Term t) {
    if (t instanceof Term.Compr c) {
      collect(all, c.key);
      collect(all, c.value);
      collect(all, c.body);
    } else if (t instanceof Term.Ref r) {
      collect(all, r.head);
      for (Term p : r.path) collect(all, p);
    } else if (t instanceof Term.Call c) {
      for (Term a : c.args) collect(all, a);
    } else if (t instanceof Term.ArrayLit a) {
      for (Term e : a.elems) collect(all, e);
    } else if (t instanceof Term.SetLit st) {
      for (Term e : st.elems) collect(all, e);
    } else if (t instanceof Term.ObjectLit o) {
      for (Term k : o.keys) collect(all, k);
      for (Term v : o.values) collect(all, v);
    } else if (t instanceof Term.Template tp) {
      for (Object part : tp.parts) {
        if (part instanceof Term pt) collect(all, pt);
        else if (part instanceof Expr pe) collect(all, new Expr[] {pe});
      }
    }
  }

  private static void lines(Map<String, TreeSet<Integer>> m, Location l) {
    if (l == null || l.file() == null || l.file().isEmpty()) return;
    m.computeIfAbsent(l.file(), k -> new TreeSet<>()).add(l.row());
  }
}
