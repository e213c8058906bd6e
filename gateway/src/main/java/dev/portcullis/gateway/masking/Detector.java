package dev.portcullis.gateway.masking;

import java.util.Locale;

/** Content detectors: each finds its kind of sensitive data anywhere inside a text value. */
enum Detector {
  EMAIL,
  CARD_NUMBER,
  IBAN,
  PHONE,
  AWS_KEY,
  PRIVATE_KEY,
  JWT,
  /** AWS keys, private keys, JWTs and password=/api_key= style assignments. */
  SECRET;

  static Detector parse(String name) {
    for (Detector d : values()) {
      if (d.label().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown mask detector \"" + name + "\" (expected email, card_number, "
        + "iban, phone, aws_key, private_key, jwt or secret)");
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reports every match in {@code s} to {@code sink} as [start, end). */
  void scan(String s, Scanners.Sink sink) {
    switch (this) {
      case EMAIL -> Scanners.emails(s, sink);
      case CARD_NUMBER -> Scanners.cardNumbers(s, sink);
      case IBAN -> Scanners.ibans(s, sink);
      case PHONE -> Scanners.phones(s, sink);
      case AWS_KEY -> Scanners.awsKeys(s, sink);
      case PRIVATE_KEY -> Scanners.privateKeys(s, sink);
      case JWT -> Scanners.jwts(s, sink);
      case SECRET -> {
        Scanners.awsKeys(s, sink);
        Scanners.privateKeys(s, sink);
        Scanners.jwts(s, sink);
        Scanners.assignments(s, sink);
      }
    }
  }
}
