package dev.portcullis.rego.ast;

/** A lexical token with its place in the source. {@code text} is the decoded value for strings. */
record Token(Kind kind, String text, int row, int col, int offset, int end) {
  enum Kind {
    IDENT, NUMBER, STRING, RAW_STRING, TEMPLATE, NEWLINE, EOF,
    LBRACE, RBRACE, LBRACK, RBRACK, LPAREN, RPAREN, DOT, COMMA, SEMI, COLON,
    ASSIGN, UNIFY, EQ, NEQ, LT, LTE, GT, GTE, PLUS, MINUS, STAR, SLASH, PERCENT, AMP, BAR
  }

  boolean is(Kind k) { return kind == k; }

  boolean isIdent(String word) { return kind == Kind.IDENT && text.equals(word); }
}
