package dev.portcullis.conftest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** {@code policy test} on a fixture with a passing, a failing, an erroring, a todo and a printing test. */
class TestCommandTest {
  static final String DIR = "src/test/resources/fixtures/example";
  static final String FILE = DIR + "/example_test.rego";

  @Test
  void prettyShowsProblemsAndExitsTwo() {
    PolicyCli run = PolicyCli.run("test", DIR);
    assertEquals(2, run.exit(), run.toString());
    String[] lines = run.outWithoutDurations().split("\n", -1);
    String errorLine = lines[4];
    assertTrue(errorLine.startsWith("  ") && errorLine.contains("eval_conflict_error"), run.toString());

    assertTrue(errorLine.startsWith("  " + DIR + "/example.rego:10: eval_conflict_error: "), errorLine);
    lines[4] = "  <error>";
    assertEquals("""
        %1$s:9:
        data.example_test.test_allows_bob: FAIL (D)
        %1$s:11:
        data.example_test.test_conflict: ERROR (D)
          <error>
        %1$s:13:
        data.example_test.todo_test_later: SKIPPED
        --------------------------------------------------------------------------------
        PASS: 2/5
        FAIL: 1/5
        SKIPPED: 1/5
        ERROR: 1/5
        """.formatted(FILE), String.join("\n", lines));
  }

  @Test
  void verbosePrintsEveryTestItsOutputAndTheFailures() {
    PolicyCli run = PolicyCli.run("test", "-v", DIR);
    assertEquals(2, run.exit(), run.toString());
    String out = run.outWithoutDurations().replaceAll("(?m)^  .*eval_conflict_error.*$", "  <error>");
    assertEquals("""
        %1$s:7:
        data.example_test.test_allows_alice: PASS (D)
        %1$s:9:
        data.example_test.test_allows_bob: FAIL (D)
        %1$s:11:
        data.example_test.test_conflict: ERROR (D)
          <error>
        %1$s:13:
        data.example_test.todo_test_later: SKIPPED
        %1$s:15:
        data.example_test.test_prints: PASS (D)

          checked alice

        --------------------------------------------------------------------------------
        FAILURES
        --------------------------------------------------------------------------------
        data.example_test.test_allows_bob: FAIL (D)


        --------------------------------------------------------------------------------
        PASS: 2/5
        FAIL: 1/5
        SKIPPED: 1/5
        ERROR: 1/5
        """.formatted(FILE), out);
  }

  @Test
  void jsonHasOneEntryPerTestWithOpaKeys() throws Exception {
    PolicyCli run = PolicyCli.run("test", "--format", "json", DIR);
    assertEquals(2, run.exit(), run.toString());
    JsonNode tests = new ObjectMapper().readTree(run.out());
    assertEquals(5, tests.size());
    assertEquals(List.of("location", "package", "name", "duration"), keys(tests.get(0)));
    assertEquals(List.of("location", "package", "name", "fail", "duration"), keys(tests.get(1)));
    assertEquals(List.of("location", "package", "name", "error", "duration"), keys(tests.get(2)));
    assertEquals("eval_conflict_error", tests.get(2).get("error").get("code").asText());
    assertEquals(List.of("location", "package", "name", "skip", "duration"), keys(tests.get(3)));
    assertEquals("checked alice\n", new String(tests.get(4).get("output").binaryValue(), StandardCharsets.UTF_8));
    assertEquals(FILE, tests.get(1).get("location").get("file").asText());
    assertEquals(9, tests.get(1).get("location").get("row").asInt());
    assertTrue(run.out().startsWith("[\n  {\n    \"location\": {\n"), run.out());
  }

