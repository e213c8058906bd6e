package dev.portcullis.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
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
 * @param checkpointInterval  ... or at least this often while entries arrive
 * @param heartbeatInterval   ... and this often while idle, so a checkpoint's age shows the log is alive
 */
public record LedgerConfig(Path dir, String jdbcUrl, Path signingKey, String origin, int checkpointEvery,
                           Duration checkpointInterval, Duration heartbeatInterval) {
  public static final int DEFAULT_CHECKPOINT_EVERY = 1000;
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMinutes(1);

  public LedgerConfig {
    if ((dir == null) == (jdbcUrl == null)) {
      throw new IllegalArgumentException("ledger: set exactly one of dir and jdbc_url");
    }
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("ledger: jdbc_url must be a PostgreSQL URL (jdbc:postgresql://...), got " + jdbcUrl);
    }
    if (origin == null || origin.isBlank()) throw new IllegalArgumentException("ledger: origin is required");
    if (checkpointEvery <= 0) throw new IllegalArgumentException("ledger: checkpoint_every must be positive");
    if (checkpointInterval == null || checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("ledger: checkpoint_interval must be positive");
    }
    if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("ledger: heartbeat_interval must be positive");
    }
  }

  /** The form the gateway uses; the heartbeat defaults to one minute. */
  public LedgerConfig(Path dir, String jdbcUrl, Path signingKey, String origin, int checkpointEvery,
                      Duration checkpointInterval) {
    this(dir, jdbcUrl, signingKey, origin, checkpointEvery, checkpointInterval, DEFAULT_HEARTBEAT_INTERVAL);
  }

  /**
   * Reads the {@code ledger:} section of the gateway's YAML configuration, ignoring every other key:
   * <pre>
   * ledger:
   *   dir: var/ledger                 # or jdbc_url: jdbc:postgresql://host:5432/db?user=...
   *   signing_key: keys/ledger.key
   *   origin: portcullis.example/ledger
   *   checkpoint_every: 1000          # optional
   *   checkpoint_interval: 1s         # optional: ms, s, m, h or an ISO-8601 duration
   *   heartbeat_interval: 60s         # optional
   * </pre>
   * Relative paths are resolved against the configuration file's folder.
   */
  public static LedgerConfig fromYaml(Path configFile) throws LedgerException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(configFile.toFile());
    } catch (IOException e) {
      throw new LedgerException("cannot read configuration " + configFile + ": " + e.getMessage(), e);
    }
    JsonNode ledger = root == null ? null : root.get("ledger");
    if (ledger == null || !ledger.isObject()) {
      throw new LedgerException(configFile + " has no 'ledger:' section");
    }
    Path base = configFile.toAbsolutePath().getParent();
    try {
      return new LedgerConfig(
          path(base, text(ledger, "dir")),
          text(ledger, "jdbc_url"),
          path(base, required(ledger, "signing_key", configFile)),
          required(ledger, "origin", configFile),
          ledger.has("checkpoint_every") ? positiveInt(ledger.get("checkpoint_every")) : DEFAULT_CHECKPOINT_EVERY,
          ledger.has("checkpoint_interval") ? duration(text(ledger, "checkpoint_interval")) : DEFAULT_CHECKPOINT_INTERVAL,
          ledger.has("heartbeat_interval") ? duration(text(ledger, "heartbeat_interval")) : DEFAULT_HEARTBEAT_INTERVAL);
    } catch (IllegalArgumentException e) {
      throw new LedgerException(configFile + ": " + e.getMessage(), e);
    }
  }

  /** Parses {@code 250ms}, {@code 1s}, {@code 5m}, {@code 1h}, a bare number of milliseconds, or an ISO-8601 duration. */
  static Duration duration(String text) {
    if (text == null) throw new IllegalArgumentException("ledger: empty duration");
    String t = text.strip();
    try {
      if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      if (t.endsWith("h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      if (t.startsWith("P") || t.startsWith("p")) return Duration.parse(t);
      return Duration.ofMillis(Long.parseLong(t));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("ledger: '" + text + "' is not a duration (e.g. 500ms, 1s, 5m, 1h)");
    }
  }

  private static int positiveInt(JsonNode node) {
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() <= 0) {
      throw new IllegalArgumentException("ledger: checkpoint_every must be a positive integer, got " + node);
    }
    return node.intValue();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String required(JsonNode node, String field, Path file) {
    String v = text(node, field);
    if (v == null || v.isBlank()) throw new IllegalArgumentException("ledger." + field + " is required");
    return v;
  }

  private static Path path(Path base, String value) {
    if (value == null) return null;
    Path p = Path.of(value);
    return p.isAbsolute() ? p : base.resolve(p).normalize();
  }
}
