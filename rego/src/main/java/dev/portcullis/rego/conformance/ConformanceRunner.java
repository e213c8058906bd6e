package dev.portcullis.rego.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.rego.EvalOptions;
import dev.portcullis.rego.Location;
import dev.portcullis.rego.RegoException;
import dev.portcullis.rego.topdown.Compiled;
import dev.portcullis.rego.topdown.Evaluation;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs OPA's conformance cases (format in {@code shared/opa-conformance/SCHEMA.md}) the way OPA's topdown harness
 * does: compile the modules, evaluate the query, compare the result set (as a set of rows, values through JSON)
 * or the error code and text. A case that cannot run because a built-in is missing counts as skipped.
 */
public final class ConformanceRunner {
  public enum Outcome { PASS, FAIL, SKIP }

  public record CaseResult(String category, String file, int index, String note, Outcome outcome, String reason) {}

  public record Report(List<CaseResult> cases) {
    public long count(Outcome o) { return cases.stream().filter(c -> c.outcome() == o).count(); }

    public long passed() { return count(Outcome.PASS); }

    public String summary() {
      return "conformance: " + passed() + " passed, " + count(Outcome.FAIL) + " failed, " + count(Outcome.SKIP)
          + " skipped (of " + cases.size() + ")";
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  private static final Pattern MISSING = Pattern.compile("undefined function (\\S+)");

  /** SCHEMA.md §5: categories needing large libraries or emulation work. */
  private static final java.util.Set<String> HEAVY = java.util.Set.of("jwtdecodeverify", "jwtverifyrsa",
      "jwtbuiltins", "jwtencodesign", "jwtencodesignraw", "jwtencodesignheadererrors", "jwtencodesignpayloaderrors",
      "jwtverifyeddsa", "cryptox509parsecertificates", "cryptox509parsecertificaterequest",
      "cryptoparsersaprivatekeys", "cryptox509parseandverifycertificates", "cryptox509parsekeypair",
      "cryptox509parsersaprivatekey", "graphql", "jsonschema", "jsonbuiltins", "regexreplace", "regexfind",
      "regexfindallstringsubmatch", "regexsplit", "regexmatch", "regexisvalid", "regexmatchtemplate", "globmatch",
      "globsmatch", "time", "rendertemplate", "regoparsemodule", "regometadatachain", "regometadatarule");
  /** SCHEMA.md §5: self-contained but custom code. */
  private static final java.util.Set<String> MEDIUM = java.util.Set.of("netcidrcontains", "netcidrcontainsmatches",
      "netcidrexpand", "netcidrintersects", "netcidrisvalid", "netcidrmerge", "providers-aws", "uuid", "sprintf",
      "jsonpatch", "strings");
  private static final java.util.Set<String> ENV = java.util.Set.of("netlookupipaddr");

  /** The dependency class SCHEMA.md gives a category; everything not heavy, medium or env is core or light. */
  public static String dependencyClass(String category) {
    if (HEAVY.contains(category)) return "heavy";
    if (MEDIUM.contains(category)) return "medium";
    if (ENV.contains(category)) return "env";
    return "core+light";
  }

  private ConformanceRunner() {}

  /** Runs every {@code *.yaml}/{@code *.yml} file below the folder. */
  public static Report run(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(folder)) {
      files = s.filter(p -> Files.isRegularFile(p)
          && (p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))).sorted().toList();
    }
    List<CaseResult> out = new ArrayList<>();
    for (Path f : files) {
      Path rel = folder.relativize(f);
      String category = rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
      JsonNode doc;
      try {
        doc = YAML.readTree(f.toFile());
      } catch (IOException e) {
        out.add(new CaseResult(category, rel.toString(), 0, "", Outcome.FAIL, "unreadable case file: " + e.getMessage()));
        continue;
      }
      JsonNode cases = doc == null ? null : doc.get("cases");
      if (cases == null || !cases.isArray()) continue;
      for (int i = 0; i < cases.size(); i++) {
        JsonNode c = cases.get(i);
        String note = c.path("note").asText();
        CaseResult r;
        try {
          r = runCase(category, rel.toString(), i, note, c);
        } catch (RuntimeException | StackOverflowError e) {
          r = new CaseResult(category, rel.toString(), i, note, Outcome.FAIL, "runner crashed: " + e);
        }
        out.add(r);
      }
    }
    return new Report(out);
  }

