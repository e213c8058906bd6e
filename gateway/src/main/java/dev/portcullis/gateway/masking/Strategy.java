package dev.portcullis.gateway.masking;

import java.util.Locale;

/** How a masked value (or the matched part of it) is replaced. */
enum Strategy {
  /** "[REDACTED]". */
  REDACT,
  /** Keeps just enough to recognise the value: j***@example.com, ************1111, ********71, a***z. */
  PARTIAL,
  /** "hash:" + first 16 hex digits of HMAC-SHA256 with the gateway's key: joinable, not reversible. */
  HASH,
  /** SQL NULL for the whole value. */
  NULL;

  static final String REDACTED = "[REDACTED]";

  static Strategy parse(String name) {
    for (Strategy s : values()) {
      if (s.label().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown mask strategy \"" + name
        + "\" (expected redact, partial, hash or null)");
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
