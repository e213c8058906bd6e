package dev.portcullis.conftest.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.conftest.cli.PolicyCli;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerConfig;
import dev.portcullis.ledger.cli.LedgerCommand;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.store.SegmentStore;
import dev.portcullis.rego.EvalOptions;
import dev.portcullis.rego.Policy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records decisions of the reference bundle the way the gateway does ({@code decision} entries holding the
 * normalized request), changes one rule's data, and expects replay to name exactly the decisions that flip.
 */
class ReplayCommandTest {
  static final Path POLICIES = Path.of("../policies");
  static final String ORIGIN = "portcullis.test/ledger";
  private final ObjectMapper json = new ObjectMapper();

  private ObjectNode request(String id, String group, String connection, String type, String text) throws Exception {
    return (ObjectNode) json.readTree("""
        {"request_id": "%s", "time": "2026-11-22T02:00:00Z",
         "identity": {"subject": "%s-user", "issuer": "https://dev.portcullis.local", "groups": ["%s"]},
         "session": {"id": "sess_1", "client_address": "127.0.0.1", "application_name": "psql"},
         "connection": {"name": "%s", "tags": []}, "protocol": "postgres", "database": "shop", "action": "query",
         "sql": {"text": "%s", "statements": [{"text": "%s", "type": "%s", "tables_read": ["public.customers"],
           "tables_written": [], "columns": ["email"], "has_where": false, "functions": [], "error": null,
           "side_effects": false, "role_change": false, "server_file_access": false}]}}
        """.formatted(id, group, group, connection, text, text, type));
  }

