package dev.portcullis.conftest.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How replay gets the policy input back from a ledger entry. */
class ReplayerInputTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void theRecordedInputIsUsedAsIs() throws Exception {
    var stored = json.readTree("{\"kind\":\"decision\",\"request\":{\"action\":\"connect\"},\"decision\":{}}");
    assertEquals(json.readTree("{\"action\":\"connect\"}"), Replayer.input(stored).orElseThrow());
    var entry = json.readTree("{\"kind\":\"decision\",\"input\":{\"action\":\"query\",\"x\":1},\"statement\":\"s\"}");
    assertEquals(json.readTree("{\"action\":\"query\",\"x\":1}"), Replayer.input(entry).orElseThrow());
  }

  @Test
  void aQueryIsRebuiltFromTheEntryFieldsAndItsAnalyzedStatements() throws Exception {
    var entry = json.readTree("""
        {"kind":"decision","request_id":"req_1","identity":{"subject":"a","groups":["agents"]},
         "connection":"local-postgres","protocol":"postgres","action":"query","statement":"SELECT 1",
         "statements":[{"text":"SELECT 1","type":"select"}],"decision":{"outcome":"allow"}}""");
    assertEquals(json.readTree("""
        {"request_id":"req_1","identity":{"subject":"a","groups":["agents"]},"protocol":"postgres",
         "action":"query","connection":{"name":"local-postgres"},
         "sql":{"text":"SELECT 1","statements":[{"text":"SELECT 1","type":"select"}]}}"""),
        Replayer.input(entry).orElseThrow());
  }

  @Test
  void aQueryWithoutAnalyzedStatementsCannotBeReplayed() throws Exception {
    var entry = json.readTree("{\"kind\":\"decision\",\"action\":\"query\",\"statement\":\"SELECT 1\"}");
    assertTrue(Replayer.input(entry).isEmpty());
  }

  @Test
  void aConnectNeedsNoStatements() throws Exception {
    var entry = json.readTree("{\"kind\":\"decision\",\"action\":\"connect\",\"connection\":{\"name\":\"c\"}}");
    assertEquals("connect", Replayer.input(entry).orElseThrow().get("action").asText());
  }
}