  private static CaseResult runCase(String category, String file, int index, String note, JsonNode c) {
    if (c.path("skip").asBoolean(false)) {
      return new CaseResult(category, file, index, note, Outcome.SKIP, "marked skip");
    }
    Map<String, String> modules = new LinkedHashMap<>();
    JsonNode mods = c.get("modules");
    if (mods != null) {
      for (int i = 0; i < mods.size(); i++) modules.put("test-" + i + ".rego", mods.get(i).asText());
    }
    String wantCode = c.hasNonNull("want_error_code") ? c.get("want_error_code").asText() : null;
    String wantError = c.hasNonNull("want_error") ? c.get("want_error").asText() : null;
    JsonNode wantResult = c.get("want_result");
    boolean strict = c.path("strict_error").asBoolean(false);
    EvalOptions options = new EvalOptions(Duration.ofSeconds(10), 10_000, 100_000_000L, strict, line -> {});
    List<Evaluation.Solution> sols;
    try {
      Value data = c.hasNonNull("data") ? Values.fromJson(c.get("data")) : ObjectValue.EMPTY;
      Compiled compiled = Compiled.compile(modules, data, true);
      Value input = null;
      if (c.hasNonNull("input_term")) {
        List<Evaluation.Solution> in = Evaluation.run(compiled.tree(), data,
            compiled.query("__input__ = " + c.get("input_term").asText()), null, options, false, 1);
        input = in.isEmpty() ? null : in.get(0).bindings().get("__input__");
      } else if (c.has("input")) {
        input = Values.fromJson(c.get("input"));
      }
      sols = Evaluation.run(compiled.tree(), data, compiled.query(c.path("query").asText()), input, options,
          false, 0);
    } catch (RegoException e) {
      Matcher m = MISSING.matcher(e.getMessage());
      if (e.code().equals("rego_type_error") && m.find()) {
        return new CaseResult(category, file, index, note, Outcome.SKIP, "missing built-in " + m.group(1));
      }
      String text = opaText(e);
      if (wantCode == null && wantError == null) {
        return new CaseResult(category, file, index, note, Outcome.FAIL, "unexpected error: " + text);
      }
      if (wantCode != null && !wantCode.equals(e.code())) {
        return new CaseResult(category, file, index, note, Outcome.FAIL,
            "want error code " + wantCode + ", got " + text);
      }
      if (wantError != null && !text.contains(wantError)) {
        return new CaseResult(category, file, index, note, Outcome.FAIL,
            "want error containing '" + wantError + "', got " + text);
      }
      return new CaseResult(category, file, index, note, Outcome.PASS, "");
    }
    if (wantCode != null || wantError != null) {
      return new CaseResult(category, file, index, note, Outcome.FAIL,
          "want error " + (wantCode != null ? wantCode : "") + (wantError != null ? " '" + wantError + "'" : "")
              + ", got " + sols.size() + " result(s)");
    }
    if (wantResult == null) {
      return new CaseResult(category, file, index, note, Outcome.FAIL, "case has no expectation");
    }
    boolean sort = c.path("sort_bindings").asBoolean(false);
    boolean ignoreGenerated = c.path("ignore_generated_vars").asBoolean(false);
    java.util.Set<Value> want = new java.util.HashSet<>();
    for (JsonNode row : wantResult) want.add(normalize(Values.fromJson(row), sort));
    java.util.Set<Value> got = new java.util.HashSet<>();
    for (Evaluation.Solution s : sols) {
      Map<Value, Value> row = new LinkedHashMap<>();
      s.bindings().forEach((k, v) -> {
        if (k.equals("__input__")) return;
        if (ignoreGenerated && k.startsWith("__localq")) return;
        row.put(StringValue.of(k), Values.fromJson(Values.toJsonNode(v)));
      });
      got.add(normalize(ObjectValue.wrap(row), sort));
    }
    if (want.equals(got)) return new CaseResult(category, file, index, note, Outcome.PASS, "");
    return new CaseResult(category, file, index, note, Outcome.FAIL,
        "want " + abbreviate(sorted(want)) + ", got " + abbreviate(sorted(got)));
  }

  private static String sorted(java.util.Set<Value> rows) { return Values.toJson(SetValue.of(rows)); }

  private static String abbreviate(String s) { return s.length() > 300 ? s.substring(0, 300) + "..." : s; }

  /** With sort_bindings, array values of a row are sorted (the harness sorts collection bindings). */
  private static Value normalize(Value row, boolean sort) {
    if (!sort || !(row instanceof ObjectValue o)) return row;
    Map<Value, Value> m = new LinkedHashMap<>();
    for (Map.Entry<Value, Value> e : o.map().entrySet()) {
      Value v = e.getValue();
      if (v instanceof ArrayValue a) {
        List<Value> l = new ArrayList<>(a.elements());
        l.sort(null);
        v = new ArrayValue(l);
      }
      m.put(e.getKey(), v);
    }
    return ObjectValue.wrap(m);
  }

