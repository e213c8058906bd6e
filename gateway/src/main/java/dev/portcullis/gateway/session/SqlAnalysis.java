package dev.portcullis.gateway.session;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** Turns a SQL text into the contract's statement objects ({@code input.sql.statements}); one per SQL dialect. */
@FunctionalInterface
public interface SqlAnalysis {
  /** @param database the session's database (MySQL qualifies unqualified tables with it); may be null */
  ArrayNode statements(String database, String sqlText) throws Exception;

  /**
   * The same statements when they are cheap to produce (no parser run, nothing that could take long), so that an
   * event loop may ask; null when only {@link #statements} can tell.
   */
  default ArrayNode statementsIfCheap(String database, String sqlText) {
    return null;
  }
}
