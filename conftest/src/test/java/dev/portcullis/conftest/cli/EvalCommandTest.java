package dev.portcullis.conftest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy eval} prints what {@code opa eval --format=json} prints. */
class EvalCommandTest {
  @TempDir Path tmp;
  Path input;

  @BeforeEach
  void agentInsert() throws Exception {
    input = tmp.resolve("request.yaml");
    Files.writeString(input, """
        request_id: req_1
        identity: {subject: cursor-agent, groups: [agents]}
        session: {id: sess_1}
        connection: {name: local-postgres, tags: [staging]}
        protocol: postgres
        action: query
        sql:
          text: INSERT INTO t VALUES (1)
          statements:
            - {text: INSERT INTO t VALUES (1), type: insert, tables_read: [], tables_written: [public.t], columns: [],
               has_where: false, functions: [], side_effects: false, role_change: false, server_file_access: false,
               error: null}
        """);
  }

  @Test
  void theDecisionByDefault() {
    PolicyCli run = PolicyCli.run("eval", "--bundle", "../policies", "--input", input.toString());
    assertEquals(0, run.exit(), run.toString());
    assertEquals("""
        {
          "result": [
            {
              "expressions": [
                {
                  "value": {
                    "approval": {
                      "approvals_required": 1,
                      "reviewers": [
                        "dba"
                      ],
                      "timeout": "5m"
                    },
                    "outcome": "require_approval",
                    "reasons": [
                      "agents may only read; changes need a DBA's approval"
                    ]
                  },
                  "text": "data.portcullis.decision",
                  "location": {
                    "row": 1,
                    "col": 1
                  }
                }
              ]
            }
          ]
        }
        """, run.out());
  }

  @Test
  void bindingsOfAQuery() {
    PolicyCli run = PolicyCli.run("eval", "-b", "../policies", "-i", input.toString(),
        "x := data.portcullis.decision.outcome");
    assertEquals(0, run.exit(), run.toString());
    assertTrue(run.out().endsWith("""
              "bindings": {
                "x": "require_approval"
              }
            }
          ]
        }
        """), run.out());
  }

  @Test
  void undefinedIsAnEmptyObjectAndFailsOnlyWithFail() {
    PolicyCli run = PolicyCli.run("eval", "-b", "../policies", "-i", input.toString(), "data.portcullis.nothing");
    assertEquals(0, run.exit(), run.toString());
    assertEquals("{}\n", run.out());
    assertEquals(1, PolicyCli.run("eval", "--fail", "-b", "../policies", "-i", input.toString(),
        "data.portcullis.nothing").exit());
    assertEquals(1, PolicyCli.run("eval", "--fail-defined", "-b", "../policies", "-i", input.toString()).exit());
  }

  @Test
  void errorsAreReportedAsOpaDoesWithExitOne() {
    PolicyCli run = PolicyCli.run("eval", "-b", "../policies", "data.portcullis.decision ==");
    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.out().startsWith("{\n  \"errors\": [\n    {\n      \"message\": "), run.out());
    assertTrue(run.out().contains("\"code\": \"rego_parse_error\""), run.out());
  }

  @Test
  void anUnreadableInputIsAClearError() {
    PolicyCli run = PolicyCli.run("eval", "-b", "../policies", "-i", tmp.resolve("missing.json").toString());
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("missing.json"), run.err());
  }
}
