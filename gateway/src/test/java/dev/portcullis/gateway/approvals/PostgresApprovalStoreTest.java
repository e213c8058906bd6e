package dev.portcullis.gateway.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.session.Ids;
import dev.portcullis.testkit.TestDatabases;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The approval store replicas share, on the real local PostgreSQL; two store objects stand for two processes. */
class PostgresApprovalStoreTest {
  String database;
  String url;
  PostgresApprovalStore a;
  PostgresApprovalStore b;

  @BeforeEach
  void open() throws Exception {
    TestDatabases.Server pg = TestDatabases.postgres();
    database = TestDatabases.createPostgresDatabase("approvals");
    url = pg.jdbcUrl("postgresql", database) + "?user=" + pg.user();
    a = PostgresApprovalStore.open(url, pg.password());
    b = PostgresApprovalStore.open(url, pg.password()); // the table exists already: opening again is fine
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
    TestDatabases.dropPostgres(database);
  }

  static ObjectNode record(String status) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("id", Ids.next("apr"));
    r.put("status", status);
    r.putArray("reviews");
    return r;
  }

  @Test
  void recordsWrittenByOneStoreAreReadByTheOther() throws Exception {
    ObjectNode first = record("pending");
    ObjectNode second = record("pending");
    a.create(first);
    a.create(second);
    assertEquals(first, b.read(first.path("id").asText()).orElseThrow());
    // By id, as the file store lists: ids start with their creation time (two in one millisecond are unordered).
    List<ObjectNode> byId = new ArrayList<>(List.of(first, second));
    byId.sort(java.util.Comparator.comparing(n -> n.path("id").asText()));
    assertEquals(byId, b.list());
    assertTrue(b.read("apr_nothing").isEmpty());
    assertThrows(IOException.class, () -> a.create(first), "ids are unique");
  }

  @Test
  void onlyOneOfTwoConcurrentUpdatesMovesARequestOutOfPending() throws Exception {
    ObjectNode r = record("pending");
    a.create(r);
    String id = r.path("id").asText();
    List<CompletableFuture<String>> racers = new ArrayList<>();
    for (PostgresApprovalStore store : List.of(a, b, a, b)) {
      racers.add(CompletableFuture.supplyAsync(() -> {
        try {
          store.update(id, rec -> {
            if (!rec.path("status").asText().equals("pending")) throw new ApprovalException("already decided");
            rec.put("status", "approved");
          });
          return "won";
        } catch (ApprovalException e) {
          return e.getMessage();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    List<String> outcomes = racers.stream().map(CompletableFuture::join).sorted().toList();
    assertEquals(List.of("already decided", "already decided", "already decided", "won"), outcomes);
    assertEquals("approved", b.read(id).orElseThrow().path("status").asText());
  }

  @Test
  void aRefusedChangeLeavesTheRecordAsItWas() throws Exception {
    ObjectNode r = record("pending");
    a.create(r);
    String id = r.path("id").asText();
    ApprovalException refused = assertThrows(ApprovalException.class, () -> a.update(id, rec -> {
      rec.put("status", "approved");
      throw new ApprovalException("no");
    }));
    assertEquals("no", refused.getMessage());
    assertEquals("pending", b.read(id).orElseThrow().path("status").asText());
    assertEquals("no approval request apr_x", assertThrows(ApprovalException.class, () -> a.update("apr_x", rec -> {}))
        .getMessage());
  }

  @Test
  void aWatcherHearsOfChangesMadeThroughAnotherStore() throws Exception {
    ObjectNode r = record("pending");
    a.create(r);
    // The first call comes when the listener is connected (it looks once then); the second is the NOTIFY.
    CountDownLatch listening = new CountDownLatch(1);
    CountDownLatch changed = new CountDownLatch(2);
    a.watch(() -> {
      listening.countDown();
      changed.countDown();
    });
    assertTrue(listening.await(10, TimeUnit.SECONDS), "the listener never connected");
    b.update(r.path("id").asText(), rec -> rec.put("status", "denied"));
    assertTrue(changed.await(10, TimeUnit.SECONDS), "no notification arrived");
  }

  @Test
  void anUnreachableDatabaseIsAClearError() {
    IOException e = assertThrows(IOException.class,
        () -> PostgresApprovalStore.open("jdbc:postgresql://127.0.0.1:1/nope?connectTimeout=2&password=secret", null));
    assertTrue(e.getMessage().startsWith("approvals: cannot prepare the table at jdbc:postgresql://127.0.0.1:1/nope"),
        e.getMessage());
    assertTrue(!e.getMessage().contains("secret"), e.getMessage());
  }
}
