package dev.portcullis.gateway.sql;

import java.util.List;

/** Bounds-checked lookups in a statement's token list. */
final class Tokens {

  private Tokens() {
  }

  static String word(List<Token> t, int i) {
    return i < t.size() ? t.get(i).word() : null;
  }

  static boolean symbol(List<Token> t, int i, char c) {
    return i < t.size() && t.get(i).isSymbol(c);
  }

  /** Index of the ')' matching the '(' at {@code open}. */
  static int closing(List<Token> t, int open) {
    int depth = 0;
    for (int i = open; i < t.size(); i++) {
      if (t.get(i).isSymbol('(')) {
        depth++;
      } else if (t.get(i).isSymbol(')') && --depth == 0) {
        return i;
      }
    }
    throw new NotAnalyzable("unbalanced parentheses");
  }

  static boolean isName(List<Token> t, int i) {
    return i < t.size()
        && (t.get(i).kind() == Token.Kind.WORD || t.get(i).kind() == Token.Kind.QUOTED_IDENT);
  }
}
