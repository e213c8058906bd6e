package dev.portcullis.postgres.proxy;

import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.postgres.wire.BackendType;
import dev.portcullis.postgres.wire.ClientMessages;
import dev.portcullis.postgres.wire.Frame;
import dev.portcullis.postgres.wire.Notice;
import dev.portcullis.postgres.wire.RowDescription;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Pairs the upstream's replies with the client messages that caused them, in order: one {@link Pending} per
 * forwarded message that gets a reply, plus the gateway's own replies (a denial) queued behind the replies still
 * due, so the client sees everything in protocol order. This is where results are masked and outcomes recorded.
 */
final class ResponseTracker {
  /** The session side the tracker writes to. */
  interface Client {
    void send(Frame frame);

    /** Sends the gateway's own error. */
    void sendError(Notice error);

    /** ReadyForQuery with the upstream's last transaction status. */
    void sendReadyForQuery();

    /** Result masking cannot be applied: the connection must end. */
    void maskingImpossible(String reason);

    java.nio.charset.Charset charset();

    io.netty.buffer.ByteBufAllocator alloc();

    /** The schema-qualified name of table {@code oid}, or null when unknown. */
    String tableName(int oid);

    /** Records how a forwarded statement ended (in the background: the reply does not wait for it). */
    void recordResult(Decision decision, long rows, String error);
  }

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final Client client;

  ResponseTracker(Client client) {
    this.client = client;
  }

  void expect(Pending entry) {
    pending.add(entry);
    if (pending.size() == 1) emitOwnReplies();
  }

  /** A reply of the gateway's own, sent once the upstream replies before it are out. */
  void reply(Notice error, boolean readyForQuery) {
    expect(new OwnReply(error, readyForQuery));
  }

  /** Whether the next RowDescription describes a result that will be masked (its tables should be named). */
  boolean masksNextResult() {
    Pending head = pending.peek();
    return head != null && head.masksResult();
  }

  void onMessage(Frame frame) {
    Pending head = pending.peek();
    if (head == null) {
      client.send(frame);
      return;
    }
    if (frame.type() == BackendType.ERROR_RESPONSE && head.extended) {
      // PostgreSQL skips the rest of an extended batch up to Sync after an error; so do the replies we wait for.
      head.failed(Notice.decode(frame.content()));
      client.send(frame);
      while (!pending.isEmpty() && pending.peek().extended) pending.poll();
      emitOwnReplies();
      return;
    }
    if (head.accept(frame)) {
      pending.poll();
      emitOwnReplies();
    }
  }

  private void emitOwnReplies() {
    while (pending.peek() instanceof OwnReply own) {
      pending.poll();
      if (own.error != null) client.sendError(own.error);
      if (own.readyForQuery) client.sendReadyForQuery();
    }
  }

  /** A reply the upstream owes. */
  abstract static class Pending {
    /** Part of an extended-protocol batch, skipped after an error until Sync. */
    final boolean extended;

    Pending(boolean extended) {
      this.extended = extended;
    }

    /** Handles one upstream message (passing it on, rewritten or not at all); true when this reply is complete. */
    abstract boolean accept(Frame frame);

    void failed(Notice error) {}

    boolean masksResult() {
      return false;
    }
  }

  private static final class OwnReply extends Pending {
    final Notice error;
    final boolean readyForQuery;

    OwnReply(Notice error, boolean readyForQuery) {
      super(!readyForQuery);
      this.error = error;
      this.readyForQuery = readyForQuery;
    }

    @Override
    boolean accept(Frame frame) {
      throw new IllegalStateException("own replies are never waited on");
    }
  }

  /** Replies relayed as they come; stateless, so one of each serves every message of the session. */
  final Pending parseComplete = relay(BackendType.PARSE_COMPLETE, BackendType.PARSE_COMPLETE);
  final Pending bindComplete = relay(BackendType.BIND_COMPLETE, BackendType.BIND_COMPLETE);
  final Pending closeComplete = relay(BackendType.CLOSE_COMPLETE, BackendType.CLOSE_COMPLETE);
  /** A statement's ParameterDescription comes first and is relayed on the way. */
  final Pending description = relay(BackendType.ROW_DESCRIPTION, BackendType.NO_DATA);
  final Pending readyForQuery = relay(BackendType.READY_FOR_QUERY, BackendType.READY_FOR_QUERY);

  /** A reply relayed as is, complete at {@code last} or {@code orLast}. */
  private Pending relay(byte last, byte orLast) {
    return new Pending(last != BackendType.READY_FOR_QUERY) {
      @Override
      boolean accept(Frame frame) {
        client.send(frame);
        return frame.type() == last || frame.type() == orLast;
      }
    };
  }

  /** Execute of a portal, masked when {@code verdict} says so; {@link #describe} supplies the columns first. */
  final class ExecuteReply extends Pending {
    private final Decision decision;
    private final ClientMessages.Bind bind;
    private final String sql;
    private RowRewriter rows;
    private boolean described;
    private CopyRowRewriter copy;

    ExecuteReply(Decision decision, ClientMessages.Bind bind, String sql) {
      super(true);
      this.decision = decision;
      this.bind = bind;
      this.sql = sql;
    }

