package dev.portcullis.gateway.approvals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.config.GatewayConfig;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where approval requests live, shared by the gateway and the {@code approvals} commands (other processes, other
 * replicas): a folder of JSON files ({@link FileApprovalStore}) or a PostgreSQL table ({@link PostgresApprovalStore}).
 * An {@link #update} is atomic against every other writer, so two reviewers never both move a request out of
 * {@code pending}.
 */
public interface ApprovalStore extends AutoCloseable {

  /** A change to one record, refused with a reason when it does not apply to the current state. */
  @FunctionalInterface
  interface Change {
    void apply(ObjectNode record) throws ApprovalException;
  }

  /** The store the configuration names, ready to use (folder or table created). */
  static ApprovalStore open(GatewayConfig.Approvals config) throws IOException {
    if (config.jdbcUrl() != null) return PostgresApprovalStore.open(config.jdbcUrl(), config.password());
    FileApprovalStore store = new FileApprovalStore(config.store());
    store.prepare();
    return store;
  }

  /** Stores a new record (its {@code id} is the key). */
  void create(ObjectNode record) throws IOException;

  Optional<ObjectNode> read(String id) throws IOException;

  /** Every record, oldest first. */
  List<ObjectNode> list() throws IOException;

  /** Applies a change to one record atomically and returns the record as written. */
  ObjectNode update(String id, Change change) throws IOException, ApprovalException;

  /**
   * Calls {@code onChange} (on a store thread) soon after any record changes, also changes written by other
   * processes, so a waiting gateway need not wait for its next poll. Stores that cannot tell do nothing; the
   * gateway polls either way.
   */
  default void watch(Runnable onChange) {}

  @Override
  default void close() {}
}
