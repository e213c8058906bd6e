package dev.portcullis.gateway.sql;

import static dev.portcullis.gateway.sql.Tokens.closing;
import static dev.portcullis.gateway.sql.Tokens.isName;
import static dev.portcullis.gateway.sql.Tokens.symbol;
import static dev.portcullis.gateway.sql.Tokens.word;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.TableStatement;

/**
 * Classifies the statements of one query string. Statements JSqlParser reads well (queries, DML, most DDL) go
 * through it; statements it cannot read or that must be looked into (WITH, EXPLAIN, PREPARE/EXECUTE, COPY, DO,
 * SET, transaction control, utilities) are classified from the tokens, never from a guess: whatever does not match
 * an expected shape is unknown. One instance serves one query string, so PREPARE and DECLARE earlier in the
 * string are known to a later EXECUTE or FETCH.
 */
final class StatementClassifier {

  private static final int MAX_INNER_DEPTH = 8;

  private final Dialect dialect;
  private final Map<String, Facts> prepared = new HashMap<>();
  private final Map<String, Facts> cursors = new HashMap<>();

  /**
   * Parse results by normalized statement text: parsing costs about a hundred microseconds, so each query shape is
   * parsed once. Holds only facts no literal value changes, each an unshared copy.
   */
  private final BoundedCache<Facts> cache;
  /** False: a statement whose shape is not in the cache is not parsed; {@link ParseNeeded} says so instead. */
  private final boolean mayParse;

  StatementClassifier(Dialect dialect, BoundedCache<Facts> cache, boolean mayParse) {
    this.dialect = dialect;
    this.cache = cache;
    this.mayParse = mayParse;
  }

  /** Thrown instead of parsing when the classifier may not parse; carries nothing, so it is shared. */
  static final class ParseNeeded extends RuntimeException {
    static final ParseNeeded INSTANCE = new ParseNeeded();

    private ParseNeeded() {
      super("the statement needs the parser", null, false, false);
    }
  }

  /**
   * Never throws, but {@link ParseNeeded} when it may not parse: anything that goes wrong makes the statement
   * unknown with the reason.
   */
  Facts classify(List<Token> tokens) {
    try {
      return classify(tokens, 0, Set.of());
    } catch (ParseNeeded e) {
      throw e;
    } catch (NotAnalyzable | AstWalker.TooDeep e) {
      return Facts.unknown(e.getMessage());
    } catch (StackOverflowError e) {
      return Facts.unknown("statement too deeply nested to analyze");
    } catch (RuntimeException e) {
      return Facts.unknown("statement could not be analyzed: " + e);
    }
  }

  private Facts classify(List<Token> t, int depth, Set<String> ctes) {
    if (depth > MAX_INNER_DEPTH) {
      throw new NotAnalyzable("statements nested too deeply");
    }
    if (t.isEmpty()) {
      throw new NotAnalyzable("empty statement where one was expected");
    }
    Facts f = dispatch(t, depth, ctes);
    if (!f.isUnknown()) {
      sweepTokens(t, f);
    }
    return f;
  }

  /**
   * Whether the statement is a query or DML statement on its own (no WITH, EXPLAIN, PREPARE around it), whose facts
   * are what the parser and the token sweep find in it.
   */
  static boolean isPlainQuery(List<Token> t, Dialect dialect) {
    return startsQuery(t, 0) || dialect == Dialect.MYSQL && "replace".equals(word(t, 0));
  }

