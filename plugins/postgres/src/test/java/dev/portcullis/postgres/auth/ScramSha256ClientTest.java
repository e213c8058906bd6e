package dev.portcullis.postgres.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Against the worked example of RFC 7677 section 3 (user "user", password "pencil"). */
class ScramSha256ClientTest {
  private static final String NONCE = "rOprNGfwEbeRWgbNEkqO";
  private static final String SERVER_FIRST =
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

  @Test
  void producesTheRfcClientProofAndAcceptsTheRfcServerSignature() throws Exception {
    ScramSha256Client scram = new ScramSha256Client("user", "pencil", NONCE);
    assertEquals("n,,n=user,r=" + NONCE, scram.clientFirst());
    assertEquals("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
        + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", scram.clientFinal(SERVER_FIRST));
    scram.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  }

  @Test
  void postgresStyleFirstMessageLeavesTheUserToTheStartupMessage() {
    assertTrue(new ScramSha256Client("secret").clientFirst().startsWith("n,,n=,r="));
  }

  @Test
  void refusesAServerThatCannotProveItKnowsThePassword() throws Exception {
    ScramSha256Client scram = new ScramSha256Client("user", "pencil", NONCE);
    scram.clientFirst();
    scram.clientFinal(SERVER_FIRST);
    AuthenticationFailed e = assertThrows(AuthenticationFailed.class,
        () -> scram.verifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    assertTrue(e.getMessage().contains("server signature does not match"));
  }

  @Test
  void refusesAServerNonceThatDoesNotExtendOurs() {
    ScramSha256Client scram = new ScramSha256Client("user", "pencil", NONCE);
    scram.clientFirst();
    assertThrows(AuthenticationFailed.class, () -> scram.clientFinal("r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
    assertThrows(AuthenticationFailed.class, () -> scram.clientFinal("r=" + NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
  }

  @Test
  void reportsTheServersError() {
    ScramSha256Client scram = new ScramSha256Client("user", "pencil", NONCE);
    AuthenticationFailed e = assertThrows(AuthenticationFailed.class, () -> scram.verifyServerFinal("e=invalid-proof"));
    assertTrue(e.getMessage().contains("invalid-proof"));
  }

  @Test
  void md5ResponseMatchesPostgresFormula() {
    // "md5" + md5hex(md5hex("secret" + "alice") + salt), as libpq computes it (checked with Python's hashlib).
    assertEquals("md598a0412b9c31436fc53776e863350083", Md5Password.response("alice", "secret", new byte[] {1, 2, 3, 4}));
  }
}
