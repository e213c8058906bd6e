package dev.portcullis.gateway.sql;

import static dev.portcullis.gateway.sql.Tokens.isName;
import static dev.portcullis.gateway.sql.Tokens.symbol;

import java.util.List;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.grant.Grant;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * Everything that touches JSqlParser's input and output types: the text it is given (literals neutralized so it
 * cannot disagree with the server about where they end), the bounded parse, and the statement's type.
 */
final class ParserBridge {

    private static final int MAX_PAREN_DEPTH = 100;
    private static final int MAX_PARSED_CHARS = 100_000;
    private static final String PLACEHOLDER = "pcl_";

    private ParserBridge() {
    }

    static Statement parse(String sql) {
        if (sql.length() > MAX_PARSED_CHARS) {
            throw new NotAnalyzable("statement longer than " + MAX_PARSED_CHARS + " characters is not analyzed");
        }
        try {
            return parse(sql, false);
        } catch (Exception first) {
            if (CCJSqlParserUtil.getNestingDepth(sql) <= 10) {
                try {
                    return parse(sql, true);
                } catch (Exception ignored) {
                    // report the first (simple-mode) error, it is usually the clearer one
                }
            }
            throw new NotAnalyzable("parse error: " + firstLine(first.getMessage()));
        } catch (Error e) {
            // TokenMgrError and friends: the parser's own lexer gave up
            throw new NotAnalyzable("parse error: " + firstLine(e.getMessage()));
        }
    }

    private static Statement parse(String sql, boolean complex) throws Exception {
        CCJSqlParser parser = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(complex);
        Statement statement = parser.Statement();
        if (statement == null || parser.getNextToken().kind != CCJSqlParserConstants.EOF) {
            throw new IllegalArgumentException("unexpected text after the statement");
        }
        return statement;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable statement";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    static String typeOf(Statement s) {
        if (s instanceof Select) {
            return "select";
        } else if (s instanceof Insert || s instanceof Upsert) {
            return "insert";
        } else if (s instanceof Update) {
            return "update";
        } else if (s instanceof Delete) {
            return "delete";
        } else if (s instanceof Merge) {
            return "merge";
        } else if (s instanceof Grant) {
            return "dcl";
        } else if (s instanceof net.sf.jsqlparser.statement.SetStatement) {
            return "set";
        }
        String pkg = s.getClass().getPackageName();
        for (String ddl : new String[] {".create", ".alter", ".drop", ".truncate", ".comment", ".refresh"}) {
            if (pkg.contains(ddl)) {
                return "ddl";
            }
        }
        return StatementInfo.UNKNOWN;
    }

    static boolean hasWhere(Object s) {
        if (s instanceof PlainSelect ps) {
            return ps.getWhere() != null;
        } else if (s instanceof SetOperationList ops) {
            return !ops.getSelects().isEmpty() && ops.getSelects().stream().allMatch(ParserBridge::hasWhere);
        } else if (s instanceof ParenthesedSelect p) {
            return hasWhere(p.getSelect());
        } else if (s instanceof Update u) {
            return u.getWhere() != null;
        } else if (s instanceof Delete d) {
            return d.getWhere() != null;
        } else if (s instanceof Merge m) {
            return m.getOnCondition() != null;
        }
        return false;
    }

