package dev.portcullis.gateway.sql;

/** One lexical token of a query string; comments and whitespace never become tokens. */
record Token(Kind kind, int start, int end, String text) {

  enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, PARAM, VARIABLE, SYMBOL }

  boolean isWord(String lowercase) {
    return kind == Kind.WORD && text.equalsIgnoreCase(lowercase);
  }

  boolean isSymbol(char c) {
    return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == c;
  }

  /** Lower-cased text of a bare word, or null for any other kind of token. */
  String word() {
    return kind == Kind.WORD ? text.toLowerCase(java.util.Locale.ROOT) : null;
  }
}
