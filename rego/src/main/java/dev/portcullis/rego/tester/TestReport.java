package dev.portcullis.rego.tester;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * Results of a test run, in the order of the source files and rules.
 *
 * @param results  one entry per test rule
 * @param coverage per source file, which rule lines ran and which did not; empty unless coverage was asked for
 */
public record TestReport(List<TestResult> results, Map<String, FileCoverage> coverage) {
  /** Line numbers (from 1) of the rule heads and body expressions that ran, and of those that never did. */
  public record FileCoverage(SortedSet<Integer> covered, SortedSet<Integer> notCovered) {}
}
