package dev.portcullis.rego.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.rego.EvalOptions;
import dev.portcullis.rego.Policy;
import dev.portcullis.rego.RegoException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One gateway decision ({@code data.portcullis.decision}) per operation, including the conversion of the Jackson
 * input, against the synthetic bundle in {@code src/jmh/bundle} (68 rule definitions) and against the reference
 * bundle in {@code policies/} as the gateway compiles it, and the compilation of the synthetic bundle.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RegoDecisionBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Policy policy;
  private Policy reference;
  private JsonNode referenceAgentSelect;
  private JsonNode agentSelect;
  private JsonNode analystWrite;
  private Path bundle;

  @Setup
  public void setup() throws Exception {
    bundle = Path.of(System.getProperty("bench.bundle", "src/jmh/bundle"));
    policy = Policy.compileBundle(bundle);
    agentSelect = JSON.readTree("""
        {"request_id": "req_01HX", "time": "2026-11-22T02:00:00.123Z",
         "identity": {"subject": "cursor-agent", "issuer": "https://dev.portcullis.local", "groups": ["agents"],
                      "authenticated_by": "jwt"},
         "session": {"id": "sess_1", "client_address": "127.0.0.1", "application_name": "psql"},
         "connection": {"name": "local-postgres", "tags": ["staging"]},
         "protocol": "postgres", "database": "shop", "action": "query",
         "sql": {"text": "SELECT email, name FROM customers WHERE id = 1",
                 "statements": [{"text": "SELECT email, name FROM customers WHERE id = 1", "type": "select",
                                 "tables_read": ["public.customers"], "tables_written": [],
                                 "columns": ["email", "name"], "has_where": true, "functions": ["lower"],
                                 "error": null, "side_effects": false, "role_change": false,
                                 "server_file_access": false}]},
         "grants": []}
        """);
    analystWrite = JSON.readTree("""
        {"request_id": "req_01HY", "time": "2026-11-22T02:00:00.123Z",
         "identity": {"subject": "bob", "issuer": "https://dev.portcullis.local", "groups": ["analysts"],
                      "authenticated_by": "jwt"},
         "session": {"id": "sess_2", "client_address": "10.0.0.7", "application_name": "dbeaver"},
         "connection": {"name": "prod-postgres", "tags": ["production"]},
         "protocol": "postgres", "database": "shop", "action": "query",
         "sql": {"text": "UPDATE payments SET state = 'x' WHERE id = 3",
                 "statements": [{"text": "UPDATE payments SET state = 'x' WHERE id = 3", "type": "update",
                                 "tables_read": [], "tables_written": ["public.payments"],
                                 "columns": ["state"], "has_where": true, "functions": [],
                                 "error": null, "side_effects": false, "role_change": false,
                                 "server_file_access": false}]},
         "grants": []}
        """);
    if (decide(agentSelect).isEmpty() || decide(analystWrite).isEmpty()) {
      throw new IllegalStateException("benchmark policy is undefined for its inputs");
    }
    reference = Policy.compileBundle(Path.of(System.getProperty("bench.reference", "../policies")));
    referenceAgentSelect = JSON.readTree(Path.of("src/jmh/reference/agent-select-input.json").toFile());
    String outcome = decideReference().map(d -> d.path("outcome").asText()).orElse("undefined");
    if (!outcome.equals("mask")) {
      throw new IllegalStateException("reference bundle decides " + outcome + " for the agent SELECT, not mask");
    }
  }

  private Optional<JsonNode> decide(JsonNode input) throws RegoException {
    return policy.evaluate("data.portcullis.decision", input, EvalOptions.DEFAULT);
  }

  /** A typical agent SELECT with masked columns. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Optional<JsonNode> decisionAgentSelect() throws RegoException {
    return decide(agentSelect);
  }

  private Optional<JsonNode> decideReference() throws RegoException {
    return reference.evaluate("data.portcullis.decision", referenceAgentSelect, EvalOptions.DEFAULT);
  }

  /** The reference bundle on an agent's pgbench SELECT, as the gateway sees it (outcome mask). */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Optional<JsonNode> decisionReferenceAgentSelect() throws RegoException {
    return decideReference();
  }

  /** A production write that is denied (analysts may not write in production). */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Optional<JsonNode> decisionAnalystWrite() throws RegoException {
    return decide(analystWrite);
  }

  /** Loading and compiling the bundle from disk. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 0)
  @Measurement(iterations = 10)
  public Policy compileBundle() throws RegoException {
    return Policy.compileBundle(bundle);
  }
}
