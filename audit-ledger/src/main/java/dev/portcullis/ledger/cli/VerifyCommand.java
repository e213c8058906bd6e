package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.store.LedgerStore;
import dev.portcullis.ledger.verify.ExportManifest;
import dev.portcullis.ledger.verify.Verifier;
import dev.portcullis.ledger.verify.VerifyReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", description = {
    "Checks every entry (hash, prev link, contiguous seq), every checkpoint (signature, root recomputed from the",
    "entries, forks) and the trusted checkpoint (rollback, truncation, fork). Exit 0 only when all is valid."})
final class VerifyCommand extends LedgerSubcommand {
  @Mixin
  Source source;

  @Option(names = "--key", paramLabel = "VKEY", description = "Ledger public key: vkey text or a file holding it")
  String key;

  @Option(names = "--trusted-checkpoint", paramLabel = "FILE", description = "A checkpoint saved earlier")
  Path trustedCheckpoint;

  @Mixin
  OutputFormat output;

  @Override
  int run() throws LedgerException {
    boolean json = output.json();
    NoteKeys.Verifier trusted = trustedKey();
    String trustedNote = null;
    if (trustedCheckpoint != null) {
      try {
        trustedNote = Files.readString(trustedCheckpoint, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new LedgerException("cannot read " + trustedCheckpoint + ": " + e.getMessage(), e);
      }
    }
    VerifyReport report;
    try (LedgerStore store = source.open()) {
      ExportManifest manifest = null;
      Path folder = source.folder();
      if (folder != null) {
        try {
          manifest = ExportManifest.read(folder);
        } catch (IOException e) {
          throw new LedgerException(e.getMessage(), e);
        }
      }
      Progress progress = Progress.forTerminal(store.size());
      report = new Verifier(trusted, trustedNote, progress).verify(store, manifest);
      progress.done();
    }
    System.out.print(json ? report.json() : report.text());
    return report.ok() ? 0 : 1;
  }

  private NoteKeys.Verifier trustedKey() throws LedgerException {
    if (key != null) {
      try {
        return NoteKeys.readVerifier(key);
      } catch (IOException | IllegalArgumentException e) {
        throw new LedgerException("bad --key: " + e.getMessage(), e);
      }
    }
    if (source.config != null) return source.configuredKey();
    throw new LedgerException("give the ledger's public key with --key VKEY (text or file)");
  }

  /** A progress line on the terminal (stderr), only when there is a terminal and enough entries to wait for. */
  static final class Progress implements LongConsumer {
    private final long total;
    private final boolean show;

    private Progress(long total, boolean show) {
      this.total = total;
      this.show = show;
    }

    static Progress forTerminal(long total) {
      return new Progress(total, System.console() != null && total >= 100_000);
    }

    @Override
    public void accept(long done) {
      if (!show) return;
      int width = 40;
      int filled = (int) (width * Math.min(done, total) / Math.max(total, 1));
      System.err.print("\rverifying [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
      System.err.flush();
    }

    void done() {
      if (show) System.err.print("\r" + " ".repeat(70) + "\r");
    }
  }
}
