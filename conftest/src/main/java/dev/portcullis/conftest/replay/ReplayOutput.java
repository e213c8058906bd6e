package dev.portcullis.conftest.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.conftest.format.GoJson;

/** How {@code policy replay} prints its report: text for people, json for scripts. */
public final class ReplayOutput {
  private ReplayOutput() {}

  public static String text(Replayer.Report report) {
    StringBuilder out = new StringBuilder();
    for (Replayer.Change c : report.changes()) {
      RecordedDecision d = c.recorded();
      out.append("CHANGED ").append(d.requestId()).append(" (seq ").append(d.seq()).append(") ")
          .append(d.subject()).append(" on ").append(d.connectionName()).append(": ").append(d.outcome())
          .append(" -> ").append(c.newOutcome()).append('\n');
      if (d.statement() != null) out.append("  statement: ").append(oneLine(d.statement())).append('\n');
      if (!c.newReasons().isEmpty()) out.append("  now: ").append(String.join("; ", c.newReasons())).append('\n');
    }
    for (Replayer.Skipped s : report.skipped()) {
      out.append("SKIPPED ").append(s.recorded().requestId()).append(" (seq ").append(s.recorded().seq())
          .append("): ").append(s.why()).append('\n');
    }
    out.append(report.replayed()).append(report.replayed() == 1 ? " decision" : " decisions")
        .append(" replayed under revision ")
        .append(report.revision().isEmpty() ? "(none)" : report.revision()).append(", ")
        .append(report.changes().size()).append(" changed, ").append(report.skipped().size()).append(" skipped\n");
    return out.toString();
  }

  public static String json(Replayer.Report report) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("revision", report.revision());
    root.put("replayed", report.replayed());
    ArrayNode changes = root.putArray("changes");
    for (Replayer.Change c : report.changes()) {
      RecordedDecision d = c.recorded();
      ObjectNode o = changes.addObject();
      o.put("seq", d.seq());
      o.put("request_id", d.requestId());
      o.set("identity", d.identity());
      o.put("connection", d.connectionName());
      if (d.statement() == null) o.putNull("statement");
      else o.put("statement", d.statement());
      o.put("old_outcome", d.outcome());
      o.put("new_outcome", c.newOutcome());
      ArrayNode reasons = o.putArray("new_reasons");
      c.newReasons().forEach(reasons::add);
    }
    ArrayNode skipped = root.putArray("skipped");
    for (Replayer.Skipped s : report.skipped()) {
      skipped.addObject().put("seq", s.recorded().seq()).put("request_id", s.recorded().requestId())
          .put("why", s.why());
    }
    return GoJson.write(root, "  ") + "\n";
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }
}