  private Facts dispatch(List<Token> t, int depth, Set<String> ctes) {
    if (isPlainQuery(t, dialect)) {
      return parsed(t, "", false, ctes);
    }
    String w0 = t.get(0).word();
    if (w0 == null) {
      throw new NotAnalyzable("statement does not start with a keyword");
    }
    boolean pg = dialect == Dialect.POSTGRES;
    switch (w0) {
      case "with":
        return with(t, depth);
      case "explain":
        return pg ? pgExplain(t, depth) : mysqlExplain(t, 1, false, depth);
      case "describe", "desc":
        if (pg) {
          break;
        }
        return mysqlExplain(t, 1, false, depth);
      case "analyze", "analyse":
        if (pg) {
          return new Facts("utility");
        }
        String w1 = word(t, 1);
        if ("table".equals(w1) || "no_write_to_binlog".equals(w1) || "local".equals(w1)) {
          return new Facts("utility");
        }
        return mysqlExplain(t, 1, true, depth); // MariaDB: ANALYZE <statement> runs it
      case "create", "alter", "drop":
        return ddl(t, w0);
      case "truncate":
        return nameListStatement(t, "ddl", true, Set.of("table", "only"));
      case "comment":
        return parsed(t, "", true, Set.of());
      case "rename":
        return "user".equals(word(t, 1)) ? new Facts("dcl") : parsed(t, "", true, Set.of());
      case "grant", "revoke", "reassign":
        return new Facts("dcl");
      case "security", "import":
        return pg ? new Facts("ddl") : unknown(w0);
      case "refresh":
        return pg ? nameListStatement(t, "utility", true, Set.of("materialized", "view", "concurrently"))
            : unknown(w0);
      case "begin", "commit", "end", "rollback", "abort", "savepoint", "release", "xa":
        return transaction(t);
      case "start":
        if ("transaction".equals(word(t, 1))) {
          return transaction(t);
        }
        return pg ? unknown(w0) : sideEffect(new Facts("utility")); // START SLAVE / REPLICA
      case "prepare":
        return prepare(t, depth);
      case "execute":
        return execute(t);
      case "deallocate":
        return new Facts("utility");
      case "set":
        return pg ? pgSet(t) : mysqlSet(t);
      case "reset":
        return pg ? pgReset(t) : sideEffect(new Facts("utility"));
      case "show", "help", "checkpoint", "listen", "unlisten", "notify", "vacuum", "cluster", "reindex",
         "unlock", "optimize", "repair", "check", "checksum", "cache", "get":
        for (Token tok : t) {
          if (tok.isWord("select")) { // SHOW ... WHERE (SELECT ...) in MySQL: a read we cannot see
            throw new NotAnalyzable("a query inside " + w0.toUpperCase(Locale.ROOT) + " is not analyzed");
          }
        }
        return new Facts("utility");
      case "lock":
        return pg ? nameListStatement(t, "utility", false, Set.of("table", "only"))
            : new Facts("utility");
      case "discard":
        Facts discard = new Facts("utility");
        discard.roleChange = "all".equals(word(t, 1));
        return discard;
      case "close", "move":
        return new Facts("utility");
      case "fetch":
        return pg ? fetch(t) : unknown(w0);
      case "declare":
        return pg ? declare(t, depth) : unknown(w0);
      case "copy":
        return pg ? copy(t, depth) : unknown(w0);
      case "do":
        return doBlock(t);
      case "call":
        return call(t);
      case "load":
        return load(t);
      case "use":
        return new Facts("set");
      case "kill", "flush", "shutdown", "restart", "purge", "change":
        return pg ? unknown(w0) : sideEffect(new Facts("utility"));
      case "install", "uninstall":
        if (pg) {
          break;
        }
        Facts plugin = sideEffect(new Facts("ddl"));
        plugin.serverFileAccess = true;
        return plugin;
      default:
        break;
    }
    return unknown(w0);
  }

  private static Facts unknown(String keyword) {
    return Facts.unknown("unsupported statement: " + keyword.toUpperCase(Locale.ROOT));
  }

  private static Facts sideEffect(Facts f) {
    f.sideEffects = true;
    return f;
  }

