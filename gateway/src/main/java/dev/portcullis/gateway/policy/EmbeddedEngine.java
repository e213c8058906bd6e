package dev.portcullis.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.EvalOptions;
import dev.portcullis.rego.Policy;
import dev.portcullis.rego.RegoException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The in-process Rego engine over a bundle folder. The compiled policy is swapped atomically on reload: an
 * evaluation sees either the old or the new bundle, never a mix, and a bundle that fails to compile never replaces
 * a working one.
 */
public final class EmbeddedEngine implements PolicyEngine {
  private final Path bundle;
  private final EvalOptions options;
  private final AtomicReference<Policy> current;

  private EmbeddedEngine(Path bundle, Duration timeout, Policy policy) {
    this.bundle = bundle;
    this.options = EvalOptions.DEFAULT.withTimeout(timeout);
    this.current = new AtomicReference<>(policy);
  }

  public static EmbeddedEngine load(Path bundle, Duration timeout) throws PolicyException {
    return new EmbeddedEngine(bundle, timeout, compile(bundle));
  }

  /** A policy compiled elsewhere (e.g. checked by its tests first), evaluated with the given timeout. */
  public static EmbeddedEngine of(Path bundle, Duration timeout, Policy policy) {
    return new EmbeddedEngine(bundle, timeout, policy);
  }

  public Path bundle() { return bundle; }

  /** Compiles the bundle folder, with the error in OPA's {@code file:row:col: code: message} form. */
  public static Policy compile(Path bundle) throws PolicyException {
    try {
      return Policy.compileBundle(bundle);
    } catch (RegoException e) {
      throw new PolicyException("policy bundle " + bundle + " does not compile: " + e, e);
    } catch (RuntimeException e) {
      throw new PolicyException("policy bundle " + bundle + " cannot be loaded: " + e, e);
    }
  }

  /** Replaces the policy that answers from now on. */
  public void replace(Policy policy) { current.set(policy); }

  @Override
  public Optional<JsonNode> evaluate(String ref, JsonNode input) throws PolicyException {
    try {
      return current.get().evaluate(ref, input, options);
    } catch (RegoException e) {
      throw new PolicyException("policy evaluation failed: " + e, e);
    } catch (RuntimeException e) {
      throw new PolicyException("policy engine failed: " + e, e);
    }
  }

  @Override
  public boolean inProcess() {
    return true;
  }

  @Override
  public String revision() {
    return current.get().revision();
  }
}
