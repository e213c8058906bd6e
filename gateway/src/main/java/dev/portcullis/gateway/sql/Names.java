package dev.portcullis.gateway.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Identifier normalization: the name the server will resolve, so that policies compare like with like. */
final class Names {

  private Names() {
  }

  /**
   * PostgreSQL folds unquoted names to lower case and keeps quoted ones verbatim; MySQL names are reported in
   * lower case either way (table names are case-insensitive on most installations; lower case is the
   * conservative choice for matching).
   */
  static String normalize(String raw, Dialect dialect) {
    String name = raw;
    boolean quoted = false;
    if (name.length() >= 2 && name.charAt(0) == '"' && name.endsWith("\"")) {
      name = name.substring(1, name.length() - 1).replace("\"\"", "\"");
      quoted = true;
    } else if (name.length() >= 2 && name.charAt(0) == '`' && name.endsWith("`")) {
      name = name.substring(1, name.length() - 1).replace("``", "`");
      quoted = true;
    } else if (name.length() >= 2 && name.charAt(0) == '[' && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
      quoted = true;
    }
    return quoted && dialect == Dialect.POSTGRES ? name : name.toLowerCase(Locale.ROOT);
  }

  /** Splits a possibly qualified name given as text (e.g. the argument of nextval('s.seq')). */
  static List<String> splitQualified(String text, Dialect dialect) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inQuotes = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '`') {
        inQuotes = !inQuotes;
        cur.append(c);
      } else if (c == '.' && !inQuotes) {
        parts.add(normalize(cur.toString().strip(), dialect));
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(normalize(cur.toString().strip(), dialect));
    return parts;
  }
}
