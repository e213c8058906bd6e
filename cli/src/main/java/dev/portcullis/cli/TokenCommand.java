package dev.portcullis.cli;

import dev.portcullis.gateway.config.ConfigException;
import dev.portcullis.gateway.config.Durations;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.DevTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis token issue}: development tokens. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Identity tokens for development.",
    subcommands = TokenCommand.Issue.class)
final class TokenCommand {

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = {"Signs a token with the configuration's development key (dev_signing_key) and prints it as the "
          + "last line.", "FOR DEVELOPMENT ONLY: real clients get their token from your identity provider."})
  static final class Issue implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE") Path config;

    @Option(names = "--subject", required = true, paramLabel = "S", description = "who the token is for, e.g. cursor-agent")
    String subject;

    @Option(names = "--groups", split = ",", paramLabel = "a,b", description = "the groups claim, e.g. agents")
    List<String> groups = new ArrayList<>();

    @Option(names = "--ttl", defaultValue = "15m", paramLabel = "DURATION", description = "lifetime (default ${DEFAULT-VALUE})")
    String ttl;

    @Override
    public Integer call() throws Exception {
      Duration lifetime;
      try {
        lifetime = Durations.parse(ttl);
      } catch (IllegalArgumentException e) {
        System.err.println("--ttl: " + e.getMessage());
        return 2;
      }
      GatewayConfig cfg;
      try {
        cfg = GatewayConfig.load(config);
      } catch (ConfigException e) {
        System.err.println(e.getMessage());
        return 2;
      }
      GatewayConfig.Issuer issuer;
      try {
        issuer = DevTokens.devIssuer(cfg);
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        return 2;
      }
      String token = DevTokens.issue(issuer, subject, groups, lifetime);
      System.err.println("# development token for " + subject + " (groups " + String.join(",", groups) + "), valid "
          + Durations.format(lifetime) + ", signed with " + issuer.devSigningKey() + " -- never use in production");
      System.out.println(token);
      return 0;
    }
  }
}