  /**
   * Parses the tokens (after {@code prefix}) with JSqlParser and walks the tree. Results that do not depend on
   * a literal's value are cached by the normalized text, so the same query shape is parsed once.
   */
  private Facts parsed(List<Token> t, String prefix, boolean ddl, Set<String> ctes) {
    List<String> literals = new ArrayList<>();
    String sql = ParserBridge.rebuild(t, prefix, dialect, literals);
    String key = (ddl ? "D" : "Q") + String.join(",", new java.util.TreeSet<>(ctes)) + '\u0000' + sql;
    Facts cached = cache.get(key);
    if (cached != null) {
      if (cached.isUnknown()) {
        throw new NotAnalyzable(cached.error);
      }
      Facts f = cached.copy();
      f.fromParseCache = true;
      return f;
    }
    if (!mayParse) {
      throw ParseNeeded.INSTANCE;
    }
    Statement statement;
    try {
      statement = ParserBridge.parse(sql);
    } catch (ParserBridge.ParseTimeout e) {
      throw e;
    } catch (NotAnalyzable e) {
      cache.put(key, Facts.unknown(e.getMessage())); // the same text fails the same way: parse it once
      throw e;
    }
    Facts f = new Facts(ParserBridge.typeOf(statement));
    if (f.isUnknown()) {
      f.error = "unsupported statement: " + statement.getClass().getSimpleName();
      return f;
    }
    boolean[] literalUsed = new boolean[1];
    int understood = AstWalker.collect(statement, f, dialect, value -> {
      literalUsed[0] = true;
      return ParserBridge.literal(literals, value);
    }, ddl || f.type.equals("ddl"), ctes);
    int sent = prefix.isEmpty() ? 0 : 1;
    for (Token tok : t) {
      if (tok.isWord("select")) {
        sent++;
      }
    }
    if (understood < sent) {
      // JSqlParser kept part of the statement as opaque text: whatever that subquery reads is unseen
      throw new NotAnalyzable("the parser did not understand every subquery (" + sent + " SELECTs sent, "
          + understood + " analyzed)");
    }
    if (statement instanceof TableStatement) {
      f.columns.add("*");
    }
    f.hasWhere = ParserBridge.hasWhere(statement);
    if (!literalUsed[0]) {
      cache.put(key, f.copy());
    }
    return f;
  }

  /** Flags side-effect function calls and MySQL file writes visible in the raw tokens, whatever the AST said. */
  private void sweepTokens(List<Token> t, Facts f) {
    for (int i = 0; i + 1 < t.size(); i++) {
      Token tok = t.get(i);
      if (isName(t, i) && t.get(i + 1).isSymbol('(')) {
        String name = Names.normalize(tok.text(), dialect);
        if (AdminFunctions.hasSideEffects(name) || AdminFunctions.touchesServerFiles(name)) {
          String schema = i >= 2 && t.get(i - 1).isSymbol('.') && isName(t, i - 2)
              ? Names.normalize(t.get(i - 2).text(), dialect) : null;
          boolean builtin = schema == null || dialect == Dialect.POSTGRES && schema.equals("pg_catalog");
          f.noteFunction(builtin ? name : schema + "." + name);
        }
      }
      if (dialect == Dialect.MYSQL && tok.isWord("into")
          && (t.get(i + 1).isWord("outfile") || t.get(i + 1).isWord("dumpfile"))) {
        f.serverFileAccess = true;
        f.sideEffects = true;
      }
    }
  }

  /** A possibly qualified name at {@code i}; {@code end[0]} receives the index after it. */
  private Facts.TableRef name(List<Token> t, int i, int[] end) {
    if (!isName(t, i)) {
      throw new NotAnalyzable("expected a name at \"" + (i < t.size() ? t.get(i).text() : "end of statement")
          + "\"");
    }
    List<String> parts = new ArrayList<>();
    parts.add(Names.normalize(t.get(i).text(), dialect));
    int j = i + 1;
    while (symbol(t, j, '.') && isName(t, j + 1)) {
      parts.add(Names.normalize(t.get(j + 1).text(), dialect));
      j += 2;
    }
    end[0] = j;
    String table = parts.get(parts.size() - 1);
    return new Facts.TableRef(parts.size() > 1 ? parts.get(parts.size() - 2) : null, table);
  }

  // ---------------------------------------------------------------- statement shapes

