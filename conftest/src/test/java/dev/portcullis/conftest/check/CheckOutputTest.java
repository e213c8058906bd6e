package dev.portcullis.conftest.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/** Golden output of conftest's formats for one file with a failure, a warning, an exception and successes. */
class CheckOutputTest {
  static final ObjectNode META = JsonNodeFactory.instance.objectNode().put("severity", "high");
  static final ObjectNode LOC = JsonNodeFactory.instance.objectNode().put("file", "bad.yaml").put("line", 3);

  static final List<CheckResult> RESULTS = List.of(
      new CheckResult("bad.yaml", "config", 2,
          List.of(Finding.of("no connections: is this a Portcullis gateway config?")),
          List.of(new Finding("upstream <db> & \"prod\" lacks TLS", LOC, META), Finding.of("inline secret")),
          List.of(Finding.of("data.config.exception[_][_] == \"inline\""))),
      new CheckResult("good.yaml", "config", 3, List.of(), List.of(), List.of()),
      new CheckResult("good.yaml", "config_test", 0, List.of(), List.of(), List.of()));

  @Test
  void stdoutListsFindingsThenTheSummaryLine() {
    assertEquals("""
        WARN - bad.yaml - config - no connections: is this a Portcullis gateway config?
        FAIL - bad.yaml - config - upstream <db> & "prod" lacks TLS
        FAIL - bad.yaml - config - inline secret
        EXCP - bad.yaml - config - data.config.exception[_][_] == "inline"

        9 tests, 5 passed, 1 warning, 2 failures, 1 exception
        """, CheckOutput.STDOUT.render(RESULTS));
  }

  @Test
  void summaryPluralsAreExact() {
    assertEquals("1 test, 1 passed, 0 warnings, 0 failures, 0 exceptions", CheckOutput.summary(1, 1, 0, 0, 0));
    assertEquals("3 tests, 0 passed, 1 warning, 1 failure, 1 exception", CheckOutput.summary(3, 0, 1, 1, 1));
    assertEquals("\n0 tests, 0 passed, 0 warnings, 0 failures, 0 exceptions\n", CheckOutput.STDOUT.render(List.of()));
  }

  @Test
  void jsonIsTabIndentedWithEmptyListsLeftOut() {
    assertEquals("""
        [
        \t{
        \t\t"filename": "bad.yaml",
        \t\t"namespace": "config",
        \t\t"successes": 2,
        \t\t"warnings": [
        \t\t\t{
        \t\t\t\t"msg": "no connections: is this a Portcullis gateway config?"
        \t\t\t}
        \t\t],
        \t\t"failures": [
        \t\t\t{
        \t\t\t\t"msg": "upstream \\u003cdb\\u003e \\u0026 \\"prod\\" lacks TLS",
        \t\t\t\t"loc": {
        \t\t\t\t\t"file": "bad.yaml",
        \t\t\t\t\t"line": 3
        \t\t\t\t},
        \t\t\t\t"metadata": {
        \t\t\t\t\t"severity": "high"
        \t\t\t\t}
        \t\t\t},
        \t\t\t{
        \t\t\t\t"msg": "inline secret"
        \t\t\t}
        \t\t],
        \t\t"exceptions": [
        \t\t\t{
        \t\t\t\t"msg": "data.config.exception[_][_] == \\"inline\\""
        \t\t\t}
        \t\t]
        \t},
        \t{
        \t\t"filename": "good.yaml",
        \t\t"namespace": "config",
        \t\t"successes": 3
        \t},
        \t{
        \t\t"filename": "good.yaml",
        \t\t"namespace": "config_test",
        \t\t"successes": 0
        \t}
        ]
        """, CheckOutput.JSON.render(RESULTS));
  }

  @Test
  void tapGroupsFailuresWarningsExceptionsAndSuccesses() {
    assertEquals("""
        1..6
        not ok 1 - bad.yaml - config - upstream <db> & "prod" lacks TLS
        not ok 2 - bad.yaml - config - inline secret
        # warnings
        not ok 3 - bad.yaml - config - no connections: is this a Portcullis gateway config?
        # exceptions
        ok 4 - bad.yaml - config - data.config.exception[_][_] == "inline"
        # successes
        ok 5 - bad.yaml - config - SUCCESS
        ok 6 - bad.yaml - config - SUCCESS
        1..3
        # successes
        ok 1 - good.yaml - config - SUCCESS
        ok 2 - good.yaml - config - SUCCESS
        ok 3 - good.yaml - config - SUCCESS
        """, CheckOutput.TAP.render(RESULTS));
  }

  @Test
  void junitIsOneSuitePerNamespaceAndParses() throws Exception {
    String xml = CheckOutput.JUNIT.render(RESULTS);
    String version = "java" + Runtime.version().feature();
    assertEquals("""
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites>
        \t<testsuite tests="8" failures="3" time="0.000" name="conftest.config">
        \t\t<properties>
        \t\t\t<property name="go.version" value="%s"></property>
        \t\t</properties>
        \t\t<testcase classname="conftest.config" name="bad.yaml - no connections: is this a Portcullis gateway config?" time="0.000">
        \t\t\t<failure message="Failed" type="">no connections: is this a Portcullis gateway config?</failure>
        \t\t</testcase>
        \t\t<testcase classname="conftest.config" name="bad.yaml - upstream &lt;db&gt; &amp; &#34;prod&#34; lacks TLS" time="0.000">
        \t\t\t<failure message="Failed" type="">upstream &lt;db&gt; &amp; &#34;prod&#34; lacks TLS</failure>
        \t\t</testcase>
        \t\t<testcase classname="conftest.config" name="bad.yaml - inline secret" time="0.000">
        \t\t\t<failure message="Failed" type="">inline secret</failure>
        \t\t</testcase>
        \t\t<testcase classname="conftest.config" name="bad.yaml" time="0.000"></testcase>
        \t\t<testcase classname="conftest.config" name="bad.yaml" time="0.000"></testcase>
        \t\t<testcase classname="conftest.config" name="good.yaml" time="0.000"></testcase>
        \t\t<testcase classname="conftest.config" name="good.yaml" time="0.000"></testcase>
        \t\t<testcase classname="conftest.config" name="good.yaml" time="0.000"></testcase>
        \t</testsuite>
        </testsuites>
        """.formatted(version), xml);
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertEquals(8, doc.getElementsByTagName("testcase").getLength());
    assertEquals(3, doc.getElementsByTagName("failure").getLength());
  }

  @Test
  void junitWithoutResultsIsAnEmptyTestsuitesElement() {
    assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites></testsuites>\n",
        CheckOutput.JUNIT.render(List.of()));
  }
}
