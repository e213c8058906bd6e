package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.approvals.ApprovalException;
import dev.portcullis.gateway.approvals.ApprovalStore;
import dev.portcullis.gateway.approvals.Approvals;
import dev.portcullis.gateway.approvals.Reviews;
import dev.portcullis.gateway.policy.PolicyEngine;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portcullis approvals list|show|approve|deny}: statements waiting for a reviewer. */
@Command(name = "approvals", mixinStandardHelpOptions = true,
    description = "Statements held for approval: list them, show one, approve or deny it.",
    subcommands = {ApprovalsCommand.ListCommand.class, ApprovalsCommand.Show.class, ApprovalsCommand.Approve.class,
        ApprovalsCommand.Deny.class})
final class ApprovalsCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Every approvals command acts as the token's holder, authenticated before it runs. */
  abstract static class Base extends ReviewDeskCommand {
    ApprovalStore store;

    @Override
    boolean needsPolicy() { return false; }

    @Override
    final String policyRole() { return "review policy"; }

    @Override
    final int run(ApprovalStore store, PolicyEngine engine, Reviews reviews) throws Exception {
      this.store = store;
      reviews.authenticate(token);
      return run(reviews);
    }

    abstract int run(Reviews reviews) throws Exception;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists approval requests, newest last.")
  static final class ListCommand extends Base {
    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
        description = "json: an array of objects with id, status, requester, statement, ...")
    String format;

    @Option(names = "--status", paramLabel = "S", description = "only requests in this status, e.g. pending")
    String status;

    @Override
    int run(Reviews reviews) throws Exception {
      Instant now = Instant.now();
      ArrayNode list = JSON.createArrayNode();
      for (ObjectNode record : store.list()) {
        ObjectNode s = Approvals.summary(record, now);
        if (status == null || status.equals(s.path("status").asText())) list.add(s);
      }
      if (format.equals("json")) {
        out().println(JSON.writeValueAsString(list));
      } else if (!format.equals("text")) {
        err().println("--format: must be text or json (was '" + format + "')");
        return 2;
      } else if (list.isEmpty()) {
        out().println("no approval requests");
      } else {
        out().printf("%-30s %-9s %-16s %-20s %s%n", "ID", "STATUS", "REQUESTER", "EXPIRES", "STATEMENT");
        for (JsonNode s : list) {
          out().printf("%-30s %-9s %-16s %-20s %s%n", s.path("id").asText(), s.path("status").asText(),
              s.path("requester").asText(), s.path("expires").asText().replaceFirst("\\.\\d+Z$", "Z"),
              oneLine(s.path("statement").asText()));
        }
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one request as stored (without tokens).")
  static final class Show extends Base {
    @Parameters(paramLabel = "ID") String id;

    @Override
    int run(Reviews reviews) throws Exception {
      ObjectNode record = store.read(id).orElseThrow(() -> new ApprovalException("no approval request " + id));
      ObjectNode shown = Approvals.redacted(record);
      shown.put("status", Approvals.effectiveStatus(record, Instant.now()));
      out().println(JSON.writeValueAsString(shown));
      return 0;
    }
  }

  /** approve and deny: the review policy decides who may. */
  abstract static class Verdict extends Base {
    @Parameters(paramLabel = "ID") String id;

    @Option(names = "--reason", paramLabel = "R", description = "your justification (required); recorded in the ledger")
    String reason;

    @Override
    boolean needsPolicy() { return true; }

    abstract boolean approve();

    @Override
    int run(Reviews reviews) throws Exception {
      ObjectNode record = reviews.review(id, token, approve(), reason);
      String status = record.path("status").asText();
      long approvals = 0;
      for (JsonNode r : record.withArray("reviews")) if (r.path("verdict").asText().equals("approve")) approvals++;
      if (status.equals("pending")) {
        out().println(id + ": approval recorded (" + approvals + " of " + record.path("approvals_required").asInt(1)
            + "); still waiting for more reviewers");
      } else if (record.path("kind").asText().equals("grant")) {
        out().println(id + ": " + status + "; " + (status.equals("approved")
            ? "the requester collects the one-connection credential with `access show " + id + "`"
            : "no credential is issued") + ": " + oneLine(record.path("statement").asText()));
      } else {
        out().println(id + ": " + status + "; the gateway " + (status.equals("approved") ? "runs" : "refuses")
            + " the statement: " + oneLine(record.path("statement").asText()));
      }
      return 0;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approves a held statement (it runs once).")
  static final class Approve extends Verdict {
    @Override boolean approve() { return true; }
  }

  @Command(name = "deny", mixinStandardHelpOptions = true, description = "Denies a held statement.")
  static final class Deny extends Verdict {
    @Override boolean approve() { return false; }
  }

  private static String oneLine(String s) {
    String line = s.replaceAll("\\s+", " ").trim();
    return line.length() > 80 ? line.substring(0, 77) + "..." : line;
  }

}
