package dev.portcullis.rego.builtins;

import java.nio.charset.StandardCharsets;

/**
 * The error Go's {@code json.Decoder} reports for text that is not one JSON document, worded as OPA passes it on
 * ("invalid character 'x' looking for beginning of value", "unexpected EOF"). Only used once the real parser has
 * refused the text, to explain why.
 */
final class GoJsonError {
  private final byte[] b;
  private int i;

  private GoJsonError(String text) { this.b = text.getBytes(StandardCharsets.UTF_8); }

  /** Thrown inside the scanner; carries Go's message. */
  private static final class Syntax extends Exception {
    Syntax(String message) { super(message, null, false, false); }
  }

  /** Go's message for {@code text}, or null when Go would accept it (only our parser's limits refused it). */
  static String message(String text) {
    GoJsonError s = new GoJsonError(text);
    try {
      s.skipSpace();
      if (s.i >= s.b.length) return "EOF";
      s.value();
      s.skipSpace();
      if (s.i < s.b.length) return s.trailing();
      return null;
    } catch (Syntax e) {
      return e.getMessage();
    }
  }

  /** What OPA says about data after the first document: it reads one more token. */
  private String trailing() {
    int c = b[i] & 0xff;
    if (c == '{' || c == '[') return "error: invalid character '" + (char) c + "' after top-level value";
    if (c == '"') {
      int start = ++i;
      while (i < b.length && b[i] != '"') i++;
      return "error: invalid character '" + new String(b, start, i - start, StandardCharsets.UTF_8)
          + "' after top-level value";
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      int start = i;
      while (i < b.length && "+-.eE0123456789".indexOf(b[i]) >= 0) i++;
      return "error: invalid character '" + new String(b, start, i - start, StandardCharsets.UTF_8)
          + "' after top-level value";
    }
    if (c == 't' || c == 'f') return "error: invalid character '%!s(bool=" + (c == 't') + ")' after top-level value";
    if (c == 'n') return "error: invalid character '%!s(<nil>)' after top-level value";
    return invalid(c, "looking for beginning of value").getMessage();
  }

  private void skipSpace() {
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) i++;
  }

  private int next() throws Syntax {
    if (i >= b.length) throw new Syntax("unexpected EOF");
    return b[i++] & 0xff;
  }

  private void value() throws Syntax {
    skipSpace();
    int c = next();
    switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) number(c);
        else throw invalid(c, "looking for beginning of value");
      }
    }
  }

  private void object() throws Syntax {
    skipSpace();
    int c = next();
    if (c == '}') return;
    while (true) {
      if (c != '"') throw invalid(c, "looking for beginning of object key string");
      string();
      skipSpace();
      c = next();
      if (c != ':') throw invalid(c, "after object key");
      value();
      skipSpace();
      c = next();
      if (c == '}') return;
      if (c != ',') throw invalid(c, "after object key:value pair");
      skipSpace();
      c = next();
    }
  }

  private void array() throws Syntax {
    skipSpace();
    if (i < b.length && b[i] == ']') {
      i++;
      return;
    }
    while (true) {
      value();
      skipSpace();
      int c = next();
      if (c == ']') return;
      if (c != ',') throw invalid(c, "after array element");
    }
  }

  private void string() throws Syntax {
    while (true) {
      int c = next();
      if (c == '"') return;
      if (c < 0x20) throw invalid(c, "in string literal");
      if (c == '\\') {
        int e = next();
        if (e == 'u') {
          for (int k = 0; k < 4; k++) {
            int h = next();
            if (Character.digit(h, 16) < 0) throw invalid(h, "in \\u hexadecimal character escape");
          }
        } else if ("bfnrt\\/\"".indexOf(e) < 0) {
          throw invalid(e, "in string escape code");
        }
      }
    }
  }

  private void number(int first) throws Syntax {
    int c = first;
    if (c == '-') {
      c = next();
      if (!(c >= '0' && c <= '9')) throw invalid(c, "in numeric literal");
    }
    if (c != '0') while (i < b.length && isDigit(b[i])) i++;
    if (i < b.length && b[i] == '.') {
      i++;
      c = next();
      if (!isDigit(c)) throw invalid(c, "after decimal point in numeric literal");
      while (i < b.length && isDigit(b[i])) i++;
    }
    if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      c = next();
      if (c == '+' || c == '-') c = next();
      if (!isDigit(c)) throw invalid(c, "in exponent of numeric literal");
      while (i < b.length && isDigit(b[i])) i++;
    }
  }

  private void literal(String word) throws Syntax {
    for (int k = 1; k < word.length(); k++) {
      int c = next();
      if (c != word.charAt(k)) {
        throw invalid(c, "in literal " + word + " (expecting '" + word.charAt(k) + "')");
      }
    }
  }

  private static boolean isDigit(int c) { return c >= '0' && c <= '9'; }

  private static Syntax invalid(int c, String context) { return new Syntax("invalid character " + quoteChar(c) + " " + context); }

  /** Go's {@code quoteChar}: the byte as a quoted Go character literal. */
  private static String quoteChar(int c) {
    if (c == '\'') return "'\\''";
    if (c == '"') return "'\"'";
    String s = switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case 0x07 -> "\\a";
      case 0x08 -> "\\b";
      case 0x0C -> "\\f";
      case 0x0B -> "\\v";
      case '\\' -> "\\\\";
      default -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", c)
          : c >= 0x80 && c < 0xa0 ? String.format("\\u%04x", c) : String.valueOf((char) c);
    };
    return "'" + s + "'";
  }
}
