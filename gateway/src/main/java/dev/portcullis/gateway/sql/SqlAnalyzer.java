package dev.portcullis.gateway.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Splits a query string into statements and says what each one does, for the policy. Thread-safe and stateless
 * between calls. Never throws: input it cannot analyze comes back as statements of type {@code unknown} with the
 * reason, which policies deny.
 */
public final class SqlAnalyzer {

  /** Longest query string analyzed; anything longer is one unknown statement. */
  public static final int MAX_QUERY_CHARS = 1_000_000;
  /** Most statements analyzed in one query string; the rest become one unknown statement. */
  public static final int MAX_STATEMENTS = 1_000;

  private final Dialect dialect;
  private final Function<Facts.TableRef, String> qualifier;
  /** Parse results, shared by the analyzers of one dialect whatever their default schema. */
  private final BoundedCache<Facts> parses;
  /**
   * Plain queries analyzed before, by default schema and shape (see {@link #shapeKey}): a statement of a known shape
   * costs a lexer pass and a lookup. Shared like {@link #parses}; the key holds the schema the tables are qualified in.
   */
  private final BoundedCache<StatementInfo> shapes;
  private final String defaultSchema;

  private SqlAnalyzer(Dialect dialect, String defaultSchema, BoundedCache<Facts> parses,
                      BoundedCache<StatementInfo> shapes) {
    this.dialect = dialect;
    this.defaultSchema = defaultSchema;
    this.qualifier = dialect == Dialect.POSTGRES ? postgresQualifier(defaultSchema) : mysqlQualifier(defaultSchema);
    this.parses = parses;
    this.shapes = shapes;
  }

  /**
   * PostgreSQL; unqualified tables are reported in schema {@code defaultSchema}, except pg_* names which
   * resolve to pg_catalog (searched first by the server).
   */
  public static SqlAnalyzer postgres(String defaultSchema) {
    return new SqlAnalyzer(Dialect.POSTGRES, defaultSchema, new BoundedCache<>(), new BoundedCache<>());
  }

  /** PostgreSQL with the default schema {@code public}. */
  public static SqlAnalyzer postgres() {
    return postgres("public");
  }

  /** MySQL/MariaDB; unqualified tables are reported in {@code currentDatabase}, or unqualified when null. */
  public static SqlAnalyzer mysql(String currentDatabase) {
    return new SqlAnalyzer(Dialect.MYSQL, currentDatabase, new BoundedCache<>(), new BoundedCache<>());
  }

  /** MySQL/MariaDB with the current database unknown: unqualified tables stay unqualified. */
  public static SqlAnalyzer mysql() {
    return mysql(null);
  }

  /**
   * The same analyzer (sharing its caches) reporting unqualified tables in another schema (PostgreSQL) or
   * database (MySQL, e.g. after USE); cheap enough to call per session.
   */
  public SqlAnalyzer withDefaultSchema(String schemaOrDatabase) {
    return new SqlAnalyzer(dialect, schemaOrDatabase, parses, shapes);
  }

  private static Function<Facts.TableRef, String> postgresQualifier(String defaultSchema) {
    String schema = defaultSchema == null ? "public" : defaultSchema;
    return t -> {
      if (t.schema() != null) {
        return t.schema() + "." + t.name();
      }
      return (t.name().startsWith("pg_") ? "pg_catalog" : schema) + "." + t.name();
    };
  }

  private static Function<Facts.TableRef, String> mysqlQualifier(String currentDatabase) {
    String db = currentDatabase == null ? null : currentDatabase.toLowerCase(java.util.Locale.ROOT);
    return t -> {
      String schema = t.schema() != null ? t.schema() : db;
      return schema == null ? t.name() : schema + "." + t.name();
    };
  }

  /** The statements of {@code sql} in order; empty statements (";;", comment only) are dropped. */
  public List<StatementInfo> analyze(String sql) {
    return analyze(sql, true);
  }

  /**
   * {@link #analyze} when that needs no parser run: every statement's shape has been parsed before (the cache knows
   * it) or needs no parser. Empty otherwise. Cheap and bounded, so an event loop may call it.
   */
  public Optional<List<StatementInfo>> analyzeWithoutParsing(String sql) {
    try {
      return Optional.of(analyze(sql, false));
    } catch (StatementClassifier.ParseNeeded e) {
      return Optional.empty();
    }
  }

