package dev.portcullis.gateway.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.portcullis.gateway.approvals.ApprovalDesk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The console's live updates as server-sent events: {@code approval} events (filed, reviewed, decided) carry the
 * approval id and what happened; the page then reloads what it shows. Writes happen on one thread of their own,
 * so a slow browser never holds up the approval desk.
 */
final class Events implements ApprovalDesk.Listener, AutoCloseable {
  private static final int MAX_CLIENTS = 256;

  private final Set<HttpExchange> clients = ConcurrentHashMap.newKeySet();
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "portcullis-admin-events");
    t.setDaemon(true);
    return t;
  });

  /** Keeps the exchange open as an event stream; false when there are too many already. */
  boolean subscribe(HttpExchange exchange) throws IOException {
    if (clients.size() >= MAX_CLIENTS) return false;
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    clients.add(exchange);
    return true;
  }

  @Override
  public void filed(ObjectNode record) { publish(record.path("id").asText(), "filed"); }

  @Override
  public void decided(String id, String status) { publish(id, status); }

  void publish(String id, String what) {
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("id", id).put("event", what);
    send("event: approval\ndata: " + data + "\n\n");
  }

  /** A comment line, so proxies keep the stream open and closed browsers are noticed. */
  void keepAlive() { send(": keep-alive\n\n"); }

  private void send(String frame) {
    byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
    try {
      writer.execute(() -> {
        for (HttpExchange client : clients) {
          try {
            OutputStream out = client.getResponseBody();
            out.write(bytes);
            out.flush();
          } catch (IOException | RuntimeException gone) {
            clients.remove(client);
            client.close();
          }
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // Shutting down: nobody listens any more.
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
    clients.forEach(HttpExchange::close);
    clients.clear();
  }
}
