package dev.portcullis.gateway.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portcullis.testkit.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The analyzer must see exactly the statements the server runs. Each query string goes to a real PostgreSQL in
 * one simple-query message and the server's command count is compared with the analyzer's statement count.
 */
class PostgresSplittingConformanceTest {

  private static RawPostgres server;
  private final SqlAnalyzer analyzer = SqlAnalyzer.postgres();

  @BeforeAll
  static void connect() throws Exception {
    server = new RawPostgres(TestDatabases.postgres(), "postgres");
  }

  @AfterAll
  static void disconnect() throws Exception {
    server.close();
  }

  @Test
  void trickyQuotingSplitsLikeTheServer() throws Exception {
    List<String> queries = List.of(
        "SELECT 1; SELECT 2",
        "SELECT 'a;b'; SELECT \"x;y\" FROM (SELECT 1 AS \"x;y\") s",
        "SELECT 1 /* ; /* nested ; */ still ; */; SELECT 2",
        "SELECT $$;$$; SELECT $a$ $$ ; $a$",
        "SELECT E'\\';'; SELECT 2",
        "SELECT 1 -- ; comment\n; SELECT 2",
        "SELECT 'it''s;'; SELECT 3",
        ";;SELECT 1;;",
        "SELECT U&'\\0041;'; SELECT 1",
        "SELECT a$b FROM (SELECT 1 AS a$b) s; SELECT 2",
        "DO $$BEGIN PERFORM 1; END$$; SELECT 1",
        "SELECT 'ü;'; SELECT 'ß'",
        "SELECT 1 /**/; SELECT 2/**/",
        "SELECT 1-/**/-1; SELECT 2 --",
        "SELECT $q$ ' $q$, ' $q$ '; SELECT 3",
        "sElEcT 1; BEGIN; COMMIT; SHOW search_path; SET application_name = 'a;b'; RESET application_name");
    for (String sql : queries) {
      RawPostgres.Outcome outcome = server.simpleQuery(sql);
      assertNull(outcome.error(), () -> sql + " failed on the server: " + outcome.error());
      List<StatementInfo> statements = analyzer.analyze(sql);
      assertEquals(outcome.commandTags().size(), statements.size(),
          () -> sql + "\nserver ran " + outcome.commandTags() + "\nanalyzer saw " + statements);
      statements.forEach(s -> assertNull(s.error(), () -> sql + " -> " + s));
    }
  }

  @Test
  void backslashAmbiguityIsRealAndRefused() throws Exception {
    // with standard_conforming_strings off the server runs a statement hidden in what reads as a string
    String sql = "SELECT '\\' ; ' ; SELECT 2; --'";
    server.simpleQuery("SET standard_conforming_strings = off");
    RawPostgres.Outcome off = server.simpleQuery(sql);
    server.simpleQuery("RESET standard_conforming_strings");
    assertEquals(List.of("SELECT 1", "SELECT 1"), off.commandTags(), () -> String.valueOf(off.error()));
    List<StatementInfo> statements = analyzer.analyze(sql);
    assertEquals(1, statements.size());
    assertEquals("unknown", statements.get(0).type());
  }
}