    /**
     * The text JSqlParser sees: every string literal becomes a neutral placeholder (so that escaping rules and
     * dollar quotes cannot make JSqlParser and the server disagree about where a literal ends) and comments become
     * spaces.
     */
    static String rebuild(List<Token> t, String prefix, Dialect dialect, List<String> literals) {
        StringBuilder sb = new StringBuilder(prefix);
        Token prev = null;
        int depth = 0;
        for (int i = 0; i < t.size(); i++) {
            Token tok = t.get(i);
            if (prev != null && (tok.start() > prev.end() || wouldJoin(prev, tok))) {
                sb.append(' ');
            }
            if (tok.isWord("collate") && isName(t, i + 1) && prev != null) {
                // COLLATE pg_catalog."default": a collation changes no table or function; JSqlParser trips on it
                int k = i + 2;
                while (symbol(t, k, '.') && isName(t, k + 1)) {
                    k += 2;
                }
                prev = t.get(k - 1);
                i = k - 1;
                continue;
            }
            int operatorEnd = dialect == Dialect.POSTGRES ? qualifiedOperatorEnd(t, i) : -1;
            if (operatorEnd > 0) {
                // OPERATOR(pg_catalog.~) -> ~ : JSqlParser does not know the qualified operator syntax
                for (int k = i + 2; k < operatorEnd; k++) {
                    if (t.get(k).kind() == Token.Kind.SYMBOL && !symbol(t, k + 1, '.') && !t.get(k).isSymbol('.')) {
                        sb.append(t.get(k).text());
                    }
                }
                prev = t.get(operatorEnd);
                i = operatorEnd;
                continue;
            }
            switch (tok.kind()) {
                case STRING -> {
                    sb.append('\'').append(PLACEHOLDER).append(literals.size()).append('\'');
                    literals.add(LiteralText.decode(tok.text(), dialect));
                }
                case QUOTED_IDENT -> {
                    String inner = tok.text().substring(1, tok.text().length() - 1);
                    if (inner.indexOf(tok.text().charAt(0)) >= 0 || inner.isEmpty()) {
                        throw new NotAnalyzable("quoted identifier containing its own quote character is not analyzed");
                    }
                    sb.append(tok.text());
                }
                case WORD -> {
                    checkVisible(tok.text());
                    sb.append(tok.text());
                }
                case SYMBOL -> {
                    if (tok.isSymbol('(') && ++depth > MAX_PAREN_DEPTH) {
                        throw new NotAnalyzable("statement nesting deeper than " + MAX_PAREN_DEPTH + " levels");
                    }
                    if (tok.isSymbol(')')) {
                        depth--;
                    }
                    sb.append(tok.text());
                }
                // numbers never change what a statement touches: one cache entry per query shape
                case NUMBER -> sb.append('0');
                default -> sb.append(tok.text());
            }
            prev = tok;
        }
        return sb.toString();
    }

    /** For OPERATOR ( [schema .] symbols ) at i, the index of the closing parenthesis; else -1. */
    private static int qualifiedOperatorEnd(List<Token> t, int i) {
        if (!t.get(i).isWord("operator") || !symbol(t, i + 1, '(')) {
            return -1;
        }
        int k = i + 2;
        if (isName(t, k) && symbol(t, k + 1, '.')) {
            k += 2;
        }
        int first = k;
        while (k < t.size() && t.get(k).kind() == Token.Kind.SYMBOL && !t.get(k).isSymbol(')')
                && !t.get(k).isSymbol('(')) {
            k++;
        }
        return k > first && symbol(t, k, ')') ? k : -1;
    }

    /** Adjacent symbols JSqlParser would read as a comment start or end ("--", "//", "/*", "* /"). */
    private static boolean wouldJoin(Token a, Token b) {
        if (a.kind() != Token.Kind.SYMBOL || b.kind() != Token.Kind.SYMBOL) {
            return false;
        }
        char x = a.text().charAt(a.text().length() - 1);
        char y = b.text().charAt(0);
        return (x == '-' && y == '-') || (x == '/' && (y == '/' || y == '*')) || (x == '*' && y == '/');
    }

    /** The server may treat characters JSqlParser sees as spaces as part of a name; refuse rather than guess. */
    private static void checkVisible(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= 0x80 && (Character.isWhitespace(c) || Character.isSpaceChar(c)
                    || Character.getType(c) == Character.FORMAT || Character.isISOControl(c))) {
                throw new NotAnalyzable("identifier contains an invisible or space character (U+"
                        + String.format("%04X", (int) c) + ")");
            }
        }
    }

    /** Maps a placeholder back to the client's literal; null when the value is not one of ours. */
    static String literal(List<String> literals, String value) {
        if (value == null || !value.startsWith(PLACEHOLDER)) {
            return null;
        }
        try {
            int i = Integer.parseInt(value.substring(PLACEHOLDER.length()));
            return i >= 0 && i < literals.size() ? literals.get(i) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
