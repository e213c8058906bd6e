package dev.portcullis.ledger.store;

import dev.portcullis.ledger.LedgerConfig;
import dev.portcullis.ledger.LedgerException;

/** Opening a configured ledger's store to read it, without taking the writer's place. */
public final class Stores {
  private Stores() {}

  public static LedgerStore openForReading(LedgerConfig config) throws LedgerException {
    return config.dir() != null ? SegmentStore.openForReading(config.dir()) : PostgresStore.open(config.jdbcUrl(), false);
  }
}
