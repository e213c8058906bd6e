package dev.portcullis.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.policy.PolicyEngine;
import dev.portcullis.gateway.policy.PolicyException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A policy engine answering each reference with a Java function (until the embedded Rego engine exists). */
public final class ScriptedEngine implements PolicyEngine {
  @FunctionalInterface
  public interface Rule {
    Optional<JsonNode> answer(JsonNode input) throws Exception;
  }

  private final Map<String, Rule> rules = new ConcurrentHashMap<>();

  public ScriptedEngine on(String ref, Rule rule) {
    rules.put(ref, rule);
    return this;
  }

  @Override
  public Optional<JsonNode> evaluate(String ref, JsonNode input) throws PolicyException {
    Rule rule = rules.get(ref);
    if (rule == null) return Optional.empty();
    try {
      return rule.answer(input);
    } catch (PolicyException e) {
      throw e;
    } catch (Exception e) {
      throw new PolicyException("scripted rule failed: " + e, e);
    }
  }

  @Override
  public String revision() { return "scripted-1"; }
}
