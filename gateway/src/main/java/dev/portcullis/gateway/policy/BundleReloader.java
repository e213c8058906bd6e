package dev.portcullis.gateway.policy;

import dev.portcullis.gateway.audit.AuditTrail;
import dev.portcullis.rego.Policy;
import dev.portcullis.rego.tester.TestReport;
import dev.portcullis.rego.tester.TestResult;
import dev.portcullis.rego.tester.Tester;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the embedded engine's bundle when its files change. A change is loaded once the folder looked the same
 * on two polls in a row (editors save in several steps). The new bundle must compile and pass its own
 * {@code test_*} rules before it replaces the one that answers; every attempt, accepted or not, is a
 * {@code policy_loaded} ledger entry.
 */
public final class BundleReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BundleReloader.class);

  private final EmbeddedEngine engine;
  private final AuditTrail audit;
  private final ScheduledFuture<?> poller;
  private Map<String, String> loaded;
  private Map<String, String> previous;

  public BundleReloader(EmbeddedEngine engine, AuditTrail audit, ScheduledExecutorService scheduler, Duration interval) {
    this.engine = engine;
    this.audit = audit;
    this.loaded = snapshot(engine.bundle());
    this.previous = loaded;
    this.poller = scheduler.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One poll: reloads when the folder changed since the last load and has settled since the previous poll. */
  synchronized void poll() {
    try {
      Map<String, String> now = snapshot(engine.bundle());
      if (!now.equals(loaded) && now.equals(previous)) {
        loaded = now;
        reload();
      }
      previous = now;
    } catch (RuntimeException e) {
      LOG.warn("policy bundle {}: cannot check for changes: {}", engine.bundle(), e.toString());
    }
  }

  /** Compiles the bundle as it is now and, if it compiles, makes it answer. True when it was accepted. */
  public synchronized boolean reload() {
    String source = engine.bundle().toString();
    Policy policy;
    try {
      policy = EmbeddedEngine.compile(engine.bundle());
    } catch (PolicyException e) {
      LOG.warn("policy bundle not reloaded, the previous one keeps answering: {}", e.getMessage());
      record(source, engine.revision(), e.getMessage());
      return false;
    }
    String failing = failingTests(policy);
    if (failing != null) {
      LOG.warn("policy bundle not reloaded, the previous one keeps answering: {}", failing);
      record(source, policy.revision(), failing);
      return false;
    }
    if (!record(source, policy.revision(), null)) return false;
    engine.replace(policy);
    LOG.info("policy bundle reloaded, revision '{}'", policy.revision());
    return true;
  }

  /** The bundle's own {@code test_*} rules must pass; null when they do (or there are none), else which fail. */
  private static String failingTests(Policy policy) {
    TestReport report;
    try {
      report = Tester.run(policy, name -> true, false);
    } catch (RuntimeException e) {
      return "policy tests could not run: " + e;
    }
    List<String> failed = new ArrayList<>();
    for (TestResult r : report.results()) {
      if (r.outcome() == TestResult.Outcome.FAIL || r.outcome() == TestResult.Outcome.ERROR) {
        failed.add(r.pkg() + "." + r.name() + (r.error() == null ? "" : " (" + r.error() + ")"));
      }
    }
    return failed.isEmpty() ? null : "policy tests fail: " + String.join(", ", failed);
  }

  /** Records the attempt; a bundle whose load cannot be recorded does not answer. */
  private boolean record(String source, String revision, String error) {
    try {
      audit.policyLoaded("embedded", source, revision, error);
      return true;
    } catch (Exception e) {
      LOG.warn("policy bundle load not recorded ({}), keeping the previous one", e.toString());
      return false;
    }
  }

  /** Each policy file's path with its size and modification time. */
  private static Map<String, String> snapshot(Path bundle) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(bundle)) {
      walk.filter(Files::isRegularFile).forEach(f -> {
        try {
          BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
          files.put(bundle.relativize(f).toString(), a.size() + "@" + a.lastModifiedTime().toInstant());
        } catch (IOException e) {
          files.put(bundle.relativize(f).toString(), "unreadable");
        }
      });
    } catch (IOException | UncheckedIOException e) {
      files.put("", "unreadable: " + e.getMessage());
    }
    return files;
  }

  @Override
  public void close() {
    poller.cancel(false);
  }
}
