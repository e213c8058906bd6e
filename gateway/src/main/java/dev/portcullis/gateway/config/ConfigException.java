package dev.portcullis.gateway.config;

import java.util.List;

/** A configuration was refused; one message per problem, each naming its YAML path. */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(source + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "\n  "
        + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each like {@code connections[0].upstream.port: must be 1-65535}. */
  public List<String> problems() { return problems; }
}
