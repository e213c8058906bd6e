package dev.portcullis.postgres.proxy;

import dev.portcullis.gateway.protocol.UpstreamSettings;
import dev.portcullis.postgres.wire.BackendType;
import dev.portcullis.postgres.wire.Buffers;
import dev.portcullis.postgres.wire.Frame;
import dev.portcullis.postgres.wire.FrontendType;
import dev.portcullis.postgres.wire.Notice;
import dev.portcullis.postgres.wire.RowDescription;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Schema-qualified names of the tables result columns come from ({@code public.customers}), by table OID, so that
 * a mask rule naming a table applies to that table's columns only. Looked up once per table and database with a
 * catalog query on a short connection of the gateway's own, and shared by every session of the listener.
 */
final class TableNames {
  private static final long LOOKUP_TIMEOUT_SECONDS = 5;

  private record Key(String database, int oid) {}

  private final UpstreamSettings upstream;
  private final int maxMessageSize;
  private final ConcurrentHashMap<Key, String> names = new ConcurrentHashMap<>();

  TableNames(UpstreamSettings upstream, int maxMessageSize) {
    this.upstream = upstream;
    this.maxMessageSize = maxMessageSize;
  }

  /** The name of table {@code oid} in {@code database}, or null when unknown (not a table column, or not looked up). */
  String name(String database, int oid) {
    return oid == 0 ? null : names.get(new Key(database, oid));
  }

  /** The table OIDs of these columns that have not been looked up yet. */
  Set<Integer> unknown(String database, RowDescription description) {
    Set<Integer> oids = Set.of(); // asked per masked result, and nearly always all known: nothing to allocate
    for (RowDescription.Field f : description.fields()) {
      if (f.tableOid() != 0 && !names.containsKey(new Key(database, f.tableOid()))) {
        if (oids.isEmpty()) oids = new TreeSet<>();
        oids.add(f.tableOid());
      }
    }
    return oids;
  }

  /**
   * Looks the tables up; completes (on {@code loop}) once they are known. A failed lookup completes exceptionally:
   * the caller then masks without table names, which never masks less.
   */
  CompletableFuture<Void> lookUp(EventLoop loop, String database, Set<Integer> oids) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    String sql = "SELECT c.oid::int4, n.nspname || '.' || c.relname FROM pg_catalog.pg_class c"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid IN ("
        + oids.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("database", database);
    parameters.put("application_name", "portcullis catalog lookup");
    UpstreamConnection.open(loop, upstream, parameters, maxMessageSize, new UpstreamConnection.Listener() {
      @Override
      public void upstreamReady(UpstreamConnection c, Map<String, String> serverParameters, int pid, int key) {
        done.whenComplete((ok, failure) -> loop.execute(c::close));
        ByteBuf body = c.channel().alloc().buffer();
        Buffers.writeCString(body, sql);
        c.write(new Frame(FrontendType.QUERY, body));
        c.flush();
      }

      @Override
      public void upstreamMessage(Frame frame) {
        try {
          ByteBuf b = frame.content();
          if (frame.type() == BackendType.DATA_ROW && b.getShort(b.readerIndex()) == 2) {
            int at = b.readerIndex() + 2;
            int length = b.getInt(at);
            int oid = Integer.parseInt(b.toString(at + 4, length, StandardCharsets.UTF_8));
            at += 4 + length;
            names.put(new Key(database, oid), b.toString(at + 4, b.getInt(at), StandardCharsets.UTF_8));
          } else if (frame.type() == BackendType.ERROR_RESPONSE) {
            done.completeExceptionally(new IllegalStateException(Notice.decode(b).message()));
          } else if (frame.type() == BackendType.READY_FOR_QUERY) {
            done.complete(null);
          }
        } finally {
          frame.release();
        }
      }

      @Override
      public void upstreamFailed(Notice serverError, String reason) {
        done.completeExceptionally(new IllegalStateException(serverError != null ? serverError.message() : reason));
      }

      @Override
      public void upstreamClosed() {
        done.completeExceptionally(new IllegalStateException("catalog connection closed"));
      }

      @Override
      public void upstreamReadComplete() {}

      @Override
      public void upstreamWritabilityChanged() {}
    });
    // A catalog that does not answer must not hold the session: it then masks without table names.
    return done.orTimeout(LOOKUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