  /**
   * Decides each request under the reference bundle and appends the entries the gateway appends (AuditTrail: a
   * {@code policy_loaded}, then per request a {@code decision} with the request, the decision and the revision) to
   * a real ledger folder. Returns the gateway-style config naming that ledger.
   */
  private Path record(Path dir, List<ObjectNode> requests) throws Exception {
    Policy recorded = Policy.compileBundle(POLICIES);
    Path key = dir.resolve("ledger.key");
    Files.writeString(key, NoteKeys.generate(ORIGIN).skey() + "\n");
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        ledger:
          dir: var/ledger
          signing_key: ledger.key
          origin: %s
        """.formatted(ORIGIN));
    try (Ledger ledger = Ledger.open(LedgerConfig.fromYaml(config))) {
      ledger.append("policy_loaded", json.createObjectNode().put("engine", "embedded").put("source", "policies")
          .put("revision", recorded.revision()).put("accepted", true).putNull("error"));
      for (ObjectNode r : requests) {
        JsonNode decision = recorded.evaluate("data.portcullis.decision", r, EvalOptions.DEFAULT).orElseThrow();
        ObjectNode entry = json.createObjectNode().put("request_id", r.get("request_id").asText());
        entry.set("request", r);
        entry.set("decision", decision);
        entry.put("policy_revision", recorded.revision());
        ledger.append("decision", entry);
      }
    }
    return config;
  }

  private Path ledgerOf(Path config) {
    return config.getParent().resolve("var/ledger");
  }

  /** The candidate: agents may no longer EXPLAIN (explain leaves the read types). */
  private Path candidate(Path dir) throws Exception {
    Path bundle = dir.resolve("candidate");
    try (Stream<Path> files = Files.walk(POLICIES)) {
      for (Path p : files.toList()) {
        Path dest = bundle.resolve(POLICIES.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(dest);
        else Files.copy(p, dest);
      }
    }
    Path data = bundle.resolve("data.yaml");
    String yaml = Files.readString(data);
    assertTrue(yaml.contains("read_types: [select, explain]"));
    Files.writeString(data, yaml.replace("read_types: [select, explain]", "read_types: [select]"));
    return bundle;
  }

  @Test
  void reportsExactlyTheDecisionsTheChangeFlips(@TempDir Path tmp) throws Exception {
    Path ledger = ledgerOf(record(tmp, List.of(
        request("req_select", "agents", "local-postgres", "select", "SELECT email FROM customers"),
        request("req_explain_staging", "agents", "local-postgres", "explain", "EXPLAIN SELECT email FROM customers"),
        request("req_explain_dba", "dba", "prod-postgres", "explain", "EXPLAIN SELECT email FROM customers"),
        request("req_explain_prod", "agents", "prod-postgres", "explain", "EXPLAIN SELECT email FROM customers"),
        request("req_ddl", "agents", "local-postgres", "ddl", "DROP TABLE customers"))));
    Path candidate = candidate(tmp);

    PolicyCli run = PolicyCli.run("replay", "--ledger", ledger.toString(), "--bundle", candidate.toString(),
        "--format", "json");
    assertEquals(0, run.exit(), run.toString());
    JsonNode report = json.readTree(run.out());
    assertEquals(5, report.get("replayed").asInt());
    List<String> flipped = new ArrayList<>();
    for (JsonNode c : report.get("changes")) {
      flipped.add(c.get("request_id").asText());
      assertEquals("mask", c.get("old_outcome").asText());
      assertEquals("deny", c.get("new_outcome").asText());
      assertEquals("[\"statement not allowed for agents\"]", c.get("new_reasons").toString());
      assertEquals("EXPLAIN SELECT email FROM customers", c.get("statement").asText());
      assertEquals("agents-user", c.get("identity").get("subject").asText());
    }
    assertEquals(List.of("req_explain_staging", "req_explain_prod"), flipped);
    assertEquals(0, report.get("skipped").size());

    PolicyCli text = PolicyCli.run("replay", "--ledger", ledger.toString(), "--bundle", candidate.toString(),
        "--fail-on-change");
    assertEquals(2, text.exit(), text.toString());
    assertTrue(text.out().startsWith("CHANGED req_explain_staging (seq 2) agents-user on local-postgres: mask -> deny\n"
        + "  statement: EXPLAIN SELECT email FROM customers\n  now: statement not allowed for agents\n"), text.out());
    assertTrue(text.out().endsWith("5 decisions replayed under revision reference-2026.11.22-1, 2 changed, 0 skipped\n"),
        text.out());
  }

  @Test
  void theUnchangedBundleChangesNothing(@TempDir Path tmp) throws Exception {
    Path config = record(tmp, List.of(
        request("req_select", "agents", "local-postgres", "select", "SELECT email FROM customers"),
        request("req_ddl", "agents", "local-postgres", "ddl", "DROP TABLE customers")));
    PolicyCli run = PolicyCli.run("replay", "--config", config.toString(), "--bundle", POLICIES.toString(),
        "--fail-on-change");
    assertEquals(0, run.exit(), run.toString());
    assertTrue(run.out().endsWith("2 decisions replayed under revision reference-2026.11.22-1, 0 changed, 0 skipped\n"),
        run.out());
  }

  @Test
  void aPartialLedgerExportReplaysItsDecisions(@TempDir Path tmp) throws Exception {
    Path config = record(tmp, List.of(
        request("req_select", "agents", "local-postgres", "select", "SELECT email FROM customers"),
        request("req_explain", "agents", "local-postgres", "explain", "EXPLAIN SELECT 1"),
        request("req_ddl", "agents", "local-postgres", "ddl", "DROP TABLE customers")));
    Path export = tmp.resolve("export");
    int exported = new CommandLine(new LedgerCommand()).execute("export", "--config", config.toString(), "--out",
        export.toString(), "--from", "2");
    assertEquals(0, exported);
    PolicyCli run = PolicyCli.run("replay", "--ledger", export.toString(), "--bundle", candidate(tmp).toString());
    assertEquals(0, run.exit(), run.toString());
    assertTrue(run.out().startsWith("CHANGED req_explain (seq 2) agents-user on local-postgres: mask -> deny\n"),
        run.out());
    assertTrue(run.out().endsWith("2 decisions replayed under revision reference-2026.11.22-1, 1 changed, 0 skipped\n"),
        run.out());
  }

  @Test
  void entriesWithoutARecordedRequestAreListedAsSkipped(@TempDir Path tmp) throws Exception {
    Path ledger = tmp.resolve("entries.jsonl");
    Files.writeString(ledger, "{\"seq\":0,\"kind\":\"decision\",\"request_id\":\"req_old\",\"action\":\"query\","
        + "\"statement\":\"SELECT 1\",\"decision\":{\"outcome\":\"allow\"}}\n");
    PolicyCli run = PolicyCli.run("replay", "--ledger", ledger.toString(), "--bundle", POLICIES.toString());
    assertEquals(0, run.exit(), run.toString());
    assertTrue(run.out().startsWith("SKIPPED req_old (seq 0): the entry holds neither"), run.out());
  }

  @Test
  void jsonLinesAsLedgerShowPrintsThemReplayToo(@TempDir Path tmp) throws Exception {
    Path ledger = ledgerOf(record(tmp, List.of(
        request("req_explain", "agents", "local-postgres", "explain", "EXPLAIN SELECT 1"))));
    List<String> lines = new ArrayList<>();
    try (var store = SegmentStore.openForReading(ledger)) {
      store.readEntries(0, Long.MAX_VALUE, e -> lines.add(new String(e.bytes(), StandardCharsets.UTF_8)));
    }
    Path shown = tmp.resolve("shown.jsonl");
    Files.write(shown, lines);
    PolicyCli run = PolicyCli.run("replay", "--ledger", shown.toString(), "--bundle", candidate(tmp).toString());
    assertEquals(0, run.exit(), run.toString());
    assertTrue(run.out().startsWith("CHANGED req_explain (seq 1) agents-user on local-postgres: mask -> deny\n"),
        run.out());
    assertTrue(run.out().endsWith("1 decision replayed under revision reference-2026.11.22-1, 1 changed, 0 skipped\n"),
        run.out());
  }

  @Test
  void aMissingLedgerOrBrokenEntryIsAClearError(@TempDir Path tmp) throws Exception {
    PolicyCli missing = PolicyCli.run("replay", "--ledger", tmp.resolve("nope").toString(), "--bundle", "../policies");
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("no such ledger"), missing.err());
    Path broken = tmp.resolve("bad.jsonl");
    Files.writeString(broken, "{not json\n");
    PolicyCli bad = PolicyCli.run("replay", "--ledger", broken.toString(), "--bundle", "../policies");
    assertEquals(1, bad.exit());
    assertTrue(bad.err().contains("bad.jsonl:1: not a JSON ledger entry"), bad.err());
  }
}
