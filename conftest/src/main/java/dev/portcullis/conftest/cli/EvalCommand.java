package dev.portcullis.conftest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.conftest.check.ConfigFiles;
import dev.portcullis.conftest.format.GoJson;
import dev.portcullis.rego.EvalOptions;
import dev.portcullis.rego.Location;
import dev.portcullis.rego.Policy;
import dev.portcullis.rego.QueryResult;
import dev.portcullis.rego.RegoException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code policy eval}: {@code opa eval --format=json} over a bundle and an input file. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluates a query (default data.portcullis.decision) and prints opa eval's JSON output.",
        "Exit status: 1 on errors (and with --fail when undefined, --fail-defined when defined), else 0."})
public final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", required = true, description = "Bundle folder.")
  Path bundle;

  @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Input document (JSON or YAML).")
  Path input;

  @Option(names = "--fail", description = "Exit 1 when the result is undefined.")
  boolean failUndefined;

  @Option(names = "--fail-defined", description = "Exit 1 when the result is defined.")
  boolean failDefined;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "Evaluation deadline, e.g. 5s (default 10s).")
  Duration timeout = Duration.ofSeconds(10);

  @Parameters(paramLabel = "QUERY", arity = "0..1", description = "Rego query (default: data.portcullis.decision).")
  String query = "data.portcullis.decision";

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode output = f.objectNode();
    boolean defined = false;
    try {
      JsonNode in = input == null ? null : ConfigFiles.parse(input);
      Policy policy = Policy.compileBundle(bundle);
      List<QueryResult> results = policy.query(query, in, EvalOptions.DEFAULT.withTimeout(timeout));
      if (!results.isEmpty()) {
        defined = true;
        ArrayNode array = output.putArray("result");
        for (QueryResult r : results) array.add(result(r));
      }
    } catch (RegoException e) {
      output.removeAll();
      ObjectNode error = output.putArray("errors").addObject();
      error.put("message", e.getMessage());
      error.put("code", e.code());
      if (e.location() != null) {
        error.putObject("location").put("file", e.location().file()).put("row", e.location().row())
            .put("col", e.location().col());
      }
      out.print(GoJson.write(output, "  ") + "\n");
      out.flush();
      return 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: " + input + ": " + e.getMessage());
      return 1;
    }
    out.print(GoJson.write(output, "  ") + "\n");
    out.flush();
    if (failUndefined && !defined) return 1;
    if (failDefined && defined) return 1;
    return 0;
  }

  private static ObjectNode result(QueryResult r) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    ArrayNode expressions = o.putArray("expressions");
    for (QueryResult.Expression e : r.expressions()) {
      ObjectNode x = expressions.addObject();
      x.set("value", e.value());
      x.put("text", e.text());
      Location loc = e.location();
      x.putObject("location").put("row", loc == null ? 1 : loc.row()).put("col", loc == null ? 1 : loc.col());
    }
    if (r.bindings() != null && !r.bindings().isEmpty()) {
      ObjectNode bindings = o.putObject("bindings");
      for (Map.Entry<String, JsonNode> b : r.bindings().entrySet()) bindings.set(b.getKey(), b.getValue());
    }
    return o;
  }
}