  /** Top-level WITH: each CTE body (which in PostgreSQL may be a write) and the main statement on their own. */
  private Facts with(List<Token> t, int depth) {
    int i = 1;
    boolean recursive = "recursive".equals(word(t, i));
    if (recursive) {
      i++;
    }
    List<String> names = new ArrayList<>();
    List<List<Token>> bodies = new ArrayList<>();
    while (true) {
      if (!isName(t, i)) {
        return parsed(t, "", false, Set.of());
      }
      names.add(Names.normalize(t.get(i).text(), dialect));
      i++;
      if (symbol(t, i, '(')) {
        i = closing(t, i) + 1;
      }
      if (!"as".equals(word(t, i))) {
        return parsed(t, "", false, Set.of());
      }
      i++;
      if ("not".equals(word(t, i))) {
        i++;
      }
      if ("materialized".equals(word(t, i))) {
        i++;
      }
      if (!symbol(t, i, '(')) {
        return parsed(t, "", false, Set.of());
      }
      int close = closing(t, i);
      bodies.add(t.subList(i + 1, close));
      i = close + 1;
      while ("search".equals(word(t, i)) || "cycle".equals(word(t, i))) {
        // SEARCH ... SET col / CYCLE ... SET col [TO v DEFAULT v] USING col: skip to ',' or the main query
        while (i < t.size() && !symbol(t, i, ',') && !startsQuery(t, i)) {
          i++;
        }
      }
      if (symbol(t, i, ',')) {
        i++;
      } else {
        break;
      }
    }
    if (i >= t.size()) {
      throw new NotAnalyzable("WITH without a main statement");
    }
    Set<String> scope = new HashSet<>();
    if (recursive) {
      scope.addAll(names);
    }
    Facts result = new Facts(StatementInfo.UNKNOWN);
    boolean hiddenWrite = false;
    for (int k = 0; k < bodies.size(); k++) {
      Facts body = classify(bodies.get(k), depth + 1, Set.copyOf(scope));
      if (body.isUnknown()) {
        return body;
      }
      hiddenWrite |= body.isWrite() || body.sideEffects;
      result.absorb(body);
      scope.add(names.get(k));
    }
    Facts main = classify(t.subList(i, t.size()), depth + 1, Set.copyOf(scope));
    if (main.isUnknown()) {
      return main;
    }
    result.absorb(main);
    result.type = main.type;
    result.hasWhere = main.hasWhere;
    result.sideEffects |= hiddenWrite;
    return result;
  }

  private static boolean startsQuery(List<Token> t, int i) {
    String w = word(t, i);
    return symbol(t, i, '(') || w != null && switch (w) {
      case "select", "insert", "update", "delete", "merge", "values", "table" -> true;
      default -> false;
    };
  }

  private Facts pgExplain(List<Token> t, int depth) {
    int i = 1;
    boolean analyze = false;
    if (symbol(t, i, '(')) {
      int close = closing(t, i);
      int k = i + 1;
      while (k < close) {
        String option = word(t, k);
        if ("analyze".equals(option) || "analyse".equals(option)) {
          analyze = k + 1 >= close || symbol(t, k + 1, ',') || !isFalse(t.get(k + 1));
        }
        while (k < close && !symbol(t, k, ',')) {
          k++;
        }
        k++;
      }
      i = close + 1;
    } else {
      while ("analyze".equals(word(t, i)) || "analyse".equals(word(t, i)) || "verbose".equals(word(t, i))) {
        analyze |= !"verbose".equals(word(t, i));
        i++;
      }
    }
    return explained(t.subList(Math.min(i, t.size()), t.size()), analyze, depth);
  }

  private static boolean isFalse(Token value) {
    String v = value.text().toLowerCase(Locale.ROOT).replace("'", "");
    return v.equals("false") || v.equals("off") || v.equals("0") || v.equals("no");
  }

  private Facts mysqlExplain(List<Token> t, int i, boolean analyze, int depth) {
    while (true) {
      String w = word(t, i);
      if ("format".equals(w) && symbol(t, i + 1, '=')) {
        i += 3;
      } else if ("extended".equals(w) || "partitions".equals(w)) {
        i++;
      } else if ("analyze".equals(w)) {
        analyze = true;
        i++;
      } else {
        break;
      }
    }
    String w = word(t, i);
    if (startsQuery(t, i) || "replace".equals(w) || "with".equals(w)) {
      return explained(t.subList(i, t.size()), analyze, depth);
    }
    if ("for".equals(w) && "connection".equals(word(t, i + 1))) {
      return new Facts("utility");
    }
    int[] end = new int[1];
    Facts describe = new Facts("utility"); // DESCRIBE table [column]
    describe.read.add(name(t, i, end));
    return describe;
  }

