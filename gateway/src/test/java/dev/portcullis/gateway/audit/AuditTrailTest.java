package dev.portcullis.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.gateway.testing.MemoryLedger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuditTrailTest {
  private final MemoryLedger ledger = new MemoryLedger();
  private final AuditTrail audit = new AuditTrail(ledger);

  @Test
  void aResultIsRecordedWithItsRowsAndError() throws Exception {
    audit.result("req_1", 0, "42P01 relation does not exist").get(10, TimeUnit.SECONDS);
    var entry = ledger.entries("execution_result").get(0).fields();
    assertEquals("req_1", entry.path("request_id").asText());
    assertEquals("42P01 relation does not exist", entry.path("error").asText());
    assertEquals(0, audit.unrecordedResults());
  }

  @Test
  void aResultTheLedgerCannotRecordFailsWithTheReasonAndIsCounted() {
    ledger.failWith("disk full");
    ExecutionException e = assertThrows(ExecutionException.class, () -> audit.result("req_1", 3, null).get(10, TimeUnit.SECONDS));
    assertEquals("disk full", e.getCause().getMessage());
    assertThrows(ExecutionException.class, () -> audit.result("req_2", 3, null).get(10, TimeUnit.SECONDS));
    assertEquals(2, audit.unrecordedResults());
  }
}
