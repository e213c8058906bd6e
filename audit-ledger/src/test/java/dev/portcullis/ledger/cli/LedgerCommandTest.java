package dev.portcullis.ledger.cli;

import static dev.portcullis.ledger.LedgerFixture.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.ledger.LedgerFixture;
import dev.portcullis.ledger.LedgerFixture.Run;
import dev.portcullis.ledger.note.NoteKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auditor's and the operator's commands, end to end. */
class LedgerCommandTest {
  @TempDir
  Path tmp;

  private LedgerFixture f;

  @BeforeEach
  void ledgerWithThirtyEntries() throws Exception {
    f = new LedgerFixture(tmp);
    f.write(30, 10);
  }

  private static Run ok(String... args) {
    Run run = cli(args);
    assertEquals(0, run.exit(), String.join(" ", args) + " failed:\n" + run.out() + run.err());
    return run;
  }

  @Test
  void keygenWritesAKeyPairAndPrintsTheVkey() throws Exception {
    Path key = tmp.resolve("keys/new.key");
    Run run = ok("keygen", "--origin", "example.com/log", "--out", key.toString());
    String vkey = run.out().strip();
    assertTrue(vkey.matches("example\\.com/log\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}"), vkey);
    assertEquals(vkey, NoteKeys.readSigner(key).verifier().vkey());
    assertEquals(vkey, Files.readString(tmp.resolve("keys/new.key.pub")).strip());
    Run again = cli("keygen", "--origin", "example.com/log", "--out", key.toString());
    assertEquals(1, again.exit());
    assertEquals("ledger: " + key + " already exists; refusing to overwrite a key\n", again.err());
  }

  @Test
  void verifyWithTheConfigurationUsesTheConfiguredKey() {
    Run run = ok("verify", "--config", f.config.toString());
    assertEquals("entries: 30 valid of 30; checkpoints: 3 valid of 3; unanchored: 0\n", run.out());
  }

  @Test
  void checkpointPrintsTheLatestSignedNote() {
    String note = ok("checkpoint", "--config", f.config.toString()).out();
    assertTrue(note.startsWith(LedgerFixture.ORIGIN + "\n30\n"), note);
    assertTrue(note.contains("\n\n\u2014 " + LedgerFixture.ORIGIN + " "), note);
  }

  @Test
  void showPrintsTheStoredJsonOnePerLine() throws Exception {
    String out = ok("show", "--config", f.config.toString(), "--from", "5", "--to", "7", "--format", "json").out();
    String[] lines = out.split("\n");
    assertEquals(3, lines.length);
    JsonNode e = new ObjectMapper().readTree(lines[0]);
    assertEquals(5, e.get("seq").asLong());
    assertEquals("req_5", e.get("request_id").asText());
    assertEquals(64, e.get("statement_sha256").asText().length());
    String text = ok("show", "--config", f.config.toString(), "--from", "29").out();
    assertTrue(text.matches("29 \\S+Z decision request=req_29 subject=cursor-agent action=query outcome=mask"
        + " statement=\"SELECT email FROM customers WHERE id = -?\\d+\"\n"), text);
  }

  @Test
  void aFullExportVerifiesWithOnlyThePublicKeyFile() {
    Path out = tmp.resolve("export");
    ok("export", "--config", f.config.toString(), "--out", out.toString());
    assertTrue(Files.exists(out.resolve("ledger.vkey")));
    Run run = ok("verify", out.toString(), "--key", out.resolve("ledger.vkey").toString());
    assertEquals("entries: 30 valid of 30; checkpoints: 3 valid of 3; unanchored: 0\n", run.out());
  }

  @Test
  void aPartialExportCarriesThePrefixAndConsistencyProofs() throws Exception {
    Path out = tmp.resolve("export");
    ok("export", "--config", f.config.toString(), "--out", out.toString(), "--from", "15", "--to", "24");
    Run run = ok("verify", out.toString(), "--key", out.resolve("ledger.vkey").toString());
    assertEquals("entries: 10 valid of 10; checkpoints: 2 valid of 2; unanchored: 5\nx".replace("\nx", "\n"),
        run.out().substring(run.out().indexOf("entries:")));
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("export.json").toFile());
    assertEquals(1, manifest.get("consistency").size());
    // A forged prefix makes the checkpoints that need it fail.
    ((com.fasterxml.jackson.databind.node.ArrayNode) manifest.get("prefix_roots")).set(0,
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    new ObjectMapper().writeValue(out.resolve("export.json").toFile(), manifest);
    Run forged = cli("verify", out.toString(), "--key", out.resolve("ledger.vkey").toString());
    assertEquals(1, forged.exit());
    assertTrue(forged.out().contains("checkpoint 1 (size 20): its root does not match"), forged.out());
  }

  @Test
  void proveGivesATlogProofThatVerifiesOnItsOwn() throws Exception {
    String proof = ok("prove", "--config", f.config.toString(), "req_12").out();
    assertTrue(proof.startsWith("c2sp.org/tlog-proof@v1\nextra "), proof);
    assertTrue(proof.contains("\nindex 12\n"), proof);
    Path file = tmp.resolve("req_12.tlog-proof");
    Files.writeString(file, proof);
    Run run = ok("verify-proof", file.toString(), "--key", tmp.resolve("ledger.key.pub").toString());
    assertTrue(run.out().contains("\"request_id\":\"req_12\""), run.out());

    Files.writeString(file, proof.replace("\nindex 12\n", "\nindex 13\n"));
    Run bad = cli("verify-proof", file.toString(), "--key", tmp.resolve("ledger.key.pub").toString());
    assertEquals(1, bad.exit());
    assertTrue(bad.err().startsWith("ledger: proof invalid: inclusion proof fails"), bad.err());
  }

  @Test
  void proveNamesAMissingRequest() {
    Run run = cli("prove", "--config", f.config.toString(), "req_nope");
    assertEquals(1, run.exit());
    assertEquals("ledger: no entry with request_id req_nope in the 30 entries covered by the latest checkpoint\n",
        run.err());
  }

  @Test
  void rotateKeyHandsOverToTheNewKeyAndBothVerify() {
    Path next = tmp.resolve("next.key");
    ok("keygen", "--origin", LedgerFixture.ORIGIN, "--out", next.toString());
    Run run = ok("rotate-key", "--config", f.config.toString(), "--new-key", next.toString());
    assertEquals("rotated at seq 30; now set ledger.signing_key to " + next + "\n", run.out());
    ok("verify", f.dir.toString(), "--key", tmp.resolve("ledger.key.pub").toString());
    Run withNew = ok("verify", f.dir.toString(), "--key", tmp.resolve("next.key.pub").toString());
    assertEquals("entries: 31 valid of 31; checkpoints: 4 valid of 4; unanchored: 0\n", withNew.out());
  }

  @Test
  void usageErrorsSayWhatIsMissing() {
    Run run = cli("verify", f.dir.toString());
    assertEquals(1, run.exit());
    assertEquals("ledger: give the ledger's public key with --key VKEY (text or file)\n", run.err());
    Run both = cli("show");
    assertEquals("ledger: give either --config FILE or a ledger folder DIR\n", both.err());
    Run missing = cli("verify", tmp.resolve("nowhere").toString(), "--key", f.signer.verifier().vkey());
    assertEquals("ledger: no ledger folder at " + tmp.resolve("nowhere") + "\n", missing.err());
  }
}
