package dev.portcullis.conftest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code policy check} with the reference bundle's config checks. */
class CheckCommandTest {
  static final String POLICIES = "../policies";
  static final String BAD = "src/test/resources/fixtures/configs/bad.yaml";
  static final String GOOD = "src/test/resources/fixtures/configs/good.yaml";

  @Test
  void findsEveryPlantedProblemWithTheSummaryLine() {
    PolicyCli run = PolicyCli.run("check", "--policy", POLICIES, "--namespace", "config", BAD);
    assertEquals(1, run.exit(), run.toString());
    String prefix = "FAIL - " + BAD + " - config - ";
    assertEquals(String.join("\n",
        prefix + "connections[0] and connections[1] are both named \"prod-postgres\"",
        prefix + "connection \"prod-postgres\" is tagged production but its upstream does not use TLS (set upstream.tls)",
        prefix + "connections[0].upstream.password holds an inline secret; use credential_env or credential_file",
        prefix + "connection \"prod-postgres\" names no policy (set policy.bundle, or policy.opa_url for the opa engine)",
        prefix + "connection \"prod-postgres\": decision \"data.portcullis.allow\" is not defined by this bundle"
            + " (expected one of [\"data.portcullis.decision\", \"portcullis.decision\", \"portcullis/decision\"])",
        "",
        "12 tests, 7 passed, 0 warnings, 5 failures, 0 exceptions",
        ""), run.out());
  }

  @Test
  void aGoodConfigPasses() {
    PolicyCli run = PolicyCli.run("check", "--policy", POLICIES, "--namespace", "config", GOOD);
    assertEquals(0, run.exit(), run.toString());
    assertEquals("\n12 tests, 12 passed, 0 warnings, 0 failures, 0 exceptions\n", run.out());
  }

  @Test
  void jsonAndJunitAndTapCarryTheSameFindings() throws Exception {
    PolicyCli json = PolicyCli.run("check", "-p", POLICIES, "-n", "config", "-o", "json", BAD);
    assertEquals(1, json.exit(), json.toString());
    JsonNode results = new ObjectMapper().readTree(json.out());
    assertEquals(5, results.get(0).get("failures").size());
    assertEquals(7, results.get(0).get("successes").asInt());
    PolicyCli tap = PolicyCli.run("check", "-p", POLICIES, "-n", "config", "-o", "tap", BAD);
    assertTrue(tap.out().startsWith("1..12\nnot ok 1 - " + BAD + " - config - "), tap.out());
    PolicyCli junit = PolicyCli.run("check", "-p", POLICIES, "-n", "config", "-o", "junit", BAD);
    assertTrue(junit.out().contains("<testsuite tests=\"12\" failures=\"5\" time=\"0.000\" name=\"conftest.config\">"),
        junit.out());
  }

  @Test
  void theDefaultNamespaceIsMain() {
    PolicyCli run = PolicyCli.run("check", "--policy", POLICIES, GOOD);
    assertEquals(0, run.exit(), run.toString());
    assertEquals("\n0 tests, 0 passed, 0 warnings, 0 failures, 0 exceptions\n", run.out());
  }

  @Test
  void warningsFailOnlyWithFailOnWarn() {
    PolicyCli plain = PolicyCli.run("check", "-p", POLICIES, "-n", "config", "src/test/resources/fixtures/warn.json");
    assertEquals(0, plain.exit(), plain.toString());
    assertTrue(plain.out().startsWith("WARN - src/test/resources/fixtures/warn.json - config - no connections"),
        plain.out());
    assertEquals(1, PolicyCli.run("check", "-p", POLICIES, "-n", "config", "--fail-on-warn",
        "src/test/resources/fixtures/warn.json").exit());
    assertEquals(2, PolicyCli.run("check", "-p", POLICIES, "-n", "config", "--fail-on-warn", BAD).exit());
  }

  @Test
  void anUnreadableFileIsAnError() {
    PolicyCli run = PolicyCli.run("check", "-p", POLICIES, "-n", "config", "no-such-file.yaml");
    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().contains("no-such-file.yaml"), run.err());
  }

  @Test
  void conftestSemanticsForDefinitionsViolationsWarningsAndExceptions() throws Exception {
    String dir = "src/test/resources/fixtures/conftest";
    String file = dir + "/deploy.yaml";
    PolicyCli run = PolicyCli.run("check", "--policy", dir, file);
    assertEquals(1, run.exit(), run.toString());
    assertEquals("""
        WARN - %1$s - main - replicas below 2
        FAIL - %1$s - main - containers must not run as root
        FAIL - %1$s - main - no owner
        EXCP - %1$s - main - data.main.exception[_][_] == "latest"

        5 tests, 1 passed, 1 warning, 2 failures, 1 exception
        """.formatted(file), run.out());
    JsonNode json = new ObjectMapper().readTree(PolicyCli.run("check", "-p", dir, "-o", "json", file).out());
    JsonNode violation = json.get(0).get("failures").get(1);
    assertEquals("{\"msg\":\"no owner\",\"loc\":{\"file\":\"deploy.yaml\",\"line\":1},\"metadata\":{\"severity\":\"low\"}}",
        violation.toString());
  }

  @Test
  void standardInputIsNamedDash() {
    var stdin = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream("connections: []\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      PolicyCli run = PolicyCli.run("check", "-p", POLICIES, "-n", "config", "-");
      assertEquals(0, run.exit(), run.toString());
      assertTrue(run.out().startsWith("WARN - - config - no connections"), run.out());
    } finally {
      System.setIn(stdin);
    }
  }
}
