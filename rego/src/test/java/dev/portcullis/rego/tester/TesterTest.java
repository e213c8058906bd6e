package dev.portcullis.rego.tester;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.rego.Policy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TesterTest {
  private static final String POLICY = """
      package authz

      allow if input.user == "alice"
      """;
  private static final String TESTS = """
      package authz_test

      import data.authz

      test_alice_allowed if authz.allow with input as {"user": "alice"}

      test_bob_allowed if {
        print("checking bob")
        authz.allow with input as {"user": "bob"}
      }

      test_error if 1 / 0 == 1

      todo_test_later if false
      """;

  @Test
  void reportsPassFailSkipWithPrintOutputAndLocations() throws Exception {
    Policy p = Policy.compile(Map.of("authz.rego", POLICY, "authz_test.rego", TESTS), null);
    TestReport report = Tester.run(p, name -> true, false);
    List<TestResult> rs = report.results();
    assertEquals(4, rs.size());
    assertEquals("data.authz_test", rs.get(0).pkg());
    assertEquals("test_alice_allowed", rs.get(0).name());
    assertEquals(TestResult.Outcome.PASS, rs.get(0).outcome());
    assertEquals(TestResult.Outcome.FAIL, rs.get(1).outcome());
    assertEquals("checking bob\n", rs.get(1).output());
    assertEquals(7, rs.get(1).location().row());
    // a built-in error without strict mode is undefined: the test fails rather than errors, as in opa test
    assertEquals(TestResult.Outcome.FAIL, rs.get(2).outcome());
    assertEquals(TestResult.Outcome.SKIPPED, rs.get(3).outcome());
  }

  @Test
  void filterSelectsTestsByFullName() throws Exception {
    Policy p = Policy.compile(Map.of("authz.rego", POLICY, "authz_test.rego", TESTS), null);
    TestReport report = Tester.run(p, name -> name.endsWith("alice_allowed"), false);
    assertEquals(1, report.results().size());
  }

  @Test
  void coverageSplitsRuleLinesIntoCoveredAndNot() throws Exception {
    Policy p = Policy.compile(Map.of("authz.rego", POLICY + "deny if input.user == \"mallory\"\n",
        "authz_test.rego", "package authz_test\ntest_a if data.authz.allow with input as {\"user\": \"alice\"}\n"),
        null);
    TestReport report = Tester.run(p, name -> true, true);
    TestReport.FileCoverage c = report.coverage().get("authz.rego");
    assertNotNull(c);
    assertTrue(c.covered().contains(3), c.toString());
    assertTrue(c.notCovered().contains(4), c.toString());
  }

  @Test
  void coverageMarksTheHeadOfEveryRuleKindThatProducedAValue() throws Exception {
    String policy = """
        package authz

        default allow := false

        allow if {
          input.user == "alice"
        }

        reasons contains msg if {
          input.user != "alice"
          msg := "not alice"
        }

        limits[name] := n if {
          some name, n in {"reads": 1}
        }

        size(x) := 1 if {
          x == 1
        }

        default size(_) := 0

        unused contains 1 if {
          input.never
        }

        names := [n |
          some n in ["a"]
        ]

        never := [n |
          some n in input.never
        ] if input.never
        """;
    String tests = """
        package authz_test

        import data.authz

        test_bob if {
          not authz.allow with input as {"user": "bob"}
          authz.reasons == {"not alice"} with input as {"user": "bob"}
          authz.limits.reads == 1
          authz.size(2) == 0
          authz.names == ["a"]
        }
        """;
    Policy p = Policy.compile(Map.of("authz.rego", policy, "authz_test.rego", tests), null);
    TestReport report = Tester.run(p, name -> true, true);
    assertEquals(TestResult.Outcome.PASS, report.results().get(0).outcome());
    TestReport.FileCoverage c = report.coverage().get("authz.rego");
    // heads of rules that produced a value: default, partial set, partial object, default function
    for (int line : List.of(3, 9, 14, 22)) assertTrue(c.covered().contains(line), line + " in " + c);
    // heads whose bodies never succeeded stay uncovered, as in opa
    for (int line : List.of(5, 18, 24, 25)) assertTrue(c.notCovered().contains(line), line + " in " + c);
    // comprehension bodies count like any other expression
    assertTrue(c.covered().contains(29), c.toString());
    assertTrue(c.notCovered().contains(33), c.toString());
  }
}
