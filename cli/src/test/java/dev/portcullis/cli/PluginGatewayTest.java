package dev.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seeds' scenario through the whole product: reference policy, PF4J-loaded module, real ledger. */
class PluginGatewayTest {
  static String first(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void badTokensGet28P01AndAreRecorded(@TempDir Path dir) throws Exception {
    PluginGateway gw = new PluginGateway(dir);
    var stranger = new ECKeyGenerator(Curve.P_256).keyID("portcullis-dev-1").generate();
    var claims = new JWTClaimsSet.Builder().issuer("https://dev.portcullis.local").audience("portcullis")
        .subject("mallory").expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
    var forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID("portcullis-dev-1").build(), claims);
    forged.sign(new ECDSASigner(stranger));
    try (gw) {
      for (String token : new String[] {"not-a-token", forged.serialize()}) {
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + gw.gateway.address("local-postgres").getPort() + "/" + gw.database
                + "?sslmode=disable", "mallory", token));
        assertEquals("28P01", e.getSQLState(), e.getMessage());
      }
    }
    String entries = gw.ledgerShow();
    assertEquals(2, entries.lines().filter(l -> l.contains("outcome=deny")).count(), entries);
    assertEquals(0, gw.verifyLedger().exit());
  }

  @Test
  void agentsReadMaskedDbasReadUnmaskedDdlAndGarbageAreDeniedAndTheLedgerVerifies(@TempDir Path dir) throws Exception {
    PluginGateway gw = new PluginGateway(dir);
    try (gw; Connection agent = gw.connect("cursor-agent", "agents"); Connection dba = gw.connect("alice", "dba")) {
      assertEquals("a***@example.com", first(agent, "SELECT email FROM customers WHERE id = 1"));
      String notes = first(agent, "SELECT notes FROM customers WHERE id = 2");
      assertTrue(!notes.contains("4012888888881881"), "a card number in free text is found by its detector: " + notes);
      assertEquals("ada@example.com", first(dba, "SELECT email FROM customers WHERE id = 1"));

      SQLException ddl = assertThrows(SQLException.class, () -> agent.createStatement().execute("DROP TABLE customers"));
      assertEquals("42501", ddl.getSQLState());
      SQLException garbage = assertThrows(SQLException.class, () -> agent.createStatement().execute("SELEKT * FROM customers"));
      assertEquals("42501", garbage.getSQLState(), garbage.getMessage());
      assertEquals("Ada Lovelace", first(agent, "SELECT name FROM customers WHERE id = 1"), "the session stays usable");
    }
    Run verify = gw.verifyLedger();
    assertEquals(0, verify.exit(), verify.out() + verify.err());
    String entries = gw.ledgerShow();
    for (String expected : new String[] {"policy_loaded", "outcome=mask", "outcome=allow", "outcome=deny", "execution_result"}) {
      assertTrue(entries.contains(expected), expected + " missing from:\n" + entries);
    }
  }
}
