package dev.portcullis.ledger.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What {@link Verifier} found: one line per problem, counts, and the notices that are not problems. */
public record VerifyReport(List<String> problems, List<String> notices, long validEntries, long entries,
                           int validCheckpoints, int checkpoints, long unanchored) {

  public boolean ok() {
    return problems.isEmpty() && validEntries == entries && validCheckpoints == checkpoints;
  }

  public String summary() {
    return "entries: " + validEntries + " valid of " + entries + "; checkpoints: " + validCheckpoints + " valid of "
        + checkpoints + "; unanchored: " + unanchored;
  }

  public String text() {
    StringBuilder out = new StringBuilder();
    for (String p : problems) out.append(p).append('\n');
    for (String n : notices) out.append("note: ").append(n).append('\n');
    return out.append(summary()).append('\n').toString();
  }

  public String json() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("ok", ok());
    ArrayNode p = root.putArray("problems");
    problems.forEach(p::add);
    ArrayNode n = root.putArray("notices");
    notices.forEach(n::add);
    root.putObject("entries").put("valid", validEntries).put("total", entries);
    root.putObject("checkpoints").put("valid", validCheckpoints).put("total", checkpoints);
    root.put("unanchored", unanchored);
    return root.toString() + "\n";
  }
}