  /** {@code err.Error()} as OPA renders a topdown error: {@code file:row: code: message}. */
  static String opaText(RegoException e) {
    Location l = e.location();
    String prefix = l == null ? "" : (l.file() == null || l.file().isEmpty() ? l.row() + ":" + l.col() : l.file() + ":" + l.row()) + ": ";
    return prefix + e.code() + ": " + e.getMessage();
  }

  /** Prints one line per failing case, a table per category and the summary line. */
  public static void print(Report report, PrintStream out) {
    for (CaseResult r : report.cases()) {
      if (r.outcome() == Outcome.FAIL) {
        out.println("FAIL " + r.file() + "#" + r.index() + " " + r.note() + ": " + oneLine(r.reason()));
      }
    }
    out.println();
    out.printf("%-40s %6s %6s %7s %6s%n", "category", "passed", "failed", "skipped", "total");
    for (Map.Entry<String, long[]> e : byCategory(report).entrySet()) {
      long[] n = e.getValue();
      out.printf("%-40s %6d %6d %7d %6d%n", e.getKey(), n[0], n[1], n[2], n[0] + n[1] + n[2]);
    }
    out.println();
    for (String cls : List.of("core+light", "medium", "heavy", "env")) {
      long[] n = byClass(report).getOrDefault(cls, new long[3]);
      long total = n[0] + n[1] + n[2];
      if (total > 0) out.printf("class %-11s %5d of %5d passed (%.1f%%)%n", cls, n[0], total, 100.0 * n[0] / total);
    }
    out.println(report.summary());
  }

  static Map<String, long[]> byClass(Report report) {
    Map<String, long[]> out = new TreeMap<>();
    for (CaseResult r : report.cases()) {
      out.computeIfAbsent(dependencyClass(r.category()), k -> new long[3])[r.outcome().ordinal()]++;
    }
    return out;
  }

  private static String oneLine(String s) { return s.replace('\n', ' '); }

  static Map<String, long[]> byCategory(Report report) {
    Map<String, long[]> cats = new TreeMap<>();
    for (CaseResult r : report.cases()) {
      long[] n = cats.computeIfAbsent(r.category(), k -> new long[3]);
      n[r.outcome().ordinal()]++;
    }
    return cats;
  }

  /** CONFORMANCE.md: the table per category, with why each category below 100% falls short. */
  public static String markdown(Report report) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Rego conformance\n\n");
    sb.append("Generated by `./portcullis rego conformance --markdown rego/CONFORMANCE.md ../shared/opa-conformance/cases`."
        + " Do not edit by hand.\n\n");
    sb.append("`").append(report.summary()).append("`\n\n");
    sb.append("| class (SCHEMA.md §5) | passed | of | rate |\n|---|---:|---:|---:|\n");
    for (String cls : List.of("core+light", "medium", "heavy", "env")) {
      long[] n = byClass(report).getOrDefault(cls, new long[3]);
      long total = n[0] + n[1] + n[2];
      if (total > 0) {
        sb.append(String.format("| %s | %d | %d | %.1f%% |%n", cls, n[0], total, 100.0 * n[0] / total));
      }
    }
    sb.append("| all | ").append(report.passed()).append(" | ").append(report.cases().size())
        .append(String.format(" | %.1f%% |%n%n", 100.0 * report.passed() / report.cases().size()));
    sb.append("Skipped cases need a built-in this engine does not have yet; they are never faked.\n\n");
    sb.append("| category | passed | failed | skipped | total | why not 100% |\n|---|---:|---:|---:|---:|---|\n");
    for (Map.Entry<String, long[]> e : byCategory(report).entrySet()) {
      long[] n = e.getValue();
      String why = n[1] + n[2] == 0 ? "" : reasons(report, e.getKey());
      sb.append("| ").append(e.getKey()).append(" | ").append(n[0]).append(" | ").append(n[1]).append(" | ")
          .append(n[2]).append(" | ").append(n[0] + n[1] + n[2]).append(" | ").append(why).append(" |\n");
    }
    return sb.toString();
  }

  private static String reasons(Report report, String category) {
    java.util.Set<String> missing = new java.util.TreeSet<>();
    List<String> other = new ArrayList<>();
    for (CaseResult r : report.cases()) {
      if (!r.category().equals(category) || r.outcome() == Outcome.PASS) continue;
      if (r.reason().startsWith("missing built-in ")) missing.add(r.reason().substring(17));
      else other.add(r.note() + ": " + r.reason());
    }
    StringBuilder sb = new StringBuilder();
    if (!missing.isEmpty()) sb.append("missing built-ins: ").append(String.join(", ", missing)).append(". ");
    if (!other.isEmpty()) {
      String first = other.get(0);
      if (first.length() > 160) first = first.substring(0, 160) + "...";
      sb.append(other.size()).append(" failing, e.g. ").append(first.replace("|", "\\|").replace('\n', ' '));
    }
    return sb.toString().trim();
  }
}
