package dev.portcullis.postgres.proxy;

import dev.portcullis.gateway.protocol.AccessDeniedException;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.PendingApproval;
import dev.portcullis.gateway.protocol.ResultMasker;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import dev.portcullis.gateway.protocol.UpstreamSettings;
import dev.portcullis.postgres.wire.BackendType;
import dev.portcullis.postgres.wire.Buffers;
import dev.portcullis.postgres.wire.ClientMessages;
import dev.portcullis.postgres.wire.Frame;
import dev.portcullis.postgres.wire.FrontendType;
import dev.portcullis.postgres.wire.Notice;
import dev.portcullis.postgres.wire.ProtocolViolation;
import dev.portcullis.postgres.wire.RowDescription;
import dev.portcullis.postgres.wire.ServerMessages;
import dev.portcullis.postgres.wire.StartupPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection: the session's state machine (startup, password, login, upstream connection, ready) and,
 * once ready, the statement gate. Client messages are handled strictly in order; a message that needs a decision
 * holds the ones behind it (reading pauses) until the decision is back on the event loop, so nothing is forwarded
 * before its statement is decided and recorded.
 */
final class ClientSession extends ChannelInboundHandlerAdapter
    implements UpstreamConnection.Listener, ResponseTracker.Client {
  private static final Logger LOG = Logger.getLogger(ClientSession.class.getName());
  /** Startup parameters passed to the upstream; others (options, replication, role settings) are not. */
  private static final Set<String> FORWARDED_PARAMETERS = Set.of("database", "application_name", "client_encoding",
      "DateStyle", "TimeZone", "extra_float_digits", "IntervalStyle", "search_path", "lc_messages");
  private static final long LOGIN_TIMEOUT_SECONDS = 60;
  /** Client messages queued behind a pending decision before reading pauses. */
  private static final int MAX_BACKLOG = 256;

  /** What an empty query string runs under: nothing to mask, nothing to record. */
  private static final Decision EMPTY = new Decision("none", Decision.Outcome.ALLOW, List.of("empty query"), "",
      com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
      com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), columns -> ResultMasker.PASS_THROUGH);

  private enum State { STARTUP, PASSWORD, LOGIN, CONNECTING, READY, CLOSED }

  /** A statement the client prepared, its decision, and whether an execution has used that decision yet. */
  private static final class Prepared {
    final String sql;
    final Decision decision;
    boolean used;

    Prepared(String sql, Decision decision) {
      this.sql = sql;
      this.decision = decision;
    }
  }

  private record Portal(ClientMessages.Bind bind, Decision decision, String sql) {}

  private final ProxySettings settings;
  private final GatewayServices services;
  private final CancelRegistry cancels;
  private final TableNames tables;
  private final ArrayDeque<Frame> inbox = new ArrayDeque<>();
  private final Map<String, Prepared> statements = new HashMap<>();
  private final Map<String, Portal> portals = new HashMap<>();
  private final ResponseTracker tracker = new ResponseTracker(this);

  private State state = State.STARTUP;
  private Channel client;
  private StartupPacket.Startup startup;
  private Session session;
  private PendingApproval pendingApproval;
  private UpstreamConnection upstream;
  private CancelRegistry.Key cancelKey;
  private ScheduledFuture<?> loginTimeout;
  private Charset charset = StandardCharsets.UTF_8;
  private byte transactionStatus = 'I';
  private boolean waiting;
  private boolean skipToSync;
  private boolean cancelled;
  /** Upstream messages held while the tables of a masked result are looked up; null when none are. */
  private ArrayDeque<Frame> heldFromUpstream;

  ClientSession(ProxySettings settings, GatewayServices services, CancelRegistry cancels, TableNames tables) {
    this.settings = settings;
    this.services = services;
    this.cancels = cancels;
    this.tables = tables;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    client = ctx.channel();
    loginTimeout = ctx.executor().schedule(
        () -> fatal(Notice.fatal("08006", "login timed out")), LOGIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    ctx.fireChannelActive();
  }

  // ---- startup and login ------------------------------------------------------------------------------------

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.CLOSED) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof StartupPacket packet) {
      startupPacket(ctx, packet);
    } else if (state == State.PASSWORD) {
      password((Frame) msg);
    } else if (state == State.READY || state == State.LOGIN || state == State.CONNECTING) {
      inbox.add((Frame) msg);
      if (state == State.READY) {
        drain();
        if (waiting && inbox.size() >= MAX_BACKLOG) updateReading();
      }
    } else {
      ReferenceCountUtil.release(msg);
      throw new ProtocolViolation("unexpected message before startup");
    }
  }

  private void startupPacket(ChannelHandlerContext ctx, StartupPacket packet) {
    if (state != State.STARTUP) throw new ProtocolViolation("startup packet after startup");
    if (packet instanceof StartupPacket.SslRequest) {
      if (settings.clientTls() != null && ctx.pipeline().get(SslHandler.class) == null) {
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('S'));
        ctx.pipeline().addFirst("tls", settings.clientTls().newHandler(ctx.alloc()));
      } else {
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('N'));
      }
    } else if (packet instanceof StartupPacket.GssEncRequest) {
      ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('N'));
    } else if (packet instanceof StartupPacket.CancelRequest cancel) {
      cancels.cancel(client.eventLoop(), cancel.processId(), cancel.secretKey());
      state = State.CLOSED;
      ctx.close();
    } else if (packet instanceof StartupPacket.Startup s) {
      startup = s;
      boolean tls = ctx.pipeline().get(SslHandler.class) != null;
      if (!tls && !((InetSocketAddress) client.remoteAddress()).getAddress().isLoopbackAddress()) {
        fatal(Notice.fatal(Notice.INVALID_AUTHORIZATION,
            "the gateway accepts identity tokens only over TLS or from the loopback interface"));
        return;
      }
      if (s.minorVersion() > 0 || !s.protocolOptions().isEmpty()) {
        // As PostgreSQL does for a newer 3.x client: offer 3.0 and name the protocol options we do not know.
        ctx.write(ServerMessages.negotiateProtocolVersion(ctx.alloc(), 0, s.protocolOptions()));
      }
      state = State.PASSWORD;
      ctx.writeAndFlush(ServerMessages.authentication(ctx.alloc(), ServerMessages.AUTH_CLEARTEXT));
    }
  }

  private void password(Frame frame) {
    String token;
    try {
      if (frame.type() != FrontendType.PASSWORD) throw new ProtocolViolation("expected a password message");
      token = ClientMessages.password(frame.content());
    } finally {
      frame.release();
    }
    state = State.LOGIN;
    client.config().setAutoRead(false);
    Map<String, String> p = startup.parameters();
    SessionStart start = new SessionStart(token,
        ((InetSocketAddress) client.remoteAddress()).getAddress().getHostAddress(), startup.database(),
        p.get("application_name"), justification(p.get("options")));
    await(null, () -> services.openSession(start), (opened, error) -> {
      if (error != null) {
        refuseLogin(error);
        return;
      }
      session = opened;
      state = State.CONNECTING;
      Map<String, String> forwarded = new LinkedHashMap<>();
      p.forEach((name, value) -> {
        if (FORWARDED_PARAMETERS.contains(name)) forwarded.put(name, value);
      });
      forwarded.put("database", startup.database());
      UpstreamConnection.open(client.eventLoop(), settings.upstream(), forwarded, settings.maxMessageSize(), this);
    });
  }

  private void refuseLogin(Throwable cause) {
    if (cause instanceof AccessDeniedException denied) {
      String sqlState = switch (denied.kind()) {
        case AUTHENTICATION -> Notice.INVALID_PASSWORD;
        case DATABASE -> "3D000";
        case POLICY -> Notice.INSUFFICIENT_PRIVILEGE;
        case INTERNAL -> "58000";
      };
      fatal(Notice.fatal(sqlState, "portcullis: " + denied.getMessage()));
    } else {
      LOG.log(Level.WARNING, "login failed", cause);
      fatal(Notice.fatal("58000", "portcullis: login failed: " + cause.getMessage()));
    }
  }

  /** The justification a client gives in its options: {@code -c justification=...} or {@code --justification=...}. */
  static String justification(String options) {
    if (options == null) return null;
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?:-c\\s*|--)(?:portcullis\\.)?justification=((?:\\\\ |\\S)+)").matcher(options);
    return m.find() ? m.group(1).replace("\\ ", " ") : null;
  }

  @Override
  public void upstreamReady(UpstreamConnection connection, Map<String, String> parameters, int processId,
      int secretKey) {
    if (state != State.CONNECTING) {
      connection.close();
      return;
    }
    upstream = connection;
    loginTimeout.cancel(false);
    UpstreamSettings u = settings.upstream();
    cancelKey = cancels.register(u.host(), u.port(), processId, secretKey,
        forwardUpstream -> client.eventLoop().execute(() -> cancel(forwardUpstream)));
    ByteBufAllocator alloc = client.alloc();
    client.write(ServerMessages.authentication(alloc, ServerMessages.AUTH_OK));
    parameters.forEach((name, value) -> {
      client.write(ServerMessages.parameterStatus(alloc, name, value));
      if (name.equals("client_encoding")) charset = charsetOf(value);
    });
    client.write(ServerMessages.backendKeyData(alloc, cancelKey.processId(), cancelKey.secretKey()));
    client.writeAndFlush(ServerMessages.readyForQuery(alloc, (byte) 'I'));
    state = State.READY;
    drain();
    updateReading();
  }

  @Override
  public void upstreamFailed(Notice serverError, String reason) {
    if (state == State.CLOSED) return;
    if (serverError != null && serverError.sqlState() != null && serverError.sqlState().startsWith("28")) {
      // The gateway's own credential was refused: not the client's fault, and not the client's business.
      LOG.warning("upstream login refused: " + serverError.message());
      fatal(Notice.fatal(Notice.CONNECTION_FAILURE, "portcullis: the gateway could not log in to the upstream server"));
    } else if (serverError != null) {
      fatal(serverError);
    } else {
      LOG.warning(reason);
      fatal(Notice.fatal(Notice.CONNECTION_FAILURE, reason));
    }
  }

  // ---- the statement gate ------------------------------------------------------------------------------------

  /** Handles queued client messages in order until one waits for a decision. */
  private void drain() {
    Frame frame;
    while (!waiting && state == State.READY && (frame = inbox.poll()) != null) {
      try {
        handle(frame);
      } catch (ProtocolViolation | IndexOutOfBoundsException e) {
        // Messages are decoded before anything else happens to them: the frame is still ours.
        frame.release();
        exceptionCaught(null, e instanceof ProtocolViolation ? e : new ProtocolViolation("truncated message"));
        return;
      }
    }
    if (upstream != null) upstream.flush();
    if (state == State.READY) client.flush();
  }

  private void handle(Frame frame) {
    byte type = frame.type();
    boolean extended = type == FrontendType.PARSE || type == FrontendType.BIND || type == FrontendType.DESCRIBE
        || type == FrontendType.EXECUTE || type == FrontendType.CLOSE || type == FrontendType.QUERY
        || type == FrontendType.FLUSH;
    if (skipToSync && extended) {
      frame.release();
      return;
    }
    switch (type) {
      case FrontendType.QUERY -> query(frame);
      case FrontendType.PARSE -> parse(frame);
      case FrontendType.BIND -> bind(frame);
      case FrontendType.EXECUTE -> execute(frame);
      case FrontendType.DESCRIBE -> {
        ClientMessages.Target.decode(frame.content(), "Describe");
        forward(frame, tracker.description);
      }
      case FrontendType.CLOSE -> {
        ClientMessages.Target target = ClientMessages.Target.decode(frame.content(), "Close");
        if (target.kind() == ClientMessages.Target.STATEMENT) {
          statements.remove(target.name());
        } else {
          portals.remove(target.name());
        }
        forward(frame, tracker.closeComplete);
      }
      case FrontendType.SYNC -> {
        skipToSync = false;
        forward(frame, tracker.readyForQuery);
      }
      case FrontendType.FLUSH, FrontendType.COPY_DATA, FrontendType.COPY_DONE, FrontendType.COPY_FAIL ->
          forward(frame, null);
      case FrontendType.FUNCTION_CALL -> {
        frame.release();
        tracker.reply(Notice.error(Notice.INSUFFICIENT_PRIVILEGE,
            "fast-path function calls are not allowed through the gateway"), true);
      }
      case FrontendType.TERMINATE -> {
        frame.release();
        close();
      }
      default -> throw new ProtocolViolation("unexpected message type '" + (char) type + "'");
    }
  }

  private void query(Frame frame) {
    String sql = ClientMessages.Query.decode(frame.content()).sql();
    decide(frame, sql, (decision, refusal) -> {
      if (refusal != null) {
        frame.release();
        tracker.reply(refusal, true);
      } else {
        forward(frame, tracker.new QueryReply(decision, sql));
      }
    });
  }

  private void parse(Frame frame) {
    ClientMessages.Parse parse = ClientMessages.Parse.decode(frame.content());
    decide(frame, parse.sql(), (decision, refusal) -> {
      if (refusal != null) {
        frame.release();
        statements.remove(parse.name());
        refuseInBatch(refusal);
      } else {
        statements.put(parse.name(), new Prepared(parse.sql(), decision));
        forward(frame, tracker.parseComplete);
      }
    });
  }

  private void bind(Frame frame) {
    ClientMessages.Bind bind = ClientMessages.Bind.decode(frame.content());
    Prepared prepared = statements.get(bind.statement());
    if (prepared == null) {
      // Statements prepared with SQL PREPARE were decided as PREPARE, not per execution: refuse them here.
      frame.release();
      refuseInBatch(Notice.error("26000",
          "prepared statement \"" + bind.statement() + "\" was not prepared through the gateway's protocol"));
      return;
    }
    Ruling bindWith = (decision, refusal) -> {
      if (refusal != null) {
        frame.release();
        refuseInBatch(refusal);
      } else {
        portals.put(bind.portal(), new Portal(bind, decision, prepared.sql));
        forward(frame, tracker.bindComplete);
      }
    };
    if (!prepared.used) {
      prepared.used = true;
      bindWith.accept(prepared.decision, null);
    } else {
      // Each execution is a statement of its own: decided, recorded and, if held, approved once.
      decide(frame, prepared.sql, bindWith);
    }
  }

  private void execute(Frame frame) {
    ClientMessages.Execute execute = ClientMessages.Execute.decode(frame.content());
    Portal portal = portals.get(execute.portal());
    if (portal == null) {
      frame.release();
      refuseInBatch(Notice.error("34000",
          "portal \"" + execute.portal() + "\" was not created through the gateway's protocol"));
      return;
    }
    ResponseTracker.ExecuteReply reply = tracker.new ExecuteReply(portal.decision(), portal.bind(), portal.sql());
    if (portal.decision().outcome() == Decision.Outcome.MASK) {
      // The masker needs the result columns and formats: ask the upstream, and keep its answer from the client.
      ByteBuf describe = client.alloc().buffer().writeByte(ClientMessages.Target.PORTAL);
      Buffers.writeCString(describe, execute.portal());
      forward(new Frame(FrontendType.DESCRIBE, describe), reply.describe());
    }
    forward(frame, reply);
  }

  /** An extended-protocol message refused: error now, then ignore everything up to Sync as PostgreSQL does. */
  private void refuseInBatch(Notice error) {
    tracker.reply(error, false);
    skipToSync = true;
  }

  private void forward(Frame frame, ResponseTracker.Pending reply) {
    if (reply != null) tracker.expect(reply);
    upstream.write(frame);
  }

  /** What to do with a statement: run it under {@code decision}, or refuse it with {@code refusal}. */
  private interface Ruling {
    void accept(Decision decision, Notice refusal);
  }

  /**
   * Decides {@code sql} while the session holds everything behind it, then continues with the ruling. A statement
   * that needs approval is filed, the client is told how to approve it, and it stays held until the verdict.
   */
  private void decide(Frame frame, String sql, Ruling then) {
    if (isEmpty(sql)) {
      // Nothing to run, nothing to decide: drivers check connections this way (pgjdbc's isValid sends "").
      then.accept(EMPTY, null);
      return;
    }
    await(frame, () -> session.decideSql(sql), (decision, error) -> {
      if (error != null || decision == null) {
        then.accept(null, Notice.error(Notice.INSUFFICIENT_PRIVILEGE,
            "portcullis: no decision, denied (" + (error == null ? "none returned" : error.getMessage()) + ")"));
      } else if (decision.outcome() == Decision.Outcome.DENY) {
        then.accept(null, denial(decision.reasons(), decision.requestId()));
      } else if (decision.outcome() != Decision.Outcome.REQUIRE_APPROVAL) {
        then.accept(decision, null);
      } else {
        holdForApproval(frame, decision, then);
      }
    });
  }

  /** A query string with no statement in it: only blanks and semicolons. */
  static boolean isEmpty(String sql) {
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c != ';' && !Character.isWhitespace(c)) return false;
    }
    return true;
  }

  /**
   * A cancel while a statement waits for approval withdraws the request (the client stops waiting; the upstream
   * never saw the statement); any other cancel goes to the upstream backend.
   */
  private void cancel(Runnable forwardUpstream) {
    if (pendingApproval == null) {
      forwardUpstream.run();
      return;
    }
    cancelled = true;
    pendingApproval.withdraw();
  }

  private void holdForApproval(Frame frame, Decision decision, Ruling then) {
    await(frame, () -> session.requestApproval(decision), (approval, error) -> {
      if (error != null) {
        then.accept(null, denial(List.of("the approval request could not be filed: " + error.getMessage()),
            decision.requestId()));
        return;
      }
      pendingApproval = approval;
      client.writeAndFlush(Notice.of("NOTICE", "00000", approval.notice(), "approval id: " + approval.id(),
          null).toNotice(client.alloc()));
      await(frame, approval::verdict, (verdict, failure) -> {
        pendingApproval = null;
        if (failure == null && verdict != null && verdict.approved()) {
          then.accept(decision, null);
          return;
        }
        if (cancelled) {
          cancelled = false;
          then.accept(null, Notice.error(Notice.QUERY_CANCELED,
              "canceling statement due to user request (approval " + approval.id() + " withdrawn)"));
          return;
        }
        String why = failure != null ? "approval failed: " + failure.getMessage()
            : "approval " + approval.id() + " " + verdict.status().name().toLowerCase(Locale.ROOT)
                + (verdict.reason() == null ? "" : ": " + verdict.reason());
        then.accept(null, denial(List.of(why), decision.requestId()));
      });
    });
  }

  /**
   * Continues with the stage's outcome on the event loop, holding the client's messages meanwhile. A stage that
   * is already complete continues at once, without a thread hop.
   */
  private <T> void await(Frame frame, Supplier<CompletionStage<T>> call, BiConsumer<T, Throwable> then) {
    CompletableFuture<T> future;
    try {
      future = call.get().toCompletableFuture();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    if (future.isDone()) {
      complete(future, then);
      return;
    }
    waiting = true;
    updateReading();
    CompletableFuture<T> pending = future;
    future.whenComplete((v, e) -> client.eventLoop().execute(() -> {
      if (state == State.CLOSED) {
        if (frame != null) frame.release();
        abandon(pending.isCompletedExceptionally() ? null : pending.getNow(null));
        return;
      }
      waiting = false;
      try {
        complete(pending, then);
        if (!waiting) {
          drain();
          updateReading();
        }
      } catch (RuntimeException ex) {
        exceptionCaught(null, ex);
      }
    }));
  }

  /** Releases what arrived for a client that has gone meanwhile. */
  private static void abandon(Object late) {
    if (late instanceof Session opened) opened.close();
    if (late instanceof PendingApproval approval) approval.withdraw();
  }

  private static <T> void complete(CompletableFuture<T> future, BiConsumer<T, Throwable> then) {
    T value;
    try {
      value = future.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      then.accept(null, e.getCause() != null ? e.getCause() : e);
      return;
    }
    then.accept(value, null);
  }

  private static Notice denial(List<String> reasons, String requestId) {
    String text = reasons.isEmpty() ? "denied by policy" : String.join("; ", reasons);
    return Notice.of("ERROR", Notice.INSUFFICIENT_PRIVILEGE, "portcullis: " + text,
        requestId == null ? null : "request id: " + requestId, null);
  }

  // ---- relaying ------------------------------------------------------------------------------------------------

  @Override
  public void upstreamMessage(Frame frame) {
    if (heldFromUpstream != null) {
      heldFromUpstream.add(frame);
      return;
    }
    if (frame.type() == BackendType.ROW_DESCRIPTION && tracker.masksNextResult()) {
      Set<Integer> unknown = tables.unknown(startup.database(), RowDescription.decode(frame.content()));
      if (!unknown.isEmpty()) {
        // Name the result's tables before masking it: hold the upstream's messages until the catalog answers.
        heldFromUpstream = new ArrayDeque<>();
        heldFromUpstream.add(frame);
        upstream.channel().config().setAutoRead(false);
        tables.lookUp(client.eventLoop(), startup.database(), unknown).whenComplete((ok, failure) -> {
          if (failure != null) LOG.warning("table names unknown, masking without them: " + failure.getMessage());
          client.eventLoop().execute(this::releaseHeldFromUpstream);
        });
        return;
      }
    }
    switch (frame.type()) {
      case BackendType.NOTICE_RESPONSE, BackendType.NOTIFICATION_RESPONSE -> send(frame);
      case BackendType.PARAMETER_STATUS -> {
        ByteBuf body = frame.content().duplicate();
        if (Buffers.readCString(body).equals("client_encoding")) charset = charsetOf(Buffers.readCString(body));
        send(frame);
      }
      case BackendType.READY_FOR_QUERY -> {
        transactionStatus = frame.content().getByte(frame.content().readerIndex());
        tracker.onMessage(frame);
      }
      default -> tracker.onMessage(frame);
    }
  }

  private void releaseHeldFromUpstream() {
    ArrayDeque<Frame> held = heldFromUpstream;
    heldFromUpstream = null;
    Frame frame;
    while ((frame = held.poll()) != null) {
      if (state == State.CLOSED) {
        frame.release();
      } else {
        upstreamMessage(frame);
      }
    }
    if (state == State.CLOSED) return;
    if (heldFromUpstream == null) upstream.channel().config().setAutoRead(client.isWritable());
    client.flush();
  }

  @Override
  public String tableName(int oid) {
    return tables.name(startup.database(), oid);
  }

  @Override
  public void upstreamReadComplete() {
    client.flush();
  }

  @Override
  public void upstreamWritabilityChanged() {
    updateReading();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (upstream != null && heldFromUpstream == null) upstream.channel().config().setAutoRead(client.isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * Reads from the client while its messages can be handled: the upstream takes writes and no more than a bounded
   * backlog waits behind a decision (a client usually sends one batch and waits, so a decision alone does not
   * pause reading).
   */
  private void updateReading() {
    if (state != State.READY) return;
    boolean read = upstream.channel().isWritable() && (!waiting || inbox.size() < MAX_BACKLOG);
    if (client.config().isAutoRead() != read) client.config().setAutoRead(read);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (upstream != null) upstream.flush();
  }

  @Override
  public void upstreamClosed() {
    if (state == State.CLOSED) return;
    fatal(Notice.fatal(Notice.CONNECTION_FAILURE, "the upstream server closed the connection"));
  }

  // ---- ResponseTracker.Client ----------------------------------------------------------------------------------

  @Override
  public void send(Frame frame) {
    client.write(frame, client.voidPromise());
  }

  @Override
  public void sendError(Notice error) {
    send(error.toError(client.alloc()));
  }

  @Override
  public void sendReadyForQuery() {
    send(ServerMessages.readyForQuery(client.alloc(), transactionStatus));
  }

  @Override
  public void maskingImpossible(String reason) {
    fatal(Notice.fatal(Notice.INSUFFICIENT_PRIVILEGE, "portcullis: cannot mask the result (" + reason
        + "); the connection is closed so that nothing unmasked reaches the client"));
  }

  @Override
  public Charset charset() {
    return charset;
  }

  @Override
  public ByteBufAllocator alloc() {
    return client.alloc();
  }

  @Override
  public void recordResult(Decision decision, long rows, String error) {
    if (decision == EMPTY) return;
    session.recordResult(decision, rows, error).whenComplete((ok, failure) -> {
      if (failure != null) LOG.log(Level.WARNING, "could not record a statement result", failure);
    });
  }

  // ---- ending ------------------------------------------------------------------------------------------------

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof ProtocolViolation) {
      fatal(Notice.fatal(Notice.PROTOCOL_VIOLATION, "invalid message: " + root.getMessage()));
    } else if (root instanceof java.io.IOException) {
      close();
    } else {
      LOG.log(Level.WARNING, "closing a client session after an internal error", root);
      fatal(Notice.fatal("XX000", "internal gateway error"));
    }
  }

  /** Sends {@code error} and closes the connection. */
  private void fatal(Notice error) {
    if (state == State.CLOSED) return;
    if (client.isActive()) client.write(error.toError(client.alloc()));
    close();
  }

  private void close() {
    if (state == State.CLOSED) return;
    state = State.CLOSED;
    if (loginTimeout != null) loginTimeout.cancel(false);
    if (cancelKey != null) cancels.unregister(cancelKey);
    if (upstream != null) upstream.close();
    if (pendingApproval != null) pendingApproval.withdraw();
    if (session != null) session.close();
    Frame frame;
    while ((frame = inbox.poll()) != null) frame.release();
    if (heldFromUpstream != null) {
      while ((frame = heldFromUpstream.poll()) != null) frame.release();
    }
    // Close once everything written so far (a final error) is out.
    client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    close();
  }

  private static Charset charsetOf(String encoding) {
    return switch (encoding.toUpperCase(Locale.ROOT)) {
      case "UTF8", "UNICODE" -> StandardCharsets.UTF_8;
      case "LATIN1" -> StandardCharsets.ISO_8859_1;
      case "WIN1252" -> Charset.forName("windows-1252");
      // Byte-preserving: masked values stay intact, content detectors still read the ASCII they look for.
      default -> StandardCharsets.ISO_8859_1;
    };
  }
}
