package dev.portcullis.postgres.proxy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portcullis.gateway.protocol.AccessDeniedException;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.Identity;
import dev.portcullis.gateway.protocol.PendingApproval;
import dev.portcullis.gateway.protocol.ResultColumn;
import dev.portcullis.gateway.protocol.ResultMasker;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Gateway services with fixed rules, standing in for the policy engine and ledger in wire-level tests: a statement
 * starting with DROP is denied, DELETE needs approval, anything mentioning {@code customers} is masked (column
 * {@code email} redacted, 16-digit card numbers anywhere keep their last four digits), the rest is allowed; a
 * statement mentioning {@code no_decision_possible} gets a failed decision. Decisions come back on another thread,
 * as the real gateway's do.
 */
final class FixedServices implements GatewayServices {
  static final String AGENT_TOKEN = "agent-token";
  private static final Pattern CARD = Pattern.compile("\\b\\d{12}(\\d{4})\\b");

  /** What a test can observe: every decided statement and every recorded result. */
  record Recorded(String sql, Decision.Outcome outcome) {}

  record Result(String requestId, long rows, String error) {}

  final List<Recorded> decisions = new CopyOnWriteArrayList<>();
  final List<Result> results = new CopyOnWriteArrayList<>();
  final BlockingQueue<TestApproval> approvals = new LinkedBlockingQueue<>();
  final AtomicInteger openSessions = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, String> tokens = new ConcurrentHashMap<>(Map.of(AGENT_TOKEN, "cursor-agent"));

  @Override
  public CompletableFuture<Session> openSession(SessionStart start) {
    return CompletableFuture.supplyAsync(() -> {
      String subject = tokens.get(start.token());
      if (subject == null) {
        throw new java.util.concurrent.CompletionException(new AccessDeniedException(
            AccessDeniedException.Kind.AUTHENTICATION, List.of("invalid token: signature check failed")));
      }
      openSessions.incrementAndGet();
      return new FixedSession(new Identity(subject, "https://test", List.of("agents"), "jwt"), start.database());
    });
  }

  static Decision.Outcome outcomeOf(String sql) {
    String s = sql.strip().toLowerCase(java.util.Locale.ROOT);
    if (s.startsWith("drop")) return Decision.Outcome.DENY;
    if (s.startsWith("delete")) return Decision.Outcome.REQUIRE_APPROVAL;
    if (s.contains("customers")) return Decision.Outcome.MASK;
    return Decision.Outcome.ALLOW;
  }

  private Decision decision(String sql) {
    Decision.Outcome outcome = outcomeOf(sql);
    List<String> reasons = switch (outcome) {
      case DENY -> List.of("DDL is not allowed for agents");
      case REQUIRE_APPROVAL -> List.of("writes need approval by dba");
      case MASK -> List.of("personal data is masked");
      case ALLOW -> List.of();
    };
    decisions.add(new Recorded(sql, outcome));
    return new Decision("req_" + ids.incrementAndGet(), outcome, reasons, "test",
        JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), FixedServices::masker);
  }

  private static ResultMasker masker(List<ResultColumn> columns) {
    return new ResultMasker() {
      @Override
      public boolean passThrough() {
        return false;
      }

      @Override
      public String mask(int column, String value) {
        if (value == null) return null;
        ResultColumn c = column < columns.size() ? columns.get(column) : new ResultColumn("", null);
        if ("email".equalsIgnoreCase(c.name())) return "[REDACTED]";
        // A rule narrowed to one table: an unknown table cannot rule it out.
        if ("note".equalsIgnoreCase(c.name()) && (c.table() == null || c.table().equals("public.customers"))) {
          return "[CUSTOMER NOTE]";
        }
        java.util.regex.Matcher m = CARD.matcher(value);
        return m.find() ? m.replaceAll("************$1") : value;
      }
    };
  }

  /** A held statement the test approves or refuses. */
  static final class TestApproval implements PendingApproval {
    final String id;
    final CompletableFuture<Verdict> verdict = new CompletableFuture<>();
    volatile boolean withdrawn;

    TestApproval(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String notice() {
      return "statement held for approval " + id + "; approve with: ./portcullis approvals approve " + id
          + " --config CONFIG --token TOKEN";
    }

    @Override
    public CompletableFuture<Verdict> verdict() {
      return verdict;
    }

    @Override
    public void withdraw() {
      withdrawn = true;
      verdict.complete(new Verdict(Status.WITHDRAWN, null, "client left"));
    }

    void approve() {
      verdict.complete(new Verdict(Status.APPROVED, new Identity("dba", "https://test", List.of("dba"), "jwt"),
          "looks fine"));
    }

    void deny() {
      verdict.complete(new Verdict(Status.DENIED, new Identity("dba", "https://test", List.of("dba"), "jwt"),
          "not today"));
    }
  }

  private final class FixedSession implements Session {
    private final Identity identity;
    private final String database;

    FixedSession(Identity identity, String database) {
      this.identity = identity;
      this.database = database;
    }

    @Override
    public String id() {
      return "sess_test";
    }

    @Override
    public Identity identity() {
      return identity;
    }

    @Override
    public String database() {
      return database;
    }

    @Override
    public CompletableFuture<Decision> decideSql(String sqlText) {
      if (sqlText.contains("no_decision_possible")) {
        return CompletableFuture.failedFuture(new IllegalStateException("policy engine unreachable"));
      }
      return CompletableFuture.supplyAsync(() -> decision(sqlText));
    }

    @Override
    public CompletableFuture<Decision> decideHttp(String method, String path, Map<String, String> headers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<PendingApproval> requestApproval(Decision decision) {
      TestApproval approval = new TestApproval("apr_" + ids.incrementAndGet());
      approvals.add(approval);
      return CompletableFuture.completedFuture(approval);
    }

    @Override
    public CompletableFuture<Void> recordResult(Decision decision, long rows, String error) {
      results.add(new Result(decision.requestId(), rows, error));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
      openSessions.decrementAndGet();
    }
  }
}