    /** The reply to the gateway's own Describe of the portal, which the client never sees. */
    Pending describe() {
      return new Pending(true) {
        @Override
        boolean accept(Frame frame) {
          if (frame.type() == BackendType.ROW_DESCRIPTION) {
            rows = RowRewriter.of(decision, RowDescription.decode(frame.content()).withFormats(bind),
                client::tableName, client.charset());
          }
          described = true;
          frame.release();
          return frame.type() == BackendType.ROW_DESCRIPTION || frame.type() == BackendType.NO_DATA;
        }

        @Override
        boolean masksResult() {
          return true;
        }
      };
    }

    @Override
    boolean accept(Frame frame) {
      switch (frame.type()) {
        case BackendType.DATA_ROW -> {
          if (decision.outcome() == Decision.Outcome.MASK) {
            if (!described) {
              frame.release();
              client.maskingImpossible("result columns unknown");
              return false;
            }
            if (rows != null) frame = rows.rewrite(frame, client.alloc());
          }
          client.send(frame);
          return false;
        }
        case BackendType.COPY_OUT_RESPONSE -> {
          copy = copyMasker(decision, sql, frame);
          client.send(frame);
          return false;
        }
        case BackendType.COPY_DATA -> {
          client.send(copy == null ? frame : copy.rewrite(frame));
          return false;
        }
        case BackendType.COMMAND_COMPLETE, BackendType.EMPTY_QUERY_RESPONSE, BackendType.PORTAL_SUSPENDED -> {
          if (frame.type() == BackendType.COMMAND_COMPLETE) client.recordResult(decision, rowCount(frame), null);
          client.send(frame);
          return true;
        }
        default -> {
          client.send(frame);
          return false;
        }
      }
    }

    @Override
    void failed(Notice error) {
      client.recordResult(decision, 0, error.sqlState() + " " + error.message());
    }
  }

  /** A simple Query: every result up to ReadyForQuery, masked when {@code verdict} says so. */
  final class QueryReply extends Pending {
    private final Decision decision;
    private final String sql;
    private long rowCount;
    private RowRewriter rows;
    private CopyRowRewriter copy;
    private boolean failed;

    QueryReply(Decision decision, String sql) {
      super(false);
      this.decision = decision;
      this.sql = sql;
    }

    @Override
    boolean masksResult() {
      return decision.outcome() == Decision.Outcome.MASK;
    }

    @Override
    boolean accept(Frame frame) {
      boolean masking = decision.outcome() == Decision.Outcome.MASK;
      switch (frame.type()) {
        case BackendType.ROW_DESCRIPTION -> {
          if (masking) {
            rows = RowRewriter.of(decision, RowDescription.decode(frame.content()), client::tableName, client.charset());
          }
        }
        case BackendType.DATA_ROW -> {
          if (rows != null) frame = rows.rewrite(frame, client.alloc());
        }
        case BackendType.COPY_OUT_RESPONSE -> copy = copyMasker(decision, sql, frame);
        case BackendType.COPY_DATA -> {
          if (copy != null) frame = copy.rewrite(frame);
        }
        case BackendType.COMMAND_COMPLETE -> {
          rowCount += rowCount(frame);
          rows = null;
          copy = null;
        }
        case BackendType.ERROR_RESPONSE -> {
          failed = true;
          Notice error = Notice.decode(frame.content());
          client.recordResult(decision, rowCount, error.sqlState() + " " + error.message());
        }
        case BackendType.READY_FOR_QUERY -> {
          if (!failed) client.recordResult(decision, rowCount, null);
          client.send(frame);
          return true;
        }
        default -> { }
      }
      client.send(frame);
      return false;
    }
  }

  private CopyRowRewriter copyMasker(Decision decision, String sql, Frame copyOutResponse) {
    if (decision.outcome() != Decision.Outcome.MASK) return null;
    if (copyOutResponse.content().getByte(copyOutResponse.content().readerIndex()) != 0) {
      client.maskingImpossible("binary COPY output cannot be masked");
      return null;
    }
    CopyStatement copy = CopyStatement.of(sql);
    if (copy.customDelimiter()) {
      client.maskingImpossible("COPY with a custom delimiter cannot be masked");
      return null;
    }
    return CopyRowRewriter.of(decision, copy.columns(), copy.csv(), client.charset());
  }

  /** The row count a CommandComplete tag ends with ("SELECT 5", "INSERT 0 1"), 0 when it has none. */
  static long rowCount(Frame commandComplete) {
    io.netty.buffer.ByteBuf tag = commandComplete.content();
    long count = 0;
    long scale = 1;
    for (int i = tag.writerIndex() - 2; i >= tag.readerIndex(); i--) {
      byte b = tag.getByte(i);
      if (b < '0' || b > '9') return b == ' ' ? count : 0;
      count += (b - '0') * scale;
      scale *= 10;
    }
    return 0;
  }

  /** What the masker needs from a COPY statement's text. */
  record CopyStatement(List<String> columns, boolean csv, boolean customDelimiter) {
    private static final java.util.regex.Pattern COLUMN_LIST =
        java.util.regex.Pattern.compile("(?is)^\\s*copy\\s+[\\w.\"]+\\s*\\(([^)]*)\\)");

    static CopyStatement of(String sql) {
      String lower = sql.toLowerCase(java.util.Locale.ROOT);
      java.util.regex.Matcher m = COLUMN_LIST.matcher(sql);
      List<String> columns = List.of();
      if (m.find()) {
        columns = java.util.Arrays.stream(m.group(1).split(","))
            .map(c -> c.trim().replace("\"", "")).toList();
      }
      return new CopyStatement(columns, lower.matches("(?s).*\\bcsv\\b.*"),
          lower.matches("(?s).*\\bdelimiter\\b.*"));
    }
  }
}
