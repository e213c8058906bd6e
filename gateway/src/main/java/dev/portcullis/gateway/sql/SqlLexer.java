package dev.portcullis.gateway.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizes a whole query string the way the server would, so that splitting and classification never disagree
 * with the server about what is code and what is a string or a comment. On anything it does not understand
 * (unterminated literal, executable comment, Unicode-escaped identifier) it stops and reports an error: the
 * statement containing that position is then treated as unknown.
 */
final class SqlLexer {

  /** Result of lexing: the tokens up to the first error, and the error (null when the whole input lexed). */
  record Lexed(List<Token> tokens, String error, int errorAt, boolean backslashInPlainString) {
    boolean sameBoundaries(Lexed other) {
      if (tokens.size() != other.tokens.size() || errorAt != other.errorAt) {
        return false;
      }
      for (int i = 0; i < tokens.size(); i++) {
        Token a = tokens.get(i), b = other.tokens.get(i);
        if (a.start() != b.start() || a.end() != b.end() || a.kind() != b.kind()) {
          return false;
        }
      }
      return true;
    }
  }

  private final String s;
  private final Dialect dialect;
  private final boolean backslashEscapes;
  private final List<Token> tokens = new ArrayList<>();
  private boolean backslashInPlainString;
  private int pos;

  private SqlLexer(String s, Dialect dialect, boolean backslashEscapes) {
    this.s = s;
    this.dialect = dialect;
    this.backslashEscapes = backslashEscapes;
  }

  /**
   * @param backslashEscapes whether a backslash escapes the next character inside ordinary quoted strings
   *     (PostgreSQL with standard_conforming_strings off, MySQL without NO_BACKSLASH_ESCAPES)
   */
  static Lexed lex(String sql, Dialect dialect, boolean backslashEscapes) {
    SqlLexer lexer = new SqlLexer(sql, dialect, backslashEscapes);
    int errorAt = -1;
    String error = null;
    try {
      lexer.run();
    } catch (LexError e) {
      error = e.getMessage();
      errorAt = e.at;
    }
    return new Lexed(lexer.tokens, error, errorAt, lexer.backslashInPlainString);
  }

  private static final class LexError extends Exception {
    final int at;

    LexError(String message, int at) {
      super(message, null, false, false);
      this.at = at;
    }
  }

