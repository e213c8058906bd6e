package dev.portcullis.gateway.sql;

import static dev.portcullis.gateway.sql.Tokens.isName;
import static dev.portcullis.gateway.sql.Tokens.symbol;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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

  /**
   * Parses one statement. JSqlParser's lookahead is exponential on some inputs, in either of its modes (ten
   * nested {@code CASE WHEN (} take minutes in "complex" mode; an array subscript holding a subquery takes
   * seconds to fail in "simple" mode, then milliseconds to parse in complex mode). So each mode runs on a pooled
   * worker thread under its own CPU-time budget and the worker is stopped when the budget is spent: simple mode
   * first, complex mode when simple fails or runs out and the nesting is shallow.
   *
   * @throws ParseTimeout when a budget ran out and no mode succeeded (not a property of the text: never cached)
   * @throws NotAnalyzable when JSqlParser cannot read the statement
   */
  static Statement parse(String sql) {
    if (sql.length() > MAX_PARSED_CHARS) {
      throw new NotAnalyzable("statement longer than " + MAX_PARSED_CHARS + " characters is not analyzed");
    }
    ParseJob simple = run(new ParseJob(sql, false), SIMPLE_BUDGET_MILLIS);
    if (simple.statement != null) {
      return simple.statement;
    }
    ParseJob complex = null;
    if (CCJSqlParserUtil.getNestingDepth(sql) <= MAX_COMPLEX_NESTING) {
      complex = run(new ParseJob(sql, true), COMPLEX_BUDGET_MILLIS);
      if (complex.statement != null) {
        return complex.statement;
      }
    }
    if (simple.failure == null || complex != null && complex.failure == null) {
      throw new ParseTimeout("statement too complex to parse within the parser's CPU budget");
    }
    throw new NotAnalyzable(simple.failure); // the simple-mode error is usually the clearer one
  }

  /** Runs the job on a worker; a job that spends its budget is stopped and comes back with neither result. */
  private static ParseJob run(ParseJob job, long budgetMillis) {
    WORKERS.execute(job);
    long budget = TimeUnit.MILLISECONDS.toNanos(budgetMillis);
    long wallDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WALL_MILLIS);
    try {
      while (!job.done.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        if ((job.cpuNanos() > budget || System.nanoTime() > wallDeadline) && job.cancel()) {
          return job;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      job.cancel();
      throw new ParseTimeout("interrupted while parsing the statement");
    }
    return job;
  }

  /** Thrown when parsing ran out of time; unlike a parse error it says nothing certain about the text. */
  static final class ParseTimeout extends NotAnalyzable {
    ParseTimeout(String message) {
      super(message);
    }
  }

  /**
   * Budgets are CPU time of the parsing thread, so a busy machine does not turn legitimate statements into
   * timeouts; the wall-clock cap covers JVMs without thread CPU time.
   */
  private static final long SIMPLE_BUDGET_MILLIS = 250;
  private static final long COMPLEX_BUDGET_MILLIS = 500;
  private static final long MAX_WALL_MILLIS = 10_000;
  private static final long POLL_MILLIS = 20;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long WORKER_STACK_BYTES = 16L << 20;
  /** JSqlParser retries failed statements in its slower "complex" mode; only for shallow nesting. */
  private static final int MAX_COMPLEX_NESTING = 6;

  /** Grows with concurrent parses, idle workers die after a minute; a stopped worker is replaced. */
  private static final ThreadPoolExecutor WORKERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
      TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
        Thread t = new Thread(null, task, "portcullis-sql-parse", WORKER_STACK_BYTES);
        t.setDaemon(true);
        return t;
      });

  /**
   * One parse. The caller and the worker agree under the job's lock whether the job finished or was killed,
   * so a worker is only ever stopped while it is still inside this job.
   */
  private static final class ParseJob implements Runnable {
    private final String sql;
    private final boolean complex;
    final CountDownLatch done = new CountDownLatch(1);
    private Statement statement;
    private String failure;
    private Thread runner;
    private long startCpu;
    private boolean finished;
    private boolean killed;

    ParseJob(String sql, boolean complex) {
      this.sql = sql;
      this.complex = complex;
    }

    @Override
    public void run() {
      try {
        synchronized (this) {
          if (killed) {
            return;
          }
          runner = Thread.currentThread();
          startCpu = THREADS.getThreadCpuTime(runner.getId());
        }
        Statement parsed = null;
        String error;
        try {
          parsed = attempt(sql, complex);
          error = null;
        } catch (StackOverflowError e) {
          error = "statement too deeply nested to parse";
        } catch (Exception e) {
          error = "parse error: " + firstLine(e.getMessage());
        }
        synchronized (this) {
          if (killed) {
            awaitStop(); // the stop is on its way: take it here, inside the job
          }
          statement = parsed;
          failure = error;
          finished = true;
        }
      } finally {
        done.countDown();
      }
    }

    /** CPU time the worker has spent so far (on all jobs it ran), or -1 before it starts or if unknown. */
    long cpuNanos() {
      Thread t;
      synchronized (this) {
        t = runner;
      }
      return t == null ? -1 : THREADS.getThreadCpuTime(t.getId()) - startCpu;
    }

    /** @return true if the job was stopped, false if it had already finished */
    synchronized boolean cancel() {
      if (finished) {
        return false;
      }
      killed = true;
      if (runner != null) {
        stop(runner);
      }
      return true;
    }

    private static void awaitStop() {
      while (true) {
        LockSupport.parkNanos(1_000_000);
      }
    }
  }

  /**
   * Stops a parse that ran out of time. Thread.stop is safe here: the worker runs nothing but this JSqlParser
   * instance, which shares no state, and the pool replaces the thread. Where the JVM no longer supports it the
   * daemon thread is left to finish at minimum priority.
   */
  @SuppressWarnings("deprecation")
  private static void stop(Thread worker) {
    worker.setPriority(Thread.MIN_PRIORITY);
    try {
      worker.stop();
    } catch (UnsupportedOperationException e) {
      // newer JVMs: nothing more can be done, the statement is refused anyway
    }
  }

  private static Statement attempt(String sql, boolean complex) throws Exception {
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
