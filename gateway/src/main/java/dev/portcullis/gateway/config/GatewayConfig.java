package dev.portcullis.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.ledger.LedgerConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gateway's YAML configuration ({@code serve --config FILE}), validated as a whole. Relative paths resolve
 * against the configuration file's folder.
 */
public record GatewayConfig(Path file, Path stateDir, List<Connection> connections, IdentitySettings identity,
                            PolicySettings policy, LedgerConfig ledger, Approvals approvals, Plugins plugins,
                            Masking masking, Admin admin, List<Webhook> notifications) {

  public static final String DEFAULT_DECISION = "data.portcullis.decision";
  public static final String DEFAULT_REVIEW = "data.portcullis.review.allow";

  /** {@code connections[i]}: one listener and the server behind it. */
  public record Connection(String name, String protocol, List<String> tags, String bindHost, int bindPort,
                           ClientTls tls, Upstream upstream, JsonNode options) {}

  /** TLS offered to clients: a PEM certificate chain and its PEM (PKCS#8) key. */
  public record ClientTls(Path certificateFile, Path keyFile) {}

  /** Exactly one of {@code credentialEnv}, {@code credentialFile}, or neither (trust). */
  public record Upstream(String host, int port, String user, List<String> databases, String credentialEnv,
                         Path credentialFile, UpstreamTls tls) {}

  public record UpstreamTls(Mode mode, Path caFile) {
    public enum Mode { DISABLE, PREFER, REQUIRE, VERIFY_FULL }
  }

  /**
   * A trusted token issuer.
   *
   * @param devSigningKey a private JWK file {@code token issue} may sign with; development setups only
   */
  public record Issuer(String issuer, List<String> audiences, URI jwksUrl, Path jwksFile, List<String> algorithms,
                       String groupsClaim, Path devSigningKey) {}

  public record IdentitySettings(List<Issuer> issuers, Duration clockSkew) {}

  public enum Engine { EMBEDDED, OPA }

  /**
   * @param decision the decision document's reference, e.g. {@code data.portcullis.decision}
   * @param review   the review rule's reference, e.g. {@code data.portcullis.review.allow}
   * @param reload   reload the bundle when its files change (embedded engine)
   */
  public record PolicySettings(Engine engine, Path bundle, String decision, String review, Duration timeout,
                               URI opaUrl, boolean reload) {}

  /**
   * @param store   the folder of the file store; null with {@code store: postgres}
   * @param timeout applies when the decision names none
   * @param jdbcUrl the PostgreSQL store shared by replicas ({@code store: postgres}); null for the file store
   * @param credentialEnv  environment variable holding the store's database password, or null
   * @param credentialFile file holding the store's database password, or null
   */
  public record Approvals(Path store, Duration timeout, Duration pollInterval, String jdbcUrl, String credentialEnv,
                          Path credentialFile) {
    /** The PostgreSQL store's password, read at each call; null when none is configured (trust or in the URL). */
    public String password() throws java.io.IOException {
      if (credentialEnv != null) {
        String value = System.getenv(credentialEnv);
        if (value == null) throw new java.io.IOException("approvals.credential_env: environment variable " + credentialEnv + " is not set");
        return value;
      }
      return credentialFile == null ? null : Files.readString(credentialFile).strip();
    }
  }

  /** @param development load plugins straight from their build ({@code target/classes} + {@code plugin.properties}) */
  public record Plugins(Path dir, boolean development) {}

  /** @param hashKeyFile the key of the {@code hash} strategy; created (random) on first use */
  public record Masking(Path hashKeyFile) {}

  /**
   * {@code admin}: the admin API and web console, on their own listener; null when not configured.
   *
   * @param publicUrl how reviewers reach the console (links in notifications, the OIDC redirect); defaults to
   *                  {@code http(s)://listen/}
   * @param groups    who may use the console and the API at all (any of these groups); what each may approve is
   *                  still the review policy's call
   * @param oidc      sign-in through an issuer's authorization-code flow with PKCE; null for token paste only
   */
  public record Admin(String host, int port, ClientTls tls, URI publicUrl, List<String> groups, Oidc oidc) {}

  /**
   * @param issuer the configured issuer ({@code identity.issuers[].issuer}) whose ID token signs the reviewer in
   * @param clientSecretEnv environment variable holding the client secret, for confidential clients; may be null
   */
  public record Oidc(String issuer, URI authorizationEndpoint, URI tokenEndpoint, String clientId,
                     String clientSecretEnv, List<String> scopes) {}

  /**
   * {@code notifications[i]}: where new approval requests are announced.
   *
   * @param format    {@code webhook} (JSON body, HMAC-SHA256 signed) or {@code slack} (incoming-webhook message)
   * @param secretEnv  environment variable holding the HMAC key; {@code webhook} needs it or {@code secretFile}
   * @param secretFile file holding the HMAC key (trailing whitespace ignored)
   */
  public record Webhook(URI url, String format, String secretEnv, Path secretFile, int maxAttempts) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> PROTOCOLS = Set.of("postgres", "mysql", "http");

  /** Reads and validates a configuration file; every problem is reported at once. */
  public static GatewayConfig load(Path file) throws ConfigException {
    Path absolute = file.toAbsolutePath().normalize();
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(absolute));
    } catch (JsonProcessingException e) {
      throw new ConfigException(file.toString(), List.of("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
    }
    if (root == null || root.isMissingNode()) root = JsonNodeFactory.instance.objectNode();
    List<String> problems = new ArrayList<>();
    Path baseDir = absolute.getParent();
    YamlNode top = new YamlNode(root, "", problems, baseDir);
    GatewayConfig config = parse(absolute, top);
    if (!problems.isEmpty()) throw new ConfigException(file.toString(), problems);
    return config;
  }

  private static GatewayConfig parse(Path file, YamlNode top) {
    if (!top.object("state_dir", "connections", "identity", "policy", "ledger", "approvals", "plugins", "masking",
        "admin", "notifications")) {
      return null;
    }
    Path stateDir = top.file("state_dir", false);
    if (stateDir == null) stateDir = file.getParent().resolve("var");
    List<Connection> connections = new ArrayList<>();
    Set<String> names = new HashSet<>();
    YamlNode list = top.get("connections");
    if (!list.present()) list.problem("is required (at least one connection)");
    for (YamlNode c : list.elements()) {
      Connection connection = connection(c);
      if (connection != null && !names.add(connection.name())) c.get("name").problem("duplicate name '" + connection.name() + "'");
      connections.add(connection);
    }
    return new GatewayConfig(file, stateDir, connections, identity(top.get("identity")), policy(top.get("policy")),
        ledger(top.get("ledger")), approvals(top.get("approvals"), stateDir), plugins(top.get("plugins")),
        masking(top.get("masking"), stateDir), admin(top.get("admin")), notifications(top.get("notifications")));
  }

  private static Connection connection(YamlNode c) {
    if (!c.object("name", "protocol", "bind", "tags", "tls", "upstream", "options")) return null;
    String name = c.string("name", true);
    String protocol = c.string("protocol", true);
    if (protocol != null && !PROTOCOLS.contains(protocol)) {
      c.get("protocol").problem("must be one of postgres, mysql, http (was '" + protocol + "')");
    }
    String bind = c.string("bind", true);
    String host = null;
    int port = 0;
    if (bind != null) {
      int colon = bind.lastIndexOf(':');
      try {
        if (colon <= 0) throw new NumberFormatException();
        host = bind.substring(0, colon).replace("[", "").replace("]", "");
        port = Integer.parseInt(bind.substring(colon + 1));
        if (port < 0 || port > 65535) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        c.get("bind").problem("must be host:port with port 0-65535 (was '" + bind + "')");
      }
    }
    ClientTls tls = null;
    YamlNode t = c.get("tls");
    if (t.present() && t.object("certificate_file", "key_file")) {
      tls = new ClientTls(t.existingFile("certificate_file", true), t.existingFile("key_file", true));
    }
    YamlNode options = c.get("options");
    if (options.present() && !options.json().isObject()) options.problem("must be a mapping");
    return new Connection(name, protocol, c.strings("tags"), host, port, tls, upstream(c.get("upstream")),
        options.present() ? options.json() : JsonNodeFactory.instance.objectNode());
  }

  private static Upstream upstream(YamlNode u) {
    if (!u.present()) {
      u.problem("is required");
      return null;
    }
    if (!u.object("host", "port", "user", "databases", "credential_env", "credential_file", "tls")) return null;
    String host = u.string("host", true);
    Integer port = u.integer("port", 1, 65535, null);
    if (!u.has("port")) u.get("port").problem("is required");
    String env = u.string("credential_env", false);
    Path credentialFile = u.file("credential_file", false);
    if (env != null && credentialFile != null) u.problem("credential_env and credential_file exclude each other");
    UpstreamTls tls = new UpstreamTls(UpstreamTls.Mode.DISABLE, null);
    YamlNode t = u.get("tls");
    if (t.present() && t.object("mode", "ca_file")) {
      tls = new UpstreamTls(t.choice("mode", UpstreamTls.Mode.class, UpstreamTls.Mode.DISABLE), t.existingFile("ca_file", false));
    }
    return new Upstream(host, port == null ? 0 : port, u.string("user", true), u.strings("databases"), env,
        credentialFile, tls);
  }

  private static final Set<String> FORBIDDEN_ALGORITHMS = Set.of("none", "HS256", "HS384", "HS512");
  private static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
      "ES256", "ES384", "ES512");

  private static IdentitySettings identity(YamlNode i) {
    if (!i.present()) {
      i.problem("is required (at least one issuer)");
      return null;
    }
    if (!i.object("issuers", "clock_skew")) return null;
    List<Issuer> issuers = new ArrayList<>();
    YamlNode list = i.get("issuers");
    if (!list.present()) list.problem("is required (at least one issuer)");
    for (YamlNode n : list.elements()) {
      if (!n.object("issuer", "audience", "jwks_url", "jwks_file", "algorithms", "groups_claim", "dev_signing_key")) continue;
      List<String> audiences = n.get("audience").json().isArray() ? n.strings("audience")
          : n.has("audience") ? List.of(n.string("audience", true)) : List.of();
      if (audiences.isEmpty()) n.get("audience").problem("is required");
      URI url = n.url("jwks_url", false);
      Path jwksFile = n.existingFile("jwks_file", false);
      if (!n.has("jwks_url") && !n.has("jwks_file")) {
        n.problem("needs jwks_url or jwks_file");
      } else if (n.has("jwks_url") && n.has("jwks_file")) {
        n.problem("jwks_url and jwks_file exclude each other");
      }
      List<String> algorithms = n.has("algorithms") ? n.strings("algorithms") : List.of("RS256", "ES256");
      List<YamlNode> algNodes = n.get("algorithms").elements();
      for (int k = 0; k < algorithms.size(); k++) {
        String alg = algorithms.get(k);
        YamlNode where = k < algNodes.size() ? algNodes.get(k) : n.get("algorithms");
        if (FORBIDDEN_ALGORITHMS.contains(alg) || alg.equalsIgnoreCase("none")) {
          where.problem("'" + alg + "' is never accepted (tokens must be signed with a public-key algorithm)");
        } else if (!ALGORITHMS.contains(alg)) {
          where.problem("unknown algorithm '" + alg + "' (expected one of " + String.join(", ", new TreeSet<>(ALGORITHMS)) + ")");
        }
      }
      if (n.has("algorithms") && algorithms.isEmpty()) n.get("algorithms").problem("must name at least one algorithm");
      issuers.add(new Issuer(n.string("issuer", true), audiences, url, jwksFile, algorithms,
          n.string("groups_claim", "groups"), n.existingFile("dev_signing_key", false)));
    }
    return new IdentitySettings(issuers, i.duration("clock_skew", Duration.ofSeconds(30)));
  }

  private static PolicySettings policy(YamlNode p) {
    if (!p.present()) {
      p.problem("is required");
      return null;
    }
    if (!p.object("engine", "bundle", "decision", "review", "timeout", "opa_url", "reload")) return null;
    Engine engine = p.choice("engine", Engine.class, Engine.EMBEDDED);
    Path bundle = p.file("bundle", engine == Engine.EMBEDDED);
    if (bundle != null && !Files.isDirectory(bundle)) p.get("bundle").problem("no such folder " + bundle);
    URI opa = p.url("opa_url", engine == Engine.OPA);
    return new PolicySettings(engine, bundle, reference(p, "decision", DEFAULT_DECISION),
        reference(p, "review", DEFAULT_REVIEW), p.duration("timeout", Duration.ofMillis(50)), opa,
        p.bool("reload", true));
  }

  private static String reference(YamlNode p, String key, String defaultValue) {
    String ref = p.string(key, defaultValue);
    if (!ref.matches("data(\\.[A-Za-z_][A-Za-z0-9_]*)+")) {
      p.get(key).problem("must be a data reference like " + defaultValue);
    }
    return ref;
  }

  /** The same rules as {@link LedgerConfig#fromYaml}, which {@code ledger verify --config} reads. */
  private static LedgerConfig ledger(YamlNode l) {
    if (!l.present()) {
      l.problem("is required (dir or jdbc_url, signing_key, origin)");
      return null;
    }
    if (!l.object("dir", "jdbc_url", "signing_key", "origin", "checkpoint_every", "checkpoint_interval",
        "heartbeat_interval")) {
      return null;
    }
    Path dir = l.file("dir", false);
    String jdbc = l.string("jdbc_url", false);
    if (dir != null && jdbc != null) l.problem("dir and jdbc_url exclude each other");
    if (!l.has("dir") && !l.has("jdbc_url")) l.problem("needs dir or jdbc_url");
    if (jdbc != null && !jdbc.startsWith("jdbc:postgresql:")) l.get("jdbc_url").problem("must be a jdbc:postgresql: URL");
    Path key = l.file("signing_key", true);
    String origin = l.string("origin", true);
    int every = l.integer("checkpoint_every", 1, Integer.MAX_VALUE, LedgerConfig.DEFAULT_CHECKPOINT_EVERY);
    Duration interval = l.duration("checkpoint_interval", LedgerConfig.DEFAULT_CHECKPOINT_INTERVAL);
    Duration heartbeat = l.duration("heartbeat_interval", LedgerConfig.DEFAULT_HEARTBEAT_INTERVAL);
    if ((dir == null) == (jdbc == null) || origin == null) return null;
    return new LedgerConfig(dir, jdbc, key, origin, every, interval, heartbeat);
  }

  /** {@code store} is a folder, or {@code postgres} with {@code jdbc_url} (write {@code ./postgres} for a folder of that name). */
  private static Approvals approvals(YamlNode a, Path stateDir) {
    if (!a.object("store", "timeout", "poll_interval", "jdbc_url", "credential_env", "credential_file")) return null;
    boolean postgres = "postgres".equals(a.string("store", null));
    String jdbc = a.string("jdbc_url", false);
    String env = a.string("credential_env", false);
    Path credentialFile = a.file("credential_file", false);
    if (postgres) {
      if (jdbc == null) a.get("jdbc_url").problem("is required with store: postgres");
      else if (!jdbc.startsWith("jdbc:postgresql:")) a.get("jdbc_url").problem("must be a jdbc:postgresql: URL");
      if (env != null && credentialFile != null) a.problem("credential_env and credential_file exclude each other");
    } else if (jdbc != null || env != null || credentialFile != null) {
      a.problem("jdbc_url, credential_env and credential_file need store: postgres");
    }
    Path store = postgres ? null : a.file("store", false);
    return new Approvals(postgres ? null : store == null ? stateDir.resolve("approvals") : store,
        a.duration("timeout", Duration.ofMinutes(5)), a.duration("poll_interval", Duration.ofMillis(200)),
        postgres ? jdbc : null, env, credentialFile);
  }

  private static Plugins plugins(YamlNode p) {
    if (!p.object("dir", "mode")) return null;
    Path dir = p.file("dir", false);
    if (dir != null && !Files.isDirectory(dir)) p.get("dir").problem("no such folder " + dir);
    String mode = p.string("mode", "deployment");
    if (!mode.equals("development") && !mode.equals("deployment")) {
      p.get("mode").problem("must be development or deployment (was '" + mode + "')");
    }
    return new Plugins(dir, mode.equals("development"));
  }

  private static Masking masking(YamlNode m, Path stateDir) {
    if (!m.object("hash_key_file")) return null;
    Path key = m.file("hash_key_file", false);
    return new Masking(key == null ? stateDir.resolve("masking-hash.key") : key);
  }

  private static Admin admin(YamlNode a) {
    if (!a.present() || !a.object("listen", "tls", "public_url", "groups", "oidc")) return null;
    String listen = a.string("listen", true);
    String host = null;
    int port = 0;
    if (listen != null) {
      int colon = listen.lastIndexOf(':');
      try {
        if (colon <= 0) throw new NumberFormatException();
        host = listen.substring(0, colon).replace("[", "").replace("]", "");
        port = Integer.parseInt(listen.substring(colon + 1));
        if (port < 0 || port > 65535) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        a.get("listen").problem("must be host:port with port 0-65535 (was '" + listen + "')");
      }
    }
    ClientTls tls = null;
    YamlNode t = a.get("tls");
    if (t.present() && t.object("certificate_file", "key_file")) {
      tls = new ClientTls(t.existingFile("certificate_file", true), t.existingFile("key_file", true));
    }
    Oidc oidc = null;
    YamlNode o = a.get("oidc");
    if (o.present() && o.object("issuer", "authorization_endpoint", "token_endpoint", "client_id", "client_secret_env",
        "scopes")) {
      List<String> scopes = o.has("scopes") ? o.strings("scopes") : List.of("openid", "profile");
      oidc = new Oidc(o.string("issuer", true), o.url("authorization_endpoint", true), o.url("token_endpoint", true),
          o.string("client_id", true), o.string("client_secret_env", false), scopes);
    }
    List<String> groups = a.strings("groups");
    if (groups.isEmpty()) a.get("groups").problem("is required: the groups whose members may use the console and API");
    return new Admin(host, port, tls, a.url("public_url", false), groups, oidc);
  }

  private static List<Webhook> notifications(YamlNode n) {
    List<Webhook> out = new ArrayList<>();
    if (!n.present()) return out;
    for (YamlNode w : n.elements()) {
      if (!w.object("url", "format", "secret_env", "secret_file", "max_attempts")) continue;
      String format = w.string("format", "webhook");
      if (!format.equals("webhook") && !format.equals("slack")) {
        w.get("format").problem("must be webhook or slack (was '" + format + "')");
      }
      String secretEnv = w.string("secret_env", false);
      Path secretFile = w.existingFile("secret_file", false);
      if (w.has("secret_env") && w.has("secret_file")) w.problem("secret_env and secret_file exclude each other");
      if (format.equals("webhook") && !w.has("secret_env") && !w.has("secret_file")) {
        w.problem("needs secret_env or secret_file for format webhook (the HMAC-SHA256 key the receiver checks)");
      }
      out.add(new Webhook(w.url("url", true), format, secretEnv, secretFile, w.integer("max_attempts", 1, 10, 5)));
    }
    return out;
  }
}