  private Facts explained(List<Token> inner, boolean analyze, int depth) {
    Facts statement = classify(inner, depth + 1, Set.of());
    if (statement.isUnknown()) {
      return statement;
    }
    Facts f = new Facts("explain");
    f.read.addAll(statement.read);
    f.columns.addAll(statement.columns);
    f.functions.addAll(statement.functions);
    f.hasWhere = statement.hasWhere;
    if (analyze) { // the statement really runs
      f.written.addAll(statement.written);
      f.sideEffects = statement.sideEffects || statement.isWrite();
      f.roleChange = statement.roleChange;
      f.serverFileAccess = statement.serverFileAccess;
    }
    return f;
  }

  private Facts ddl(List<Token> t, String verb) {
    int i = 1;
    if ("or".equals(word(t, 1)) && "replace".equals(word(t, 2))) {
      i = 3;
    }
    String object = word(t, i);
    if (object == null) {
      throw new NotAnalyzable("expected an object kind after " + verb.toUpperCase(Locale.ROOT));
    }
    switch (object) {
      case "role", "group":
        return new Facts("dcl");
      case "user":
        return "mapping".equals(word(t, i + 1)) ? new Facts("ddl") : new Facts("dcl");
      case "default":
        return "privileges".equals(word(t, i + 1)) ? new Facts("dcl") : parsed(t, "", true, Set.of());
      case "owned":
        return new Facts("dcl");
      case "system", "instance":
        return sideEffect(new Facts("ddl")); // ALTER SYSTEM / ALTER INSTANCE: persistent server settings
      case "extension":
        return sideEffect(new Facts("ddl"));
      case "prepare":
        return new Facts("utility"); // MySQL DROP PREPARE
      default:
        break;
    }
    if (verb.equals("drop")) {
      return drop(t, i);
    }
    return parsed(t, "", true, Set.of());
  }

  /** DROP of tables, views, sequences and indexes: the names are the written objects. */
  private Facts drop(List<Token> t, int i) {
    Set<String> kinds = Set.of("table", "view", "materialized", "sequence", "index", "foreign", "temporary");
    if (!kinds.contains(word(t, i))) {
      return parsed(t, "", true, Set.of());
    }
    return nameListStatement(t, "ddl", true, Set.of("table", "view", "materialized", "sequence", "index",
        "foreign", "temporary", "if", "exists", "concurrently"));
  }

  /**
   * Statements shaped {@code KEYWORD [skip words] name [, name ...] [trailing options]} (TRUNCATE, DROP TABLE,
   * LOCK, REFRESH MATERIALIZED VIEW).
   */
  private Facts nameListStatement(List<Token> t, String type, boolean written, Set<String> skip) {
    int i = 1;
    while (i < t.size() && t.get(i).kind() == Token.Kind.WORD && skip.contains(t.get(i).word())) {
      i++;
    }
    Facts f = new Facts(type);
    int[] end = new int[1];
    while (true) {
      Facts.TableRef ref = name(t, i, end);
      (written ? f.written : f.read).add(ref);
      i = end[0];
      if (symbol(t, i, '*')) {
        i++;
      }
      if (symbol(t, i, ',')) {
        i++;
        if ("only".equals(word(t, i))) {
          i++;
        }
      } else {
        break;
      }
    }
    for (; i < t.size(); i++) {
      if (t.get(i).kind() != Token.Kind.WORD) {
        throw new NotAnalyzable("unexpected \"" + t.get(i).text() + "\" after the object names");
      }
    }
    return f;
  }

  /** Every word transaction control may contain in either dialect; anything else is not transaction control. */
  private static final Set<String> TRANSACTION_WORDS = Set.of("work", "transaction", "isolation", "level",
      "serializable", "repeatable", "read", "committed", "uncommitted", "write", "only", "not", "deferrable",
      "with", "consistent", "snapshot", "and", "no", "chain", "release", "to", "savepoint", "prepared",
      "start", "begin", "end", "prepare", "commit", "rollback", "recover", "one", "phase", "suspend", "join",
      "resume", "for", "migrate", "convert", "xid");

