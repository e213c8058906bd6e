package dev.portcullis.ledger;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the ledger lives and how it signs.
 *
 * @param dir                 folder of segment files (the embedded store); null when {@code jdbcUrl} is set
 * @param jdbcUrl             PostgreSQL store shared by several gateway replicas; null for the folder store
 * @param signingKey          Ed25519 private key file written by {@code ledger keygen}
 * @param origin              the checkpoint origin line, e.g. {@code portcullis.example/ledger}
 * @param checkpointEvery     sign a checkpoint at least every this many entries
 * @param checkpointInterval  ... or at least this often while entries arrive, and as a heartbeat while idle
 */
public record LedgerConfig(Path dir, String jdbcUrl, Path signingKey, String origin, int checkpointEvery,
                           Duration checkpointInterval) {}
