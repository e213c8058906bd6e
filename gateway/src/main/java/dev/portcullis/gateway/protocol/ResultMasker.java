package dev.portcullis.gateway.protocol;

/**
 * Rewrites the values of one result before they reach the client. Get one per result (PostgreSQL: per
 * RowDescription) and use it from one thread at a time.
 */
public interface ResultMasker {

  /** Changes nothing; modules may skip decoding rows entirely. */
  ResultMasker PASS_THROUGH = new ResultMasker() {
    @Override
    public boolean passThrough() { return true; }

    @Override
    public String mask(int column, String value) { return value; }
  };

  /** True when {@link #mask} never changes a value. */
  boolean passThrough();

  /**
   * The value to send for the given 0-based column: the value itself, a rewritten text, or null for SQL NULL.
   * {@code value} is the text form of the value, null for SQL NULL.
   */
  String mask(int column, String value);
}
