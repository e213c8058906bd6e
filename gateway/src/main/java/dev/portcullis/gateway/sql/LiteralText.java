package dev.portcullis.gateway.sql;

/**
 * The value of a string literal token, as the server would read it. Only needed where a literal decides what a
 * statement does (nextval('seq'), set_config('role', ..), MySQL PREPARE ... FROM '...').
 */
final class LiteralText {

  private LiteralText() {
  }

  static String decode(String token, Dialect dialect) {
    if (dialect == Dialect.POSTGRES && token.startsWith("$")) {
      int tagEnd = token.indexOf('$', 1) + 1;
      return token.substring(tagEnd, token.length() - tagEnd);
    }
    int quote = 0;
    while (quote < token.length() && token.charAt(quote) != '\'' && token.charAt(quote) != '"') {
      quote++;
    }
    String prefix = token.substring(0, quote).toLowerCase(java.util.Locale.ROOT);
    char q = token.charAt(quote);
    String body = token.substring(quote + 1, token.length() - 1);
    boolean escapes = dialect == Dialect.MYSQL || prefix.equals("e");
    StringBuilder out = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == q && i + 1 < body.length() && body.charAt(i + 1) == q) {
        out.append(q);
        i++;
      } else if (c == '\\' && escapes && i + 1 < body.length()) {
        char n = body.charAt(++i);
        switch (n) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case '0' -> out.append('\0');
          case 'Z' -> out.append('\u001a');
          case '%', '_' -> out.append('\\').append(n); // MySQL keeps these escaped (LIKE patterns)
          default -> out.append(n);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
