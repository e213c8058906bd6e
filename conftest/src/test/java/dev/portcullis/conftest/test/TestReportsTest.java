package dev.portcullis.conftest.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.rego.Location;
import dev.portcullis.rego.tester.TestReport.FileCoverage;
import dev.portcullis.rego.tester.TestResult;
import dev.portcullis.rego.tester.TestResult.Outcome;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Golden output of every test report format for one run with a pass, a failure, an error and a todo test. */
class TestReportsTest {
  static final List<TestResult> RESULTS = List.of(
      new TestResult("data.example", "test_pass", new Location("example_test.rego", 3, 1), Outcome.PASS, 1_500_000,
          "", null),
      new TestResult("data.example", "test_fail", new Location("example_test.rego", 5, 1), Outcome.FAIL, 250_000,
          "checked x\n", null),
      new TestResult("data.example", "test_error", new Location("example_test.rego", 9, 1), Outcome.ERROR, 42_000,
          "", "example_test.rego:10:3: eval_conflict_error: functions must not produce multiple outputs for same inputs"),
      new TestResult("data.example", "todo_test_later", new Location("example_test.rego", 12, 1), Outcome.SKIPPED, 0,
          "", null),
      new TestResult("data.other", "test_pass", new Location("other_test.rego", 4, 1), Outcome.PASS, 2_000_000_000L,
          "", null));

  @Test
  void prettyPrintsOnlyProblemsWithoutVerbose() {
    assertEquals("""
        example_test.rego:5:
        data.example.test_fail: FAIL (250µs)

          checked x

        example_test.rego:9:
        data.example.test_error: ERROR (42µs)
          example_test.rego:10: eval_conflict_error: functions must not produce multiple outputs for same inputs
        example_test.rego:12:
        data.example.todo_test_later: SKIPPED
        --------------------------------------------------------------------------------
        PASS: 2/5
        FAIL: 1/5
        SKIPPED: 1/5
        ERROR: 1/5
        """, PrettyTestReport.render(RESULTS, false));
  }

  @Test
  void prettyVerbosePrintsEveryTestThenFailures() {
    assertEquals("""
        example_test.rego:3:
        data.example.test_pass: PASS (1.5ms)
        example_test.rego:5:
        data.example.test_fail: FAIL (250µs)

          checked x

        example_test.rego:9:
        data.example.test_error: ERROR (42µs)
          example_test.rego:10: eval_conflict_error: functions must not produce multiple outputs for same inputs
        example_test.rego:12:
        data.example.todo_test_later: SKIPPED

        other_test.rego:4:
        data.other.test_pass: PASS (2s)
        --------------------------------------------------------------------------------
        FAILURES
        --------------------------------------------------------------------------------
        data.example.test_fail: FAIL (250µs)


        --------------------------------------------------------------------------------
        PASS: 2/5
        FAIL: 1/5
        SKIPPED: 1/5
        ERROR: 1/5
        """, PrettyTestReport.render(RESULTS, true));
  }

  @Test
  void prettyAllPassingPrintsOnlyTheCount() {
    assertEquals("PASS: 2/2\n", PrettyTestReport.render(List.of(RESULTS.get(0), RESULTS.get(4)), false));
  }

  @Test
  void jsonMatchesOpaKeysAndOmissions() {
    assertEquals("""
        [
          {
            "location": {
              "file": "example_test.rego",
              "row": 3,
              "col": 1
            },
            "package": "data.example",
            "name": "test_pass",
            "duration": 1500000
          },
          {
            "location": {
              "file": "example_test.rego",
              "row": 5,
              "col": 1
            },
            "package": "data.example",
            "name": "test_fail",
            "fail": true,
            "duration": 250000,
            "output": "Y2hlY2tlZCB4Cg=="
          },
          {
            "location": {
              "file": "example_test.rego",
              "row": 9,
              "col": 1
            },
            "package": "data.example",
            "name": "test_error",
            "error": {
              "code": "eval_conflict_error",
              "message": "functions must not produce multiple outputs for same inputs",
              "location": {
                "file": "example_test.rego",
                "row": 10,
                "col": 3
              }
            },
            "duration": 42000
          },
          {
            "location": {
              "file": "example_test.rego",
              "row": 12,
              "col": 1
            },
            "package": "data.example",
            "name": "todo_test_later",
            "skip": true,
            "duration": 0
          },
          {
            "location": {
              "file": "other_test.rego",
              "row": 4,
              "col": 1
            },
            "package": "data.other",
            "name": "test_pass",
            "duration": 2000000000
          }
        ]
        """, JsonTestReport.render(RESULTS));
  }

