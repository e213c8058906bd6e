package dev.portcullis.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.gateway.testing.TestLedger;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {
  @TempDir Path dir;
  TestLedger ledger;
  AuditTrail audit;

  @BeforeEach
  void open() throws Exception {
    ledger = TestLedger.open(dir);
    audit = new AuditTrail(ledger.ledger());
  }

  @AfterEach
  void close() throws Exception {
    ledger.close();
  }

  @Test
  void aResultIsRecordedWithItsRowsAndError() throws Exception {
    audit.result("req_1", 0, "42P01 relation does not exist").get(10, TimeUnit.SECONDS);
    var entry = ledger.entries("execution_result").get(0);
    assertEquals("req_1", entry.path("request_id").asText());
    assertEquals("42P01 relation does not exist", entry.path("error").asText());
    assertEquals(0, audit.unrecordedResults());
  }

  @Test
  void aResultTheLedgerCannotRecordFailsWithTheReasonAndIsCounted() throws Exception {
    ledger.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> audit.result("req_1", 3, null).get(10, TimeUnit.SECONDS));
    assertEquals("ledger is closed", e.getCause().getMessage());
    assertThrows(ExecutionException.class, () -> audit.result("req_2", 3, null).get(10, TimeUnit.SECONDS));
    assertEquals(2, audit.unrecordedResults());
  }
}
