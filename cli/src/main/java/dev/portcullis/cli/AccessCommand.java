package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.approvals.ApprovalStore;
import dev.portcullis.gateway.approvals.Reviews;
import dev.portcullis.gateway.config.Durations;
import dev.portcullis.gateway.grants.Grants;
import dev.portcullis.gateway.policy.PolicyEngine;
import dev.portcullis.gateway.server.Gateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis access request|show|list}: just-in-time, one-connection credentials. Reviewers decide grant
 * requests with {@code approvals approve|deny}, like any approval request.
 */
@Command(name = "access", mixinStandardHelpOptions = true,
    description = "Just-in-time access: request a one-connection credential, collect it once approved, list grants.",
    subcommands = {AccessCommand.Request.class, AccessCommand.Show.class, AccessCommand.ListCommand.class})
final class AccessCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  abstract static class Base extends ReviewDeskCommand {
    @Override
    final boolean needsPolicy() { return true; }

    @Override
    final String policyRole() { return "policy"; }

    @Override
    final int run(ApprovalStore store, PolicyEngine engine, Reviews reviews) throws Exception {
      return run(new Grants(store, reviews, engine, Gateway.connectionTags(cfg), null, Clock.systemUTC()));
    }

    abstract int run(Grants grants) throws Exception;

    /** Prints the outcome of collecting; the credential, when issued now, alone on the last line. */
    int report(JsonNode shown) {
      String id = shown.path("id").asText();
      String status = shown.path("status").asText();
      if (shown.has("credential")) {
        out().println(id + ": approved; credential for connection " + shown.path("connection").asText() + " valid until "
            + shown.path("credential_expires").asText() + ", for one connection, shown only this once:");
        out().println(shown.path("credential").asText());
        return 0;
      }
      switch (status) {
        case "pending" -> out().println(id + ": pending, waiting for " + shown.path("reviewers") + " ("
            + shown.path("reviews").size() + " of " + shown.path("approvals_required").asInt() + " approvals)");
        case "approved" -> out().println(awaitsRecording(shown)
            ? id + ": approved; the gateway records the verdict in the audit ledger before the credential is issued, "
                + "run this again in a moment"
            : id + ": approved; the credential was already collected (state "
                + shown.path("credential_state").asText() + "), it is shown once");
        default -> {
          err().println("portcullis: " + id + " is " + status + reason(shown));
          return 1;
        }
      }
      return 0;
    }

    /** Approved, but no credential until a running gateway has put the verdict in the ledger. */
    static boolean awaitsRecording(JsonNode shown) {
      return shown.path("status").asText().equals("approved") && shown.path("credential_state").asText().equals("none")
          && !shown.path("verdict_recorded").asBoolean();
    }

    private static String reason(JsonNode shown) {
      for (JsonNode r : shown.path("reviews")) {
        if (r.path("verdict").asText().equals("deny")) {
          return " by " + r.path("reviewer").path("subject").asText() + ": " + r.path("reason").asText();
        }
      }
      return "";
    }
  }

  @Command(name = "request", mixinStandardHelpOptions = true,
      description = "Files a grant request; with --wait, prints the credential once it is approved.")
  static final class Request extends Base {
    @Option(names = "--connection", required = true, paramLabel = "NAME") String connection;

    @Option(names = "--duration", required = true, paramLabel = "D", description = "e.g. 30m; the credential's lifetime")
    String duration;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why; reviewers read it, the ledger keeps it")
    String reason;

    @Option(names = "--wait", description = "wait for the verdict and print the credential") boolean wait;

    @Override
    int run(Grants grants) throws Exception {
      Duration d;
      try {
        d = Durations.parse(duration);
      } catch (IllegalArgumentException e) {
        err().println("--duration: " + e.getMessage());
        return 2;
      }
      ObjectNode filed = grants.request(token, connection, d, reason);
      String id = filed.path("id").asText();
      out().println(id + ": grant request filed; reviewers " + filed.path("reviewers") + " ("
          + filed.path("approvals_required").asInt() + " approval(s)) decide with: ./portcullis approvals approve " + id
          + " --config " + config + " --token <reviewer token> --reason <why>");
      if (!wait) {
        out().println("collect the credential once approved: ./portcullis access show " + id + " --config " + config
            + " --token <your token>");
        return 0;
      }
      out().flush();
      Instant deadline = Instant.parse(filed.path("expires").asText());
      JsonNode shown = grants.collect(token, id);
      while ((shown.path("status").asText().equals("pending") || awaitsRecording(shown)) && Instant.now().isBefore(deadline)) {
        Thread.sleep(cfg.approvals().pollInterval().toMillis()); // polling the store is how the verdict arrives
        shown = grants.collect(token, id);
      }
      return report(shown);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Shows your grant request; once approved, the first call prints the credential (only once).")
  static final class Show extends Base {
    @Parameters(paramLabel = "ID") String id;

    @Override
    int run(Grants grants) throws Exception {
      return report(grants.collect(token, id));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists grant requests, newest last.")
  static final class ListCommand extends Base {
    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json") String format;

    @Override
    int run(Grants grants) throws Exception {
      var list = grants.list();
      if (format.equals("json")) {
        out().println(JSON.writeValueAsString(list));
        return 0;
      }
      if (!format.equals("text")) {
        err().println("--format: must be text or json (was '" + format + "')");
        return 2;
      }
      if (list.isEmpty()) out().println("no grant requests");
      else out().printf("%-30s %-9s %-10s %-16s %-16s %-8s %s%n", "ID", "STATUS", "CREDENTIAL", "REQUESTER", "CONNECTION",
          "DURATION", "REASON");
      for (JsonNode g : list) {
        out().printf("%-30s %-9s %-10s %-16s %-16s %-8s %s%n", g.path("id").asText(), g.path("status").asText(),
            g.path("credential_state").asText(), g.path("requester").asText(), g.path("connection").asText(),
            g.path("duration").asText(), g.path("reason").asText());
      }
      return 0;
    }
  }
}
