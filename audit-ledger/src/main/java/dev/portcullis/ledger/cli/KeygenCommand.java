package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.note.NoteKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "keygen", description = "Writes an Ed25519 key pair (FILE: private, FILE.pub: vkey) and prints the vkey.")
final class KeygenCommand extends LedgerSubcommand {
  @Option(names = "--origin", required = true, description = "Log origin and key name, e.g. portcullis.example/ledger")
  String origin;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Private key file to create")
  Path out;

  @Override
  int run() throws LedgerException {
    NoteKeys.Signer key;
    try {
      key = NoteKeys.generate(origin);
    } catch (IllegalArgumentException e) {
      throw new LedgerException(e.getMessage(), e);
    }
    Path pub = out.resolveSibling(out.getFileName() + ".pub");
    try {
      if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, key.skey() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      Files.writeString(pub, key.verifier().vkey() + "\n", StandardCharsets.UTF_8);
    } catch (FileAlreadyExistsException e) {
      throw new LedgerException(out + " already exists; refusing to overwrite a key");
    } catch (IOException e) {
      throw new LedgerException("cannot write the key: " + e.getMessage(), e);
    }
    System.out.println(key.verifier().vkey());
    return 0;
  }
}
