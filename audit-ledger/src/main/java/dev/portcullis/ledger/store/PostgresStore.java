package dev.portcullis.ledger.store;

import dev.portcullis.ledger.LedgerException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared store: several gateway replicas append to one ledger in PostgreSQL. A batch locks the single
 * {@code ledger_head} row, so the database serializes appends; a replica first takes in what the others appended,
 * then continues the chain. A commit is durable when PostgreSQL says so (synchronous_commit).
 */
public final class PostgresStore implements LedgerStore {
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS ledger_head (id int PRIMARY KEY CHECK (id = 1), size bigint NOT NULL);
      INSERT INTO ledger_head VALUES (1, 0) ON CONFLICT DO NOTHING;
      CREATE TABLE IF NOT EXISTS ledger_entries (seq bigint PRIMARY KEY, body bytea NOT NULL);
      CREATE TABLE IF NOT EXISTS ledger_checkpoints (id bigserial PRIMARY KEY, size bigint NOT NULL, note text NOT NULL);
      """;
  // Any constant: replicas creating the schema at once take turns.
  private static final long SCHEMA_LOCK = 0x706f7274L;

  private final String url;
  private Connection writeConnection;
  private Connection checkpointConnection;

  private PostgresStore(String url) {
    this.url = url;
  }

  public static PostgresStore open(String jdbcUrl, boolean createSchema) throws LedgerException {
    PostgresStore store = new PostgresStore(jdbcUrl);
    if (createSchema) {
      try (Connection c = store.connect()) {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          st.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
          st.execute(SCHEMA);
        }
        c.commit();
      } catch (SQLException e) {
        throw new LedgerException("cannot prepare the ledger tables at " + redacted(jdbcUrl) + ": " + e.getMessage(), e);
      }
    } else {
      try (Connection c = store.connect(); Statement st = c.createStatement()) {
        st.executeQuery("SELECT 1 FROM ledger_head").close();
      } catch (SQLException e) {
        throw new LedgerException("no ledger at " + redacted(jdbcUrl) + ": " + e.getMessage(), e);
      }
    }
    return store;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Override
  public long size() throws LedgerException {
    try (Connection c = connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT size FROM ledger_head WHERE id = 1")) {
      if (!rs.next()) throw new LedgerException("ledger_head row is missing");
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new LedgerException("cannot read the ledger size: " + e.getMessage(), e);
    }
  }

  @Override
  public void readEntries(long from, long to, EntryVisitor visitor) throws LedgerException {
    try (Connection c = connect()) {
      c.setAutoCommit(false); // lets the driver stream with a cursor
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT seq, body FROM ledger_entries WHERE seq >= ? AND seq < ? ORDER BY seq")) {
        ps.setFetchSize(2000);
        ps.setLong(1, from);
        ps.setLong(2, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) visitor.visit(new StoredBytes(rs.getLong(1), rs.getBytes(2), true));
        }
      }
      c.rollback();
    } catch (SQLException e) {
      throw new LedgerException("cannot read ledger entries: " + e.getMessage(), e);
    }
  }

  /** Reads a batch of entries by seq, for a replica catching up. */
  private List<byte[]> entries(Connection c, long from, long to) throws SQLException {
    List<byte[]> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT body FROM ledger_entries WHERE seq >= ? AND seq < ? ORDER BY seq")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getBytes(1));
      }
    }
    return out;
  }

  @Override
  public List<String> checkpoints() throws LedgerException {
    List<String> notes = new ArrayList<>();
    try (Connection c = connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT note FROM ledger_checkpoints ORDER BY id")) {
      while (rs.next()) notes.add(rs.getString(1));
    } catch (SQLException e) {
      throw new LedgerException("cannot read ledger checkpoints: " + e.getMessage(), e);
    }
    return notes;
  }

  @Override
  public List<Damage> damage() {
    return List.of();
  }

  @Override
  public Writer writer() {
    return new Writer() {
      @Override
      public List<byte[]> begin(long knownSize) throws LedgerException {
        try {
          if (writeConnection == null || writeConnection.isClosed()) {
            writeConnection = connect();
            writeConnection.setAutoCommit(false);
          }
          long size;
          try (Statement st = writeConnection.createStatement();
               ResultSet rs = st.executeQuery("SELECT size FROM ledger_head WHERE id = 1 FOR UPDATE")) {
            if (!rs.next()) throw new SQLException("ledger_head row is missing");
            size = rs.getLong(1);
          }
          if (size < knownSize) {
            throw new LedgerException("the ledger in the database shrank from " + knownSize + " to " + size + " entries");
          }
          List<byte[]> others = size > knownSize ? entries(writeConnection, knownSize, size) : List.of();
          if (others.size() != size - knownSize) {
            throw new LedgerException("ledger_entries lacks rows below the head size " + size);
          }
          return others;
        } catch (SQLException e) {
          abortQuietly();
          throw new LedgerException("ledger database unavailable: " + e.getMessage(), e);
        } catch (LedgerException e) {
          abortQuietly();
          throw e;
        }
      }

      @Override
      public void commit(long firstSeq, List<byte[]> entries) throws LedgerException {
        try {
          try (PreparedStatement ps = writeConnection.prepareStatement(
              "INSERT INTO ledger_entries (seq, body) VALUES (?, ?)")) {
            for (int i = 0; i < entries.size(); i++) {
              ps.setLong(1, firstSeq + i);
              ps.setBytes(2, entries.get(i));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          try (PreparedStatement ps = writeConnection.prepareStatement("UPDATE ledger_head SET size = ? WHERE id = 1")) {
            ps.setLong(1, firstSeq + entries.size());
            ps.executeUpdate();
          }
          writeConnection.commit();
        } catch (SQLException e) {
          abortQuietly();
          throw new LedgerException("ledger database commit failed, entries not recorded: " + e.getMessage(), e);
        }
      }

      @Override
      public boolean failureIsFatal() {
        return false;
      }

      @Override
      public void storeCheckpoint(long treeSize, String note) throws LedgerException {
        try {
          if (checkpointConnection == null || checkpointConnection.isClosed()) checkpointConnection = connect();
          try (PreparedStatement ps = checkpointConnection.prepareStatement(
              "INSERT INTO ledger_checkpoints (size, note) VALUES (?, ?)")) {
            ps.setLong(1, treeSize);
            ps.setString(2, note);
            ps.executeUpdate();
          }
        } catch (SQLException e) {
          closeQuietly(checkpointConnection);
          checkpointConnection = null;
          throw new LedgerException("cannot store checkpoint: " + e.getMessage(), e);
        }
      }
    };
  }

  private void abortQuietly() {
    try {
      if (writeConnection != null) writeConnection.rollback();
    } catch (SQLException e) {
      closeQuietly(writeConnection);
      writeConnection = null;
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      if (c != null) c.close();
    } catch (SQLException ignored) {
      // the connection is being discarded
    }
  }

  @Override
  public void close() {
    closeQuietly(writeConnection);
    closeQuietly(checkpointConnection);
  }

  /** The URL without its query string, which may carry a password. */
  static String redacted(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?...";
  }
}
