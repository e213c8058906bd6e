package dev.portcullis.conftest.test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.conftest.format.GoJson;
import dev.portcullis.rego.tester.TestReport.FileCoverage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * {@code opa test --coverage}: the JSON coverage report with covered and not covered line ranges per file, line
 * counts and percentages rounded to two decimals.
 */
public final class CoverageReport {
  private CoverageReport() {}

  public static String render(Map<String, FileCoverage> coverage) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode report = f.objectNode();
    ObjectNode files = report.putObject("files");
    int covered = 0;
    int notCovered = 0;
    for (Map.Entry<String, FileCoverage> e : new TreeMap<>(coverage).entrySet()) {
      FileCoverage c = e.getValue();
      ObjectNode file = files.putObject(e.getKey());
      if (!c.covered().isEmpty()) file.set("covered", ranges(c.covered()));
      if (!c.notCovered().isEmpty()) file.set("not_covered", ranges(c.notCovered()));
      if (!c.covered().isEmpty()) file.put("covered_lines", c.covered().size());
      if (!c.notCovered().isEmpty()) file.put("not_covered_lines", c.notCovered().size());
      BigDecimal pct = percent(c.covered().size(), c.notCovered().size());
      if (pct.signum() != 0) file.put("coverage", pct);
      covered += c.covered().size();
      notCovered += c.notCovered().size();
    }
    report.put("covered_lines", covered);
    report.put("not_covered_lines", notCovered);
    report.put("coverage", percent(covered, notCovered));
    return GoJson.write(report, "  ") + "\n";
  }

  /** Percentage of covered lines, two decimals; a file without rule lines counts as fully covered, as in opa. */
  public static BigDecimal percent(int covered, int notCovered) {
    int total = covered + notCovered;
    if (total == 0) return BigDecimal.valueOf(100);
    return BigDecimal.valueOf(covered * 100L).divide(BigDecimal.valueOf(total), 2, RoundingMode.HALF_UP);
  }

  private static ArrayNode ranges(SortedSet<Integer> lines) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    Integer start = null;
    Integer end = null;
    for (int line : lines) {
      if (end != null && line == end + 1) {
        end = line;
        continue;
      }
      if (start != null) range(out, start, end);
      start = line;
      end = line;
    }
    if (start != null) range(out, start, end);
    return out;
  }

  private static void range(ArrayNode out, int start, int end) {
    ObjectNode r = out.addObject();
    r.putObject("start").put("row", start);
    r.putObject("end").put("row", end);
  }
}
