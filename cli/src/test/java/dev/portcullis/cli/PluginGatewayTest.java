package dev.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginGatewayTest {
  @Test
  void servesPostgresThroughTheModuleLoadedFromThePluginsFolder(@TempDir Path dir) throws Exception {
    PluginGateway gw = new PluginGateway(dir);
    try (gw; Connection c = gw.connect("cursor-agent", "agents")) {
      try (ResultSet rs = c.createStatement().executeQuery("SELECT email FROM customers WHERE id = 1")) {
        rs.next();
        assertEquals("a***@example.com", rs.getString(1));
      }
      SQLException denied = assertThrows(SQLException.class, () -> c.createStatement().execute("DROP TABLE customers"));
      assertEquals("42501", denied.getSQLState());
      assertTrue(denied.getMessage().contains("agents may only read"), denied.getMessage());
    }
    Run verify = gw.verifyLedger();
    assertEquals(0, verify.exit(), verify.out() + verify.err());
    String entries = gw.ledgerShow();
    for (String kind : new String[] {"policy_loaded", "decision", "execution_result"}) {
      assertTrue(entries.contains(kind), kind + " missing from:\n" + entries);
    }
  }
}