  private void run() throws LexError {
    int n = s.length();
    while (pos < n) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
        pos++;
      } else if (c == '-' && at(pos + 1, '-') && (dialect == Dialect.POSTGRES || mysqlDashComment())) {
        skipLine();
      } else if (c == '#' && dialect == Dialect.MYSQL) {
        skipLine();
      } else if (c == '/' && at(pos + 1, '*')) {
        blockComment();
      } else if (c == '\'') {
        string(pos, pos, null, '\'');
      } else if (c == '"') {
        if (dialect == Dialect.MYSQL) {
          string(pos, pos, null, '"');
        } else {
          quotedIdent(pos, '"');
        }
      } else if (c == '`' && dialect == Dialect.MYSQL) {
        quotedIdent(pos, '`');
      } else if (c == '$' && dialect == Dialect.POSTGRES) {
        dollar();
      } else if (c == '@' && dialect == Dialect.MYSQL) {
        variable();
      } else if (c == '?') {
        add(Token.Kind.PARAM, pos, pos + 1);
        pos++;
      } else if (isDigit(c) || (c == '.' && pos + 1 < n && isDigit(s.charAt(pos + 1)))) {
        number();
      } else if (isIdentStart(c)) {
        word();
      } else {
        add(Token.Kind.SYMBOL, pos, pos + 1);
        pos++;
      }
    }
  }

  private boolean at(int i, char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  /** MySQL only treats "--" as a comment when followed by whitespace or a control character (or the end). */
  private boolean mysqlDashComment() {
    int i = pos + 2;
    return i >= s.length() || s.charAt(i) <= ' ';
  }

  private void skipLine() {
    while (pos < s.length() && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
      pos++;
    }
  }

  private void blockComment() throws LexError {
    int start = pos;
    if (dialect == Dialect.MYSQL && (at(pos + 2, '!') || (at(pos + 2, 'M') && at(pos + 3, '!')))) {
      throw new LexError("MySQL executable comment /*! ... */ is not analyzed", start);
    }
    pos += 2;
    int depth = 1;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == '*' && at(pos + 1, '/')) {
        pos += 2;
        if (--depth == 0) {
          return;
        }
      } else if (c == '/' && at(pos + 1, '*') && dialect == Dialect.POSTGRES) {
        pos += 2;
        depth++;
      } else {
        pos++;
      }
    }
    throw new LexError("unterminated /* comment", start);
  }

  /**
   * A quoted string starting at {@code quoteAt}; the token starts at {@code tokenStart} (to include a prefix).
   * {@code fixedEscapes} null means backslash handling follows the server setting this lexer was built for.
   */
  private void string(int tokenStart, int quoteAt, Boolean fixedEscapes, char quote) throws LexError {
    boolean escapes = fixedEscapes == null ? backslashEscapes : fixedEscapes;
    pos = quoteAt + 1;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == '\\') {
        if (fixedEscapes == null) {
          backslashInPlainString = true;
        }
        pos += escapes ? 2 : 1;
      } else if (c == quote) {
        if (at(pos + 1, quote)) {
          pos += 2;
        } else {
          pos++;
          add(Token.Kind.STRING, tokenStart, pos);
          return;
        }
      } else {
        pos++;
      }
    }
    throw new LexError("unterminated quoted string", tokenStart);
  }

  private void quotedIdent(int start, char quote) throws LexError {
    pos = start + 1;
    while (pos < s.length()) {
      if (s.charAt(pos) == quote) {
        if (at(pos + 1, quote)) {
          pos += 2;
        } else {
          pos++;
          add(Token.Kind.QUOTED_IDENT, start, pos);
          return;
        }
      } else {
        pos++;
      }
    }
    throw new LexError("unterminated quoted identifier", start);
  }

  /** PostgreSQL: $1 parameter, $tag$...$tag$ string, or a lone $ symbol. */
  private void dollar() throws LexError {
    int start = pos;
    if (pos + 1 < s.length() && isDigit(s.charAt(pos + 1))) {
      pos++;
      while (pos < s.length() && isDigit(s.charAt(pos))) {
        pos++;
      }
      add(Token.Kind.PARAM, start, pos);
      return;
    }
    int i = pos + 1;
    if (i < s.length() && isIdentStart(s.charAt(i))) {
      while (i < s.length() && isIdentPart(s.charAt(i)) && s.charAt(i) != '$') {
        i++;
      }
    }
    if (!at(i, '$')) {
      add(Token.Kind.SYMBOL, start, start + 1);
      pos++;
      return;
    }
    String delimiter = s.substring(start, i + 1);
    int close = s.indexOf(delimiter, i + 1);
    if (close < 0) {
      throw new LexError("unterminated dollar-quoted string " + delimiter, start);
    }
    pos = close + delimiter.length();
    add(Token.Kind.STRING, start, pos);
  }

  /** MySQL user or system variable: @name, @'name', @@global.name. */
  private void variable() throws LexError {
    int start = pos;
    pos++;
    if (at(pos, '@')) {
      pos++;
    }
    if (at(pos, '\'') || at(pos, '"')) {
      string(start, pos, null, s.charAt(pos));
      tokens.set(tokens.size() - 1, new Token(Token.Kind.VARIABLE, start, pos, s.substring(start, pos)));
      return;
    }
    if (at(pos, '`')) {
      quotedIdent(pos, '`');
      tokens.remove(tokens.size() - 1);
      add(Token.Kind.VARIABLE, start, pos);
      return;
    }
    while (pos < s.length() && (isIdentPart(s.charAt(pos)) || s.charAt(pos) == '.')) {
      pos++;
    }
    add(Token.Kind.VARIABLE, start, pos);
  }

  private void number() {
    int start = pos;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (isIdentPart(c) || c == '.') {
        pos++;
      } else if ((c == '+' || c == '-') && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E')
          && !s.substring(start, pos).toLowerCase(java.util.Locale.ROOT).startsWith("0x")) {
        pos++;
      } else {
        break;
      }
    }
    add(Token.Kind.NUMBER, start, pos);
  }

  private void word() throws LexError {
    int start = pos;
    while (pos < s.length() && isIdentPart(s.charAt(pos))) {
      pos++;
    }
    int len = pos - start;
    char first = Character.toLowerCase(s.charAt(start));
    if (at(pos, '\'') && len == 1 && (first == 'e' || first == 'b' || first == 'x' || first == 'n')) {
      // typed string literal: E'..' (always backslash escapes in PostgreSQL), B'..', X'..', N'..'
      Boolean escapes = null;
      if (dialect == Dialect.POSTGRES && first != 'n') {
        escapes = first == 'e';
      }
      string(start, pos, escapes, '\'');
      return;
    }
    if (dialect == Dialect.POSTGRES && len == 1 && first == 'u' && at(pos, '&')) {
      if (at(pos + 1, '\'')) {
        string(start, pos + 1, Boolean.FALSE, '\'');
        return;
      }
      if (at(pos + 1, '"')) {
        throw new LexError("Unicode-escaped identifiers (U&\"...\") are not analyzed", start);
      }
    }
    add(Token.Kind.WORD, start, pos);
  }

  private void add(Token.Kind kind, int start, int end) {
    tokens.add(new Token(kind, start, end, s.substring(start, end)));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  private boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c) || c == '$';
  }
}
