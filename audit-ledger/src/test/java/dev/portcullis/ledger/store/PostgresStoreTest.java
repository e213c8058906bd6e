package dev.portcullis.ledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerConfig;
import dev.portcullis.ledger.LedgerFixture;
import dev.portcullis.ledger.verify.Verifier;
import dev.portcullis.ledger.verify.VerifyReport;
import dev.portcullis.testkit.TestDatabases;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several gateway replicas writing one ledger in the real local PostgreSQL. */
class PostgresStoreTest {
  @TempDir
  Path tmp;

  private String database;
  private String url;
  private LedgerFixture f;

  @BeforeEach
  void freshDatabase() throws Exception {
    database = TestDatabases.createPostgresDatabase("ledger");
    TestDatabases.Server pg = TestDatabases.postgres();
    url = pg.jdbcUrl("postgresql", database) + "?user=" + URLEncoder.encode(pg.user(), StandardCharsets.UTF_8)
        + (pg.password().isEmpty() ? "" : "&password=" + URLEncoder.encode(pg.password(), StandardCharsets.UTF_8));
    f = new LedgerFixture(tmp);
  }

  @AfterEach
  void dropDatabase() {
    TestDatabases.dropPostgres(database);
  }

  private LedgerConfig config() {
    return new LedgerConfig(null, url, f.key, LedgerFixture.ORIGIN, 25, Duration.ofMillis(50), Duration.ofHours(1));
  }

  @Test
  void twoReplicasAppendConcurrentlyIntoOneVerifiableChain() throws Exception {
    Set<Long> seqs = new TreeSet<>();
    try (Ledger a = Ledger.open(config()); Ledger b = Ledger.open(config())) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Ledger.Appended>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        Ledger replica = i % 2 == 0 ? a : b;
        String id = "req_" + i;
        results.add(pool.submit(() -> replica.append("decision", LedgerFixture.decision(id))));
      }
      for (Future<Ledger.Appended> r : results) seqs.add(r.get().seq());
      pool.shutdown();
    }
    assertEquals(400, seqs.size());
    assertEquals(399L, ((TreeSet<Long>) seqs).last());
    try (PostgresStore store = PostgresStore.open(url, false)) {
      assertEquals(400, store.size());
      VerifyReport report = new Verifier(f.signer.verifier(), null, n -> {}).verify(store, null);
      assertTrue(report.ok(), report.text());
      assertEquals(0, report.unanchored());
    }
  }

  @Test
  void aReopenedReplicaContinuesAndTheCliVerifiesThroughTheConfiguration() throws Exception {
    try (Ledger a = Ledger.open(config())) {
      for (int i = 0; i < 30; i++) a.append("decision", LedgerFixture.decision("a" + i));
    }
    try (Ledger a = Ledger.open(config())) {
      assertEquals(30, a.size());
      assertEquals(30, a.append("execution_result", LedgerFixture.decision("a30")).seq());
    }
    Path yaml = tmp.resolve("pg.yaml");
    Files.writeString(yaml, "ledger:\n  jdbc_url: \"" + url + "\"\n  signing_key: ledger.key\n  origin: "
        + LedgerFixture.ORIGIN + "\n");
    LedgerFixture.Run run = LedgerFixture.cli("verify", "--config", yaml.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().startsWith("entries: 31 valid of 31; checkpoints: "), run.out());
  }

  @Test
  void aRowChangedInTheDatabaseIsDetected() throws Exception {
    try (Ledger a = Ledger.open(config())) {
      for (int i = 0; i < 10; i++) a.append("decision", LedgerFixture.decision("a" + i));
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE ledger_entries SET body = convert_to(replace(convert_from(body, 'UTF8'),"
          + " '\"outcome\":\"mask\"', '\"outcome\":\"allow\"'), 'UTF8') WHERE seq = 4");
    }
    try (PostgresStore store = PostgresStore.open(url, false)) {
      VerifyReport report = new Verifier(f.signer.verifier(), null, n -> {}).verify(store, null);
      assertTrue(report.problems().contains("seq 5: prev does not match the hash of the entry before it"
          + " (that entry was changed, removed or moved)"), report.text());
    }
  }
}
