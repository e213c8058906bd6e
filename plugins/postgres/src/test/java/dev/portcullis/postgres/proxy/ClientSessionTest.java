package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientSessionTest {
  @Test
  void justificationComesFromTheOptionsParameter() {
    assertEquals("ticket-42", ClientSession.justification("-c justification=ticket-42"));
    assertEquals("ticket 42", ClientSession.justification("-c statement_timeout=5s --justification=ticket\\ 42"));
    assertEquals("INC-7", ClientSession.justification("-cportcullis.justification=INC-7"));
    assertNull(ClientSession.justification("-c statement_timeout=5s"));
    assertNull(ClientSession.justification(null));
  }

  @Test
  void onlyBlanksAndSemicolonsMakeAnEmptyQuery() {
    assertTrue(ClientSession.isEmpty(""));
    assertTrue(ClientSession.isEmpty(" ;\n; "));
    assertFalse(ClientSession.isEmpty(";SELECT 1"));
    assertFalse(ClientSession.isEmpty("-- only a comment"));
  }
}