  @Test
  void junitHoldsEveryTestAndParses() throws Exception {
    String xml = JunitTestReport.render(RESULTS);
    assertEquals("""
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="policy test" tests="5" failures="1" errors="1" skipped="1" time="2.002">
          <testsuite name="data.example" tests="4" failures="1" errors="1" skipped="1" time="0.002">
            <testcase classname="data.example" name="test_pass" file="example_test.rego" line="3" time="0.002"/>
            <testcase classname="data.example" name="test_fail" file="example_test.rego" line="5" time="0.000">
              <failure message="data.example.test_fail: FAIL (250µs)" type="FAIL"/>
              <system-out>checked x
        </system-out>
            </testcase>
            <testcase classname="data.example" name="test_error" file="example_test.rego" line="9" time="0.000">
              <error message="example_test.rego:10: eval_conflict_error: functions must not produce multiple outputs for same inputs" type="ERROR">example_test.rego:10: eval_conflict_error: functions must not produce multiple outputs for same inputs</error>
            </testcase>
            <testcase classname="data.example" name="todo_test_later" file="example_test.rego" line="12" time="0.000">
              <skipped message="todo test"/>
            </testcase>
          </testsuite>
          <testsuite name="data.other" tests="1" failures="0" errors="0" skipped="0" time="2.000">
            <testcase classname="data.other" name="test_pass" file="other_test.rego" line="4" time="2.000"/>
          </testsuite>
        </testsuites>
        """, xml);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertEquals(5, doc.getElementsByTagName("testcase").getLength());
    Element failed = (Element) doc.getElementsByTagName("failure").item(0).getParentNode();
    assertEquals("test_fail", failed.getAttribute("name"));
  }

  @Test
  void junitEscapesWhatXmlCannotHoldVerbatim() throws Exception {
    String xml = JunitTestReport.render(List.of(new TestResult("data.x", "test_<&\"", null, Outcome.ERROR, 0, "",
        "a < b & \"c\"\u0001")));
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertEquals("test_<&\"", ((Element) doc.getElementsByTagName("testcase").item(0)).getAttribute("name"));
    assertTrue(doc.getElementsByTagName("error").item(0).getTextContent().startsWith("a < b & \"c\""));
  }

  @Test
  void tapMarksFailuresAndSkips() {
    assertEquals("""
        TAP version 13
        1..5
        ok 1 - data.example.test_pass
        not ok 2 - data.example.test_fail
          ---
          outcome: fail
          at: example_test.rego:5
          output: "checked x"
          ...
        not ok 3 - data.example.test_error
          ---
          outcome: error
          at: example_test.rego:9
          message: "example_test.rego:10: eval_conflict_error: functions must not produce multiple outputs for same inputs"
          ...
        ok 4 - data.example.todo_test_later # SKIP todo test
        ok 5 - data.other.test_pass
        """, TapTestReport.render(RESULTS));
  }

  @Test
  void coverageReportsRangesPerFileAsOpa() {
    var coverage = Map.of(
        "b.rego", new FileCoverage(new TreeSet<>(List.of(1, 2, 3, 7)), new TreeSet<>(List.of(5))),
        "a.rego", new FileCoverage(new TreeSet<>(List.of(4)), new TreeSet<>()));
    assertEquals("""
        {
          "files": {
            "a.rego": {
              "covered": [
                {
                  "start": {
                    "row": 4
                  },
                  "end": {
                    "row": 4
                  }
                }
              ],
              "covered_lines": 1,
              "coverage": 100
            },
            "b.rego": {
              "covered": [
                {
                  "start": {
                    "row": 1
                  },
                  "end": {
                    "row": 3
                  }
                },
                {
                  "start": {
                    "row": 7
                  },
                  "end": {
                    "row": 7
                  }
                }
              ],
              "not_covered": [
                {
                  "start": {
                    "row": 5
                  },
                  "end": {
                    "row": 5
                  }
                }
              ],
              "covered_lines": 4,
              "not_covered_lines": 1,
              "coverage": 80
            }
          },
          "covered_lines": 5,
          "not_covered_lines": 1,
          "coverage": 83.33
        }
        """, CoverageReport.render(coverage));
  }
}
