package dev.portcullis.gateway.approvals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approval requests in one PostgreSQL table shared by several gateway replicas and the {@code approvals} commands.
 * An update locks its row ({@code SELECT ... FOR UPDATE}) and announces the change with {@code NOTIFY}, delivered
 * when it commits; {@link #watch} LISTENs, so the replica holding the statement learns of a verdict written on
 * another replica at once instead of at its next poll.
 */
public final class PostgresApprovalStore implements ApprovalStore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresApprovalStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String CHANNEL = "portcullis_approvals";
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS portcullis_approvals (
        id text PRIMARY KEY,
        record text NOT NULL,
        updated timestamptz NOT NULL DEFAULT now())
      """;
  // Any constant: replicas creating the table at once take turns (CREATE TABLE IF NOT EXISTS alone can race).
  private static final long SCHEMA_LOCK = 0x61707072L;

  private final String url;
  private final Properties credentials = new Properties();
  private volatile Thread listener;
  private volatile boolean closed;

  private PostgresApprovalStore(String url, String password) {
    this.url = url;
    if (password != null) credentials.setProperty("password", password);
  }

  /** Connects, creates the table when missing, and returns the store. */
  public static PostgresApprovalStore open(String jdbcUrl, String password) throws IOException {
    PostgresApprovalStore store = new PostgresApprovalStore(jdbcUrl, password);
    try (Connection c = store.connect()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
        st.execute(SCHEMA);
      }
      c.commit();
    } catch (SQLException e) {
      throw new IOException("approvals: cannot prepare the table at " + redacted(jdbcUrl) + ": " + e.getMessage(), e);
    }
    return store;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, credentials);
  }

  @Override
  public void create(ObjectNode record) throws IOException {
    String id = record.path("id").asText();
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO portcullis_approvals (id, record) VALUES (?, ?)")) {
        ps.setString(1, id);
        ps.setString(2, JSON.writeValueAsString(record));
        ps.executeUpdate();
      }
      notify(c, id);
      c.commit();
    } catch (SQLException e) {
      throw new IOException("approvals: cannot store " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ObjectNode> read(String id) throws IOException {
    try (Connection c = connect();
         PreparedStatement ps = c.prepareStatement("SELECT record FROM portcullis_approvals WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of((ObjectNode) JSON.readTree(rs.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IOException("approvals: cannot read " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<ObjectNode> list() throws IOException {
    List<ObjectNode> out = new ArrayList<>();
    try (Connection c = connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT record FROM portcullis_approvals ORDER BY id COLLATE \"C\"")) {
      while (rs.next()) out.add((ObjectNode) JSON.readTree(rs.getString(1)));
    } catch (SQLException e) {
      throw new IOException("approvals: cannot list: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public ObjectNode update(String id, Change change) throws IOException, ApprovalException {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      ObjectNode record;
      try (PreparedStatement ps = c.prepareStatement("SELECT record FROM portcullis_approvals WHERE id = ? FOR UPDATE")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) throw new ApprovalException("no approval request " + id);
          record = (ObjectNode) JSON.readTree(rs.getString(1));
        }
      }
      try {
        change.apply(record);
      } catch (ApprovalException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE portcullis_approvals SET record = ?, updated = now() WHERE id = ?")) {
        ps.setString(1, JSON.writeValueAsString(record));
        ps.setString(2, id);
        ps.executeUpdate();
      }
      notify(c, id);
      c.commit();
      return record;
    } catch (SQLException e) {
      throw new IOException("approvals: cannot update " + id + ": " + e.getMessage(), e);
    }
  }

  private static void notify(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
      ps.setString(1, id);
      ps.execute();
    }
  }

  /** Listens on its own connection; when that breaks it reconnects, and meanwhile the gateway's polling carries on. */
  @Override
  public synchronized void watch(Runnable onChange) {
    if (listener != null) throw new IllegalStateException("already watched");
    Thread t = new Thread(() -> listen(onChange), "portcullis-approvals-listen");
    t.setDaemon(true);
    listener = t;
    t.start();
  }

  private void listen(Runnable onChange) {
    while (!closed) {
      try (Connection c = connect()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        // A verdict may have landed while no one listened: look once after (re)connecting.
        onChange.run();
        while (!closed) {
          PGNotification[] arrived = pg.getNotifications(500);
          if (arrived != null && arrived.length > 0) onChange.run();
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) return;
        LOG.warn("approvals: LISTEN {} failed, polling only until it reconnects: {}", CHANNEL, e.toString());
        try {
          Thread.sleep(1000); // back off before reconnecting
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t = listener;
    if (t != null) t.interrupt();
  }

  private static String redacted(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
