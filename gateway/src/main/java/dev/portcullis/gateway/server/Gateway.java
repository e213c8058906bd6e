package dev.portcullis.gateway.server;

import dev.portcullis.gateway.admin.AdminServer;
import dev.portcullis.gateway.approvals.ApprovalDesk;
import dev.portcullis.gateway.approvals.ApprovalStore;
import dev.portcullis.gateway.approvals.ReviewRecorder;
import dev.portcullis.gateway.approvals.Reviews;
import dev.portcullis.gateway.audit.AuditTrail;
import dev.portcullis.gateway.config.ConfigException;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.grants.Grants;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.metrics.GatewayMetrics;
import dev.portcullis.gateway.metrics.MeteredLedger;
import dev.portcullis.gateway.notify.Notifier;
import dev.portcullis.gateway.policy.BundleReloader;
import dev.portcullis.gateway.policy.EmbeddedEngine;
import dev.portcullis.gateway.policy.PolicyEngine;
import dev.portcullis.gateway.policy.PolicyException;
import dev.portcullis.gateway.protocol.ConnectionSettings;
import dev.portcullis.gateway.protocol.ProtocolModule;
import dev.portcullis.gateway.protocol.UpstreamSettings;
import dev.portcullis.gateway.session.ConnectionServices;
import dev.portcullis.gateway.session.Decider;
import dev.portcullis.gateway.session.MaskPlanner;
import dev.portcullis.gateway.session.SqlAnalysis;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerConfig;
import dev.portcullis.ledger.LedgerException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: one listener per configured connection, each served by the protocol module of its protocol,
 * all sharing one policy engine, ledger and approval desk. {@link #close()} stops it.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  /**
   * How often the gateway reads the grant requests: records verdicts given from the command line (before their
   * credential can be issued) and refreshes the active grants of {@code input.grants}.
   */
  private static final Duration GRANT_REFRESH = Duration.ofSeconds(1);

  private final Map<String, ProtocolModule.Listener> listeners = new LinkedHashMap<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private GatewayMetrics metrics;
  private AdminServer admin;
  private Grants grants;

  private Gateway() {}

  public static Builder builder(GatewayConfig config) { return new Builder(config); }

  /**
   * What to start with. Every part defaults to what the configuration names; tests may hand in module instances
   * (then PF4J is not used) or other parts.
   */
  public static final class Builder {
    private final GatewayConfig config;
    private final List<ProtocolModule> modules = new ArrayList<>();
    private Ledger ledger;
    private PolicyEngine engine;
    private final Map<String, SqlAnalysis> sqlAnalysis = new HashMap<>();
    private MaskPlanner maskPlanner;
    private Clock clock = Clock.systemUTC();

    private Builder(GatewayConfig config) { this.config = config; }

    /** Tells the time of just-in-time grants (their expiry) by this clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Serves this module's protocol with this instance instead of loading plugins. */
    public Builder module(ProtocolModule module) {
      modules.add(module);
      return this;
    }

    /** Writes to this ledger (the gateway does not close it). */
    public Builder ledger(Ledger ledger) {
      this.ledger = ledger;
      return this;
    }

    /** Decides with this engine (the gateway does not close it). */
    public Builder policyEngine(PolicyEngine engine) {
      this.engine = engine;
      return this;
    }

    /** Analyzes the SQL of connections of this protocol with this analysis. */
    public Builder sqlAnalysis(String protocol, SqlAnalysis analysis) {
      sqlAnalysis.put(protocol, analysis);
      return this;
    }

    public Builder maskPlanner(MaskPlanner planner) {
      this.maskPlanner = planner;
      return this;
    }

    /** Opens every part and starts every listener; on failure, whatever was started is stopped again. */
    public Gateway start() throws GatewayException {
      Gateway gateway = new Gateway();
      try {
        gateway.startWith(this);
        return gateway;
      } catch (GatewayException | RuntimeException e) {
        gateway.close();
        throw e;
      }
    }
  }

  private void startWith(Builder b) throws GatewayException {
    GatewayConfig config = b.config;
    List<String> problems = new ArrayList<>();
    Map<String, Supplier<Optional<String>>> credentials = new HashMap<>();
    for (int i = 0; i < config.connections().size(); i++) {
      GatewayConfig.Connection c = config.connections().get(i);
      Supplier<Optional<String>> credential = Credentials.of(c.upstream(), "connections[" + i + "].upstream");
      try {
        credential.get();
      } catch (IllegalStateException e) {
        problems.add(e.getMessage());
      }
      credentials.put(c.name(), credential);
    }
    if (!problems.isEmpty()) throw new GatewayException(new ConfigException(config.file().toString(), problems).getMessage());

    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("portcullis-scheduler"));
    resources.add(scheduler::shutdownNow);
    ExecutorService decisions = Executors.newFixedThreadPool(32, daemon("portcullis-decide"));
    resources.add(decisions::shutdownNow);

    Ledger ledger = b.ledger;
    if (ledger == null) {
      Path key = config.ledger().signingKey();
      if (key != null && !Files.exists(key)) {
        throw new GatewayException("ledger.signing_key: " + key + " does not exist; create it with `./portcullis ledger "
            + "keygen --origin " + config.ledger().origin() + " --out " + key + "` (./portcullis demo does it for you)");
      }
      try {
        ledger = Ledger.open(config.ledger());
      } catch (LedgerException | RuntimeException e) {
        throw new GatewayException("ledger: cannot open " + describe(config.ledger()) + ": " + e.getMessage(), e);
      }
      resources.add(0, ledger);
    }
    metrics = new GatewayMetrics();
    AuditTrail audit = new AuditTrail(new MeteredLedger(ledger, metrics));

    PolicyEngine engine = b.engine;
    if (engine == null) {
      try {
        engine = PolicyEngine.create(config.policy());
      } catch (PolicyException e) {
        throw new GatewayException("policy: " + e.getMessage(), e);
      }
      resources.add(engine);
    }
    try {
      audit.policyLoaded(config.policy().engine().name().toLowerCase(),
          config.policy().bundle() != null ? config.policy().bundle().toString() : config.policy().opaUrl().toString(),
          engine.revision(), null);
    } catch (LedgerException e) {
      throw new GatewayException("ledger: cannot record the policy load: " + e.getMessage(), e);
    }

    if (engine instanceof EmbeddedEngine embedded && config.policy().reload()) {
      resources.add(0, new BundleReloader(embedded, audit, scheduler, Duration.ofSeconds(1)));
    }

    TokenVerifier verifier;
    try {
      verifier = TokenVerifier.create(config.identity());
    } catch (IOException e) {
      throw new GatewayException("identity: " + e.getMessage(), e);
    }

    ApprovalStore store;
    try {
      store = ApprovalStore.open(config.approvals());
    } catch (IOException e) {
      throw new GatewayException(e.getMessage(), e);
    }
    resources.add(0, store);
    Reviews reviews = new Reviews(store, verifier, engine, config.policy().review(), new ReviewRecorder(audit));
    ApprovalDesk desk = new ApprovalDesk(store, reviews, audit,
        config.approvals().timeout(), config.approvals().pollInterval(), config.file(), scheduler);
    resources.add(0, desk);
    grants = new Grants(store, reviews, engine, connectionTags(config), audit, b.clock);
    long grantRefresh = Math.max(config.approvals().pollInterval().toMillis(), GRANT_REFRESH.toMillis());
    ScheduledFuture<?> refreshing = scheduler.scheduleWithFixedDelay(() -> {
      try {
        grants.refresh();
      } catch (IOException | RuntimeException e) {
        LOG.warn("grants: cannot read the approval store: {}", e.toString());
      }
    }, 0, grantRefresh, TimeUnit.MILLISECONDS);
    resources.add(0, () -> refreshing.cancel(false));
    metrics.pendingApprovals(desk::pending);

    MaskPlanner masks = b.maskPlanner;
    if (masks == null) {
      try {
        masks = Defaults.maskPlanner(Defaults.hashKey(config.masking().hashKeyFile()));
      } catch (IOException e) {
        throw new GatewayException("masking.hash_key_file: " + e.getMessage(), e);
      }
    }
    Decider decider = new Decider(engine, config.policy().decision(), audit, masks, metrics);

    Map<String, ProtocolModule> modules = new HashMap<>();
    if (b.modules.isEmpty()) {
      if (config.plugins().dir() == null) {
        throw new GatewayException("plugins.dir: not configured, so no protocol module can be loaded");
      }
      ModuleLoader loader = new ModuleLoader(config.plugins());
      resources.add(loader);
      loader.modules().forEach(m -> modules.put(m.protocol(), m));
    } else {
      b.modules.forEach(m -> modules.put(m.protocol(), m));
    }

    for (int i = 0; i < config.connections().size(); i++) {
      GatewayConfig.Connection c = config.connections().get(i);
      String where = "connections[" + i + "]";
      ProtocolModule module = modules.get(c.protocol());
      if (module == null) {
        throw new GatewayException(where + ".protocol: no protocol module for '" + c.protocol() + "' (loaded: "
            + (modules.isEmpty() ? "none" : String.join(", ", modules.keySet())) + ")"
            + (b.modules.isEmpty() ? " from " + config.plugins().dir() : ""));
      }
      ConnectionSettings settings;
      try {
        GatewayConfig.Upstream u = c.upstream();
        settings = new ConnectionSettings(c.name(), c.protocol(), c.tags(), new InetSocketAddress(c.bindHost(), c.bindPort()),
            TlsContexts.server(c.tls()),
            new UpstreamSettings(u.host(), u.port(), u.user(), u.databases(), TlsContexts.upstream(u.tls()), credentials.get(c.name())),
            c.options());
      } catch (SSLException e) {
        throw new GatewayException(where + ".tls: " + e.getMessage(), e);
      }
      SqlAnalysis sql = b.sqlAnalysis.getOrDefault(c.protocol(), Defaults.sqlAnalysis(c.protocol()));
      ConnectionServices services = new ConnectionServices(settings, verifier, decider, audit, desk, grants, sql, decisions,
          metrics);
      try {
        ProtocolModule.Listener listener = module.start(settings, services);
        listeners.put(c.name(), listener);
        resources.add(0, listener);
        LOG.info("{} ({}) listening on {}", c.name(), c.protocol(), listener.address());
      } catch (Exception e) {
        throw new GatewayException(where + ".bind: cannot listen on " + c.bindHost() + ":" + c.bindPort() + ": " + e.getMessage(), e);
      }
    }

    URI console = null;
    if (config.admin() != null) {
      GatewayConfig.Admin a = config.admin();
      try {
        SSLContext tls = a.tls() == null ? null : ((JdkSslContext) SslContextBuilder
            .forServer(a.tls().certificateFile().toFile(), a.tls().keyFile().toFile()).sslProvider(SslProvider.JDK).build())
            .context();
        admin = AdminServer.start(new AdminServer.Parts(a, verifier, store, desk.reviews(), desk, ledger, config, metrics),
            tls, scheduler);
      } catch (IOException | IllegalArgumentException e) {
        throw new GatewayException("admin.listen: cannot serve on " + a.host() + ":" + a.port() + ": " + e.getMessage(), e);
      }
      resources.add(0, admin);
      console = admin.publicUrl();
      LOG.info("admin API and console on {}", console);
    }
    if (!config.notifications().isEmpty()) {
      try {
        Notifier notifier = new Notifier(config.notifications(), console, metrics, System::getenv);
        desk.addListener(notifier);
        resources.add(notifier);
      } catch (IllegalArgumentException e) {
        throw new GatewayException(e.getMessage(), e);
      }
    }
    if (admin != null) admin.ready(true);
  }

  /** Name and tags of every connection, which grant requests name. */
  public static Map<String, List<String>> connectionTags(GatewayConfig config) {
    Map<String, List<String>> tags = new LinkedHashMap<>();
    config.connections().forEach(c -> tags.put(c.name(), c.tags()));
    return tags;
  }

  /** The admin listener's address; fails when no {@code admin} section is configured. */
  public InetSocketAddress adminAddress() {
    if (admin == null) throw new IllegalStateException("no admin listener is configured");
    return admin.address();
  }

  /** The console's address as reviewers reach it. */
  public URI consoleUrl() {
    if (admin == null) throw new IllegalStateException("no admin listener is configured");
    return admin.publicUrl();
  }

  /** The gateway's metrics (also served at {@code /metrics} on the admin listener). */
  public GatewayMetrics metrics() { return metrics; }

  /** The just-in-time grants this gateway redeems and records (refreshed every second). */
  public Grants grants() { return grants; }

  private static String describe(LedgerConfig l) {
    return l.dir() != null ? l.dir().toString() : l.jdbcUrl();
  }

  /** The bound address of a connection's listener. */
  public InetSocketAddress address(String connection) {
    ProtocolModule.Listener l = listeners.get(connection);
    if (l == null) throw new IllegalArgumentException("no connection named " + connection);
    return l.address();
  }

  /** Stops the listeners first, then the approval desk, the engine and the ledger. */
  @Override
  public void close() {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("while stopping: {}", e.toString());
      }
    }
    resources.clear();
    listeners.clear();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
