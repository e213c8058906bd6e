package dev.portcullis.cli;

import dev.portcullis.gateway.approvals.ApprovalException;
import dev.portcullis.gateway.approvals.ApprovalStore;
import dev.portcullis.gateway.approvals.Reviews;
import dev.portcullis.gateway.config.ConfigException;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.grants.GrantException;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.policy.PolicyEngine;
import dev.portcullis.gateway.policy.PolicyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the {@code approvals} and {@code access} commands share: the gateway's config, the caller's token, and the
 * approval store with its review rules, opened from another process than the running gateway.
 */
abstract class ReviewDeskCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE") Path config;

  @Option(names = "--token", required = true, paramLabel = "T", description = "your identity token")
  String token;

  GatewayConfig cfg;

  PrintWriter out() { return spec.commandLine().getOut(); }

  PrintWriter err() { return spec.commandLine().getErr(); }

  @Override
  public final Integer call() throws Exception {
    try {
      cfg = GatewayConfig.load(config);
    } catch (ConfigException e) {
      err().println(e.getMessage());
      return 2;
    }
    try (ApprovalStore store = ApprovalStore.open(cfg.approvals());
         PolicyEngine engine = needsPolicy() ? PolicyEngine.create(cfg.policy()) : null) {
      Reviews reviews = new Reviews(store, TokenVerifier.create(cfg.identity()), engine, cfg.policy().review());
      return run(store, engine, reviews);
    } catch (ApprovalException | GrantException | IOException e) {
      err().println("portcullis: " + e.getMessage());
      return 1;
    } catch (PolicyException e) {
      err().println("portcullis: cannot load the " + policyRole() + ": " + e.getMessage());
      return 1;
    } finally {
      out().flush();
      err().flush();
    }
  }

  /** Whether the command evaluates the policy; the bundle is compiled only then. */
  abstract boolean needsPolicy();

  /** How an error loading the bundle names it, e.g. "review policy". */
  abstract String policyRole();

  /** Runs the command; {@code engine} is null unless {@link #needsPolicy()}. */
  abstract int run(ApprovalStore store, PolicyEngine engine, Reviews reviews) throws Exception;
}
