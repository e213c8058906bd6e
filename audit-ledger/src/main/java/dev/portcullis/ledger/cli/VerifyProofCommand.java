package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.note.NoteException;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.verify.Verifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify-proof", description = "Checks a tlog-proof from `ledger prove` and prints the proven entry.")
final class VerifyProofCommand extends LedgerSubcommand {
  @Parameters(index = "0", paramLabel = "PROOF_FILE")
  Path proof;

  @Option(names = "--key", required = true, paramLabel = "VKEY", description = "Ledger public key: text or file")
  String key;

  @Override
  int run() throws LedgerException {
    try {
      String entry = Verifier.verifyProof(Files.readString(proof, StandardCharsets.UTF_8), NoteKeys.readVerifier(key));
      System.out.println(entry);
      System.out.println("proof valid: the entry is included in the checkpoint signed by " + key.strip());
      return 0;
    } catch (NoteException | IllegalArgumentException e) {
      throw new LedgerException("proof invalid: " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new LedgerException("cannot read " + e.getMessage(), e);
    }
  }
}