  /**
   * BEGIN, COMMIT, ROLLBACK [TO SAVEPOINT], SAVEPOINT, RELEASE, PREPARE TRANSACTION, XA. Checked word by word:
   * MariaDB's "BEGIN NOT ATOMIC ... END" is a code block, not a transaction start.
   */
  private Facts transaction(List<Token> t) {
    Facts f = new Facts("transaction");
    for (int i = 1; i < t.size(); i++) {
      Token tok = t.get(i);
      String previous = t.get(i - 1).word();
      boolean savepointName = isName(t, i)
          && ("savepoint".equals(previous) || "to".equals(previous) || "release".equals(previous));
      boolean allowed = savepointName || tok.kind() == Token.Kind.STRING || tok.kind() == Token.Kind.NUMBER
          || tok.isSymbol(',') || tok.kind() == Token.Kind.WORD && TRANSACTION_WORDS.contains(tok.word());
      if (!allowed) {
        throw new NotAnalyzable("unexpected \"" + tok.text() + "\" in a transaction statement");
      }
      if (tok.isWord("prepared")) {
        f.sideEffects = true; // COMMIT/ROLLBACK PREPARED finishes a transaction prepared elsewhere
      }
    }
    return f;
  }

  private Facts prepare(List<Token> t, int depth) {
    if (dialect == Dialect.POSTGRES && "transaction".equals(word(t, 1))) {
      return transaction(t);
    }
    if (!isName(t, 1)) {
      throw new NotAnalyzable("PREPARE without a statement name");
    }
    String name = Names.normalize(t.get(1).text(), dialect);
    Facts inner;
    if (dialect == Dialect.POSTGRES) {
      int i = 2;
      if (symbol(t, i, '(')) {
        i = closing(t, i) + 1;
      }
      if (!"as".equals(word(t, i))) {
        throw new NotAnalyzable("PREPARE without AS");
      }
      inner = classify(t.subList(i + 1, t.size()), depth + 1, Set.of());
    } else {
      if (!"from".equals(word(t, 2)) || t.size() != 4 || t.get(3).kind() != Token.Kind.STRING) {
        throw new NotAnalyzable("PREPARE from a variable: the statement text is not visible");
      }
      inner = classifyText(LiteralText.decode(t.get(3).text(), dialect), depth + 1);
    }
    if (!inner.isUnknown()) {
      prepared.put(name, inner);
    }
    return inner;
  }