  @Test
  void junitMarksTheFailedTest() throws Exception {
    PolicyCli run = PolicyCli.run("test", "--format", "junit", DIR);
    assertEquals(2, run.exit(), run.toString());
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));
    assertEquals(5, doc.getElementsByTagName("testcase").getLength());
    Element failed = (Element) doc.getElementsByTagName("failure").item(0).getParentNode();
    assertEquals("test_allows_bob", failed.getAttribute("name"));
    assertEquals(1, doc.getElementsByTagName("error").getLength());
    assertEquals(1, doc.getElementsByTagName("skipped").getLength());
  }

  @Test
  void tapNumbersEveryTest() {
    PolicyCli run = PolicyCli.run("test", "--format", "tap", DIR);
    assertEquals(2, run.exit(), run.toString());
    assertTrue(run.out().startsWith("TAP version 13\n1..5\nok 1 - data.example_test.test_allows_alice\n"
        + "not ok 2 - data.example_test.test_allows_bob\n"), run.out());
    assertTrue(run.out().contains("ok 4 - data.example_test.todo_test_later # SKIP todo test\n"), run.out());
  }

  @Test
  void runSelectsTestsByRegexAndPassingRunsExitZero() {
    PolicyCli run = PolicyCli.run("test", "--run", "alice|prints", DIR);
    assertEquals(0, run.exit(), run.toString());
    assertEquals("PASS: 2/2\n", run.out());
  }

  @Test
  void skippedTestsPassWithExitZeroOnSkipped() {
    assertEquals(0, PolicyCli.run("test", "-z", "--run", "todo|alice", DIR).exit());
    assertEquals(2, PolicyCli.run("test", "--run", "todo|alice", DIR).exit());
  }

  @Test
  void aBundleThatDoesNotCompileExitsOneWithTheError() {
    PolicyCli run = PolicyCli.run("test", "src/test/resources/fixtures/broken");
    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().startsWith("1 error occurred: src/test/resources/fixtures/broken/broken.rego:"), run.err());
    assertTrue(run.err().contains("rego_parse_error"), run.toString());
    assertTrue(run.err().contains("broken.rego"), run.toString());
  }

  @Test
  void aBadRegexIsAClearError() {
    PolicyCli run = PolicyCli.run("test", "--run", "(", DIR);
    assertEquals(1, run.exit());
    assertTrue(run.err().startsWith("error: --run:"), run.err());
  }

  @Test
  void coverageIsOpasJsonReportPerFile() throws Exception {
    PolicyCli run = PolicyCli.run("test", "--coverage", "--run", "alice|prints", DIR);
    assertEquals(0, run.exit(), run.toString());
    JsonNode report = new ObjectMapper().readTree(run.out());
    assertTrue(report.get("files").has(DIR + "/example.rego"), run.out());
    assertTrue(report.get("coverage").isNumber(), run.out());
  }

  @Test
  void coverageWithFailingTestsReportsTheFailuresAndExitsOneAsOpa() {
    PolicyCli run = PolicyCli.run("test", "--coverage", "--run", "alice|bob", DIR);
    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.outWithoutDurations().startsWith(FILE + ":9:\ndata.example_test.test_allows_bob: FAIL (D)\n"),
        run.out());
    assertTrue(run.err().startsWith("data.example_test.test_allows_bob: FAIL ("), run.err());
  }

  @Test
  void thresholdImpliesCoverageAndFailsBelowIt() {
    PolicyCli run = PolicyCli.run("test", "--threshold", "100", "--run", "alice", DIR);
    assertEquals(2, run.exit(), run.toString());
    assertTrue(run.out().startsWith("{\n  \"files\": {"), run.out());
    assertTrue(run.err().startsWith("Code coverage threshold not met: got "), run.err());
    assertEquals(1, PolicyCli.run("test", "--threshold", "101", DIR).exit());
  }

  @Test
  void anEmptyRunPassesUnlessFailOnEmpty() {
    assertEquals(0, PolicyCli.run("test", "--run", "nothing-matches", DIR).exit());
    PolicyCli run = PolicyCli.run("test", "--fail-on-empty", "--run", "nothing-matches", DIR);
    assertEquals(1, run.exit());
    assertEquals("no tests were run\n", run.err());
  }

  private static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
