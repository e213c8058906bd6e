package dev.portcullis.gateway.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portcullis.testkit.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MySQL dialect must see exactly the statements MariaDB runs: each query string goes to the real server in
 * one COM_QUERY with multi-statements on, and the number of results is compared with the analyzer's count.
 */
class MysqlSplittingConformanceTest {

  private static RawMysql server;
  private final SqlAnalyzer analyzer = SqlAnalyzer.mysql();

  @BeforeAll
  static void connect() throws Exception {
    server = new RawMysql(TestDatabases.mariadb());
  }

  @AfterAll
  static void disconnect() throws Exception {
    server.close();
  }

  @Test
  void trickyQuotingSplitsLikeTheServer() throws Exception {
    List<String> queries = List.of(
        "SELECT 1; SELECT 2",
        "SELECT 'a;b'; SELECT \"c;d\"",
        "SELECT 'it\\'s;'; SELECT 2",
        "SELECT \"x\\\";y\"; SELECT 3",
        "SELECT 'a\\\\'; SELECT 5",
        "SELECT 1 # ; comment\n; SELECT 2",
        "SELECT 1 -- ; comment\n; SELECT 2",
        "SELECT 1--1; SELECT 2",
        "SELECT 1 /* ; */; SELECT 2",
        "SELECT `a;b` FROM (SELECT 1 AS `a;b`) s; SELECT 4",
        "SELECT 'x''y;'; SELECT 7",
        "SELECT @a := 1; SELECT @`b;c` := 2",
        "SELECT 1;",
        "sElEcT 1; BEGIN; COMMIT; SHOW DATABASES; SET @x = 'a;b'; USE mysql",
        "SELECT 1 #");
    for (String sql : queries) {
      RawMysql.Outcome outcome = server.query(sql);
      assertNull(outcome.error(), () -> sql + " failed on the server: " + outcome.error());
      List<StatementInfo> statements = analyzer.analyze(sql);
      assertEquals(outcome.results(), statements.size(),
          () -> sql + "\nserver returned " + outcome.results() + " results\nanalyzer saw " + statements);
      statements.forEach(s -> assertNull(s.error(), () -> sql + " -> " + s));
    }
  }

  @Test
  void executableCommentsRunCodeAndAreRefused() throws Exception {
    String sql = "SELECT 1 /*! + 41 */";
    assertEquals("42", server.query(sql).firstValue(), "the server runs the code inside the comment");
    List<StatementInfo> statements = analyzer.analyze(sql);
    assertEquals(1, statements.size());
    assertEquals("unknown", statements.get(0).type());
  }

  @Test
  void backslashesEscapeByDefault() throws Exception {
    // only with backslash escapes is "'a\\' ; SELECT '" one string, leaving two statements
    String sql = "SELECT 'a\\' ; SELECT ' ; SELECT 'b'";
    RawMysql.Outcome outcome = server.query(sql);
    assertNull(outcome.error(), outcome::error);
    assertEquals(2, outcome.results());
    assertEquals("b", outcome.firstValue());
    assertEquals(2, analyzer.analyze(sql).size());
  }
}