  /** Analyzes SQL text found inside a literal (MySQL PREPARE ... FROM '...'): exactly one statement. */
  private Facts classifyText(String sql, int depth) {
    SqlLexer.Lexed lexed = SqlLexer.lex(sql, dialect, dialect.backslashEscapesByDefault());
    if (lexed.error() != null) {
      throw new NotAnalyzable("prepared statement text: " + lexed.error());
    }
    List<Token> tokens = new ArrayList<>(lexed.tokens());
    while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isSymbol(';')) {
      tokens.remove(tokens.size() - 1);
    }
    for (Token tok : tokens) {
      if (tok.isSymbol(';')) {
        throw new NotAnalyzable("prepared statement text holds several statements");
      }
    }
    // the inner text has its own offsets; a fresh classifier keeps its literals apart
    StatementClassifier inner = new StatementClassifier(dialect, cache, mayParse);
    return inner.classify(tokens, depth, Set.of());
  }

  private Facts execute(List<Token> t) {
    if (!isName(t, 1)) {
      throw new NotAnalyzable("EXECUTE without a statement name");
    }
    String name = Names.normalize(t.get(1).text(), dialect);
    Facts inner = prepared.get(name);
    if (inner == null) {
      throw new NotAnalyzable("EXECUTE of prepared statement \"" + name
          + "\" whose text was not sent in this request");
    }
    Facts f = new Facts(inner.type);
    f.absorb(inner);
    f.hasWhere = inner.hasWhere;
    if (t.size() > 2) { // parameters may be expressions, e.g. subqueries
      List<Token> args = t.subList(2, t.size());
      if (symbol(args, 0, '(')) {
        f.absorb(parsed(args, "SELECT ", false, Set.of()));
      }
    }
    return f;
  }

  private Facts pgSet(List<Token> t) {
    for (Token tok : t) {
      if (tok.isSymbol('(')) {
        throw new NotAnalyzable("unexpected \"(\" in SET");
      }
    }
    Facts f = new Facts("set");
    int i = 1;
    if ("session".equals(word(t, i)) && "authorization".equals(word(t, i + 1))) {
      f.roleChange = true;
      return f;
    }
    if ("session".equals(word(t, i)) || "local".equals(word(t, i))) {
      i++;
    }
    if (!isName(t, i)) {
      throw new NotAnalyzable("SET without a setting name");
    }
    String setting = Names.normalize(t.get(i).text(), dialect);
    if (setting.equals("role") || setting.equals("session_authorization")
        || setting.equals("session") && "authorization".equals(word(t, i + 1))) {
      f.roleChange = true;
    }
    return f;
  }

  private Facts pgReset(List<Token> t) {
    Facts f = new Facts("set");
    if (!isName(t, 1)) {
      throw new NotAnalyzable("RESET without a setting name");
    }
    String setting = Names.normalize(t.get(1).text(), dialect);
    f.roleChange = switch (setting) {
      case "role", "all", "session", "session_authorization" -> true;
      default -> false;
    };
    return f;
  }

  private Facts mysqlSet(List<Token> t) {
    String w1 = word(t, 1);
    if ("password".equals(w1) || ("default".equals(w1) && "role".equals(word(t, 2)))) {
      return new Facts("dcl");
    }
    if ("role".equals(w1)) {
      Facts f = new Facts("set");
      f.roleChange = true;
      return f;
    }
    if ("statement".equals(w1)) {
      throw new NotAnalyzable("MariaDB SET STATEMENT ... FOR is not analyzed");
    }
    checkSqlMode(t);
    boolean expressions = false;
    Facts f = new Facts("set");
    for (Token tok : t) {
      String w = tok.word();
      if ("global".equals(w) || "persist".equals(w) || "persist_only".equals(w)) {
        f.sideEffects = true; // changes the server for every session
      }
      if (tok.kind() == Token.Kind.VARIABLE) {
        String v = tok.text().toLowerCase(Locale.ROOT);
        if (v.startsWith("@@global.") || v.startsWith("@@persist")) {
          f.sideEffects = true;
        }
      }
      expressions |= tok.isSymbol('(');
    }
    if (expressions) { // a subquery or function call: let JSqlParser find what it reads
      Facts parsed = parsed(t, "", false, Set.of());
      f.absorb(parsed);
    }
    return f;
  }

  /**
   * The lexer assumes MySQL's backslash escapes; a session switching them off (NO_BACKSLASH_ESCAPES) would make
   * later statements read differently, so any sql_mode change that may include it is refused.
   */
  private static void checkSqlMode(List<Token> t) {
    boolean touchesMode = false;
    for (Token tok : t) {
      touchesMode |= tok.text().toLowerCase(Locale.ROOT).contains("sql_mode");
    }
    if (!touchesMode) {
      return;
    }
    for (Token tok : t) {
      String text = tok.text().toLowerCase(Locale.ROOT);
      boolean plain = tok.kind() == Token.Kind.WORD || tok.kind() == Token.Kind.STRING
          || tok.kind() == Token.Kind.VARIABLE && text.contains("sql_mode")
          || tok.isSymbol('=') || tok.isSymbol(',') || tok.isSymbol('.') || tok.isSymbol(':');
      if (!plain || text.contains("no_backslash_escapes")) {
        throw new NotAnalyzable("sql_mode changes that may disable backslash escapes are not allowed: "
            + "later statements could no longer be read reliably");
      }
    }
  }

  private Facts copy(List<Token> t, int depth) {
    Facts f = new Facts("copy");
    int i = 1;
    if ("binary".equals(word(t, i))) {
      i++;
    }
    Facts query = null;
    Facts.TableRef table = null;
    if (symbol(t, i, '(')) {
      int close = closing(t, i);
      query = classify(t.subList(i + 1, close), depth + 1, Set.of());
      if (query.isUnknown()) {
        return query;
      }
      i = close + 1;
    } else {
      int[] end = new int[1];
      table = name(t, i, end);
      i = end[0];
      if (symbol(t, i, '(')) {
        int close = closing(t, i);
        for (int k = i + 1; k < close; k++) {
          if (isName(t, k)) {
            f.columns.add(Names.normalize(t.get(k).text(), dialect));
          }
        }
        i = close + 1;
      }
    }
    String direction = word(t, i);
    if (!"from".equals(direction) && !"to".equals(direction)) {
      throw new NotAnalyzable("COPY without FROM or TO");
    }
    i++;
    String target = word(t, i);
    if ("program".equals(target) || (i < t.size() && t.get(i).kind() == Token.Kind.STRING)) {
      f.serverFileAccess = true;
      f.sideEffects = true;
    } else if (!"stdin".equals(target) && !"stdout".equals(target)) {
      throw new NotAnalyzable("COPY to or from something other than STDIN, STDOUT, a file or a program");
    }
    if ("from".equals(direction)) {
      if (table == null) {
        throw new NotAnalyzable("COPY (query) FROM is not valid");
      }
      f.written.add(table);
      for (int k = i; k < t.size(); k++) {
        f.hasWhere |= t.get(k).isWord("where");
      }
    } else if (table != null) {
      f.read.add(table);
    } else {
      f.absorb(query);
      f.hasWhere = query.hasWhere;
      f.sideEffects |= query.isWrite();
    }
    return f;
  }

  private Facts doBlock(List<Token> t) {
    if (dialect == Dialect.POSTGRES) {
      return sideEffect(new Facts("do")); // an anonymous code block can do anything
    }
    Facts f = parsed(t.subList(1, t.size()), "SELECT ", false, Set.of()); // MySQL DO expr, ...
    f.type = "do";
    f.sideEffects = true;
    return f;
  }

  private Facts call(List<Token> t) {
    int[] end = new int[1];
    Facts.TableRef procedure = name(t, 1, end);
    Facts f;
    if (end[0] < t.size()) {
      f = parsed(t.subList(1, t.size()), "SELECT ", false, Set.of());
    } else {
      f = new Facts("call");
    }
    f.type = "call";
    f.functions.add(procedure.schema() == null ? procedure.name() : procedure.schema() + "." + procedure.name());
    f.sideEffects = true; // a procedure can write, commit and call anything
    f.hasWhere = false;
    return f;
  }

  private Facts load(List<Token> t) {
    if (dialect == Dialect.POSTGRES) {
      Facts f = sideEffect(new Facts("utility")); // LOAD 'library': loads a shared library from disk
      f.serverFileAccess = true;
      return f;
    }
    String w1 = word(t, 1);
    if ("index".equals(w1)) {
      return new Facts("utility");
    }
    if (!"data".equals(w1) && !"xml".equals(w1)) {
      return unknown("load");
    }
    Facts f = new Facts("copy");
    boolean local = false;
    for (int i = 2; i < t.size(); i++) {
      local |= t.get(i).isWord("local");
      if (t.get(i).isWord("into") && "table".equals(word(t, i + 1))) {
        int[] end = new int[1];
        f.written.add(name(t, i + 2, end));
        break;
      }
    }
    if (f.written.isEmpty()) {
      throw new NotAnalyzable("LOAD DATA without INTO TABLE");
    }
    if (!local) {
      f.serverFileAccess = true; // reads a file on the database server
      f.sideEffects = true;
    }
    return f;
  }

  private Facts declare(List<Token> t, int depth) {
    if (!isName(t, 1)) {
      throw new NotAnalyzable("DECLARE without a cursor name");
    }
    for (int i = 2; i + 1 < t.size(); i++) {
      if (t.get(i).isWord("for") && !t.get(i + 1).isWord("update")) {
        Facts inner = classify(t.subList(i + 1, t.size()), depth + 1, Set.of());
        if (!inner.isUnknown()) {
          cursors.put(Names.normalize(t.get(1).text(), dialect), inner);
        }
        return inner;
      }
    }
    throw new NotAnalyzable("DECLARE without FOR query");
  }

  /** FETCH returns rows: it is a read, of what its cursor reads when the cursor was declared in this request. */
  private Facts fetch(List<Token> t) {
    Facts f = new Facts("select");
    Token last = t.get(t.size() - 1);
    Facts cursor = isName(t, t.size() - 1) ? cursors.get(Names.normalize(last.text(), dialect)) : null;
    if (cursor != null) {
      f.read.addAll(cursor.read);
      f.columns.addAll(cursor.columns);
    }
    return f;
  }
}
