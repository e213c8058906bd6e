package dev.portcullis.postgres.wire;

import java.util.Map;

/** The untyped messages a connection starts with. */
public sealed interface StartupPacket {
  /** Asks for TLS; answered with 'S' (then the handshake) or 'N'. */
  record SslRequest() implements StartupPacket {}

  /** Asks for GSSAPI encryption, which the gateway never offers ('N'). */
  record GssEncRequest() implements StartupPacket {}

  /** Cancels the query running on the session identified by the key from its BackendKeyData. */
  record CancelRequest(int processId, int secretKey) implements StartupPacket {}

  /**
   * Protocol 3.x startup: user, database, application_name, options and other run-time parameters. A client asking
   * for a minor version above 0, or sending protocol options ({@code _pq_.*}), is answered with 3.0.
   */
  record Startup(int minorVersion, Map<String, String> parameters, java.util.List<String> protocolOptions)
      implements StartupPacket {
    public String user() {
      return parameters.get("user");
    }

    /** The database, defaulting to the user name as PostgreSQL does. */
    public String database() {
      String db = parameters.get("database");
      return db == null || db.isEmpty() ? user() : db;
    }
  }
}