  private List<StatementInfo> analyze(String sql, boolean mayParse) {
    if (sql == null) {
      return List.of(StatementInfo.unknown("", "no query text"));
    }
    if (sql.length() > MAX_QUERY_CHARS) {
      return List.of(StatementInfo.unknown(sql.substring(0, 200) + "...",
          "query text longer than " + MAX_QUERY_CHARS + " characters is not analyzed"));
    }
    try {
      return split(sql, mayParse);
    } catch (StatementClassifier.ParseNeeded e) {
      throw e;
    } catch (StackOverflowError | RuntimeException e) {
      return List.of(StatementInfo.unknown(sql, "query could not be analyzed: " + e));
    }
  }

  private List<StatementInfo> split(String sql, boolean mayParse) {
    SqlLexer.Lexed lexed = SqlLexer.lex(sql, dialect, dialect.backslashEscapesByDefault());
    if (lexed.backslashInPlainString() && dialect.refusesEscapeAmbiguity()) {
      SqlLexer.Lexed other = SqlLexer.lex(sql, dialect, !dialect.backslashEscapesByDefault());
      if (!lexed.sameBoundaries(other)) {
        return List.of(StatementInfo.unknown(sql.strip(), "a backslash before a quote makes the string "
            + "literals read differently depending on server settings (standard_conforming_strings, "
            + "NO_BACKSLASH_ESCAPES)"));
      }
    }
    StatementClassifier classifier = new StatementClassifier(dialect, parses, mayParse);
    List<StatementInfo> out = new ArrayList<>();
    List<Token> tokens = lexed.tokens();
    int segmentStart = 0;
    int first = 0;
    for (int i = 0; i <= tokens.size(); i++) {
      boolean end = i == tokens.size();
      if (!end && !tokens.get(i).isSymbol(';')) {
        continue;
      }
      int segmentEnd = end ? sql.length() : tokens.get(i).start();
      List<Token> statement = tokens.subList(first, i);
      boolean lexError = end && lexed.error() != null;
      if (!statement.isEmpty() || lexError) {
        String text = sql.substring(segmentStart, segmentEnd).strip();
        if (out.size() == MAX_STATEMENTS) {
          out.add(StatementInfo.unknown(sql.substring(segmentStart).strip(),
              "more than " + MAX_STATEMENTS + " statements in one query are not analyzed"));
          return out;
        }
        out.add(lexError ? Facts.unknown(lexed.error() + " (at offset " + lexed.errorAt() + ")").freeze(text, qualifier)
            : classify(classifier, statement, text));
      }
      if (!end) {
        segmentStart = tokens.get(i).end();
        first = i + 1;
      }
    }
    return out;
  }

  /**
   * A plain query's facts are its parse's, plus what the token sweep finds in names: when the parse cache supplied
   * them (it holds only facts no literal value changes), every statement of the same shape has them too.
   */
  private StatementInfo classify(StatementClassifier classifier, List<Token> statement, String text) {
    String shape = StatementClassifier.isPlainQuery(statement, dialect) ? shapeKey(statement) : null;
    StatementInfo known = shape == null ? null : shapes.get(shape);
    if (known != null) {
      return known.withText(text);
    }
    Facts facts = classifier.classify(statement);
    StatementInfo info = facts.freeze(text, qualifier);
    if (shape != null && facts.fromParseCache) {
      shapes.put(shape, info);
    }
    return info;
  }

  /**
   * The default schema and the statement without its literal values: each token's kind and whether blanks precede
   * it, and the text of every token but strings and numbers (all that the parse cache's key is made of). Texts are
   * length-prefixed, so no two shapes share a key; a length a char cannot hold makes a key too long to be kept.
   */
  private String shapeKey(List<Token> statement) {
    StringBuilder key = new StringBuilder(statement.size() * 8 + 16);
    appendCounted(key, defaultSchema == null ? "" : defaultSchema).append(defaultSchema == null ? '-' : '+');
    int previousEnd = Integer.MAX_VALUE;
    for (Token token : statement) {
      key.append((char) (token.kind().ordinal() * 2 + (token.start() > previousEnd ? 1 : 0)));
      if (token.kind() != Token.Kind.STRING && token.kind() != Token.Kind.NUMBER) {
        appendCounted(key, token.text());
      }
      previousEnd = token.end();
    }
    return key.toString();
  }

  private static StringBuilder appendCounted(StringBuilder key, String text) {
    return key.append((char) text.length()).append(text);
  }
}
