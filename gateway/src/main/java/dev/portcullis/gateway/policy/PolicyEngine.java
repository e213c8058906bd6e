package dev.portcullis.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.config.GatewayConfig;
import java.util.Optional;

/** Where decisions come from: the embedded Rego engine or a running OPA server. Thread-safe. */
public interface PolicyEngine extends AutoCloseable {

  /**
   * Evaluates a data reference such as {@code data.portcullis.decision} against an input, within the configured
   * timeout. Empty when the document is undefined. The document is a new tree that belongs to the caller, which may
   * keep parts of it without copying.
   */
  Optional<JsonNode> evaluate(String ref, JsonNode input) throws PolicyException;

  /** The revision of the policy that answers now ("" when unknown). */
  String revision();

  /**
   * Whether {@link #evaluate} computes in this process within its timeout, so that a network event loop may call it;
   * false for a call to a policy server.
   */
  default boolean inProcess() {
    return false;
  }

  @Override
  default void close() {}

  /** The engine the configuration names; the embedded one compiles its bundle now. */
  static PolicyEngine create(GatewayConfig.PolicySettings settings) throws PolicyException {
    return switch (settings.engine()) {
      case EMBEDDED -> EmbeddedEngine.load(settings.bundle(), settings.timeout());
      case OPA -> new OpaEngine(settings.opaUrl(), settings.timeout());
    };
  }
}
