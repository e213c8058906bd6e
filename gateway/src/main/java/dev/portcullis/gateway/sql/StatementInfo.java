package dev.portcullis.gateway.sql;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What one SQL statement does, as the policy sees it ({@code input.sql.statements[i]}).
 *
 * @param text the statement as sent (comments included), without the separating semicolon
 * @param type select, insert, update, delete, merge, ddl, dcl, transaction, set, copy, call, do, explain,
 *     utility or unknown
 * @param tablesRead schema-qualified tables read
 * @param tablesWritten schema-qualified tables (or sequences) written, created, altered or dropped
 * @param columns column names referenced ("*" for a star)
 * @param hasWhere whether the statement's own (top-level) query has a WHERE clause
 * @param functions functions called, lower case, schema-qualified as written except PostgreSQL built-ins called
 *     as pg_catalog.f, reported as f
 * @param sideEffects writes hidden in a read (CTE, SELECT INTO, EXPLAIN ANALYZE), server files or programs,
 *     DO blocks, procedure calls, volatile administrative functions
 * @param roleChange the statement may change the session's role or authorization
 * @param serverFileAccess the statement may read or write files on the database server or run a program there
 * @param error why the statement could not be analyzed (type unknown), else null
 */
public record StatementInfo(String text, String type, List<String> tablesRead, List<String> tablesWritten,
              List<String> columns, boolean hasWhere, List<String> functions, boolean sideEffects,
              boolean roleChange, boolean serverFileAccess, String error) {

  public static final String UNKNOWN = "unknown";

  public StatementInfo {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(type, "type");
    tablesRead = List.copyOf(tablesRead);
    tablesWritten = List.copyOf(tablesWritten);
    columns = List.copyOf(columns);
    functions = List.copyOf(functions);
  }

  /** A statement that could not be analyzed; policies are expected to deny it. */
  public static StatementInfo unknown(String text, String error) {
    return new StatementInfo(text, UNKNOWN, List.of(), List.of(), List.of(), false, List.of(), false, false,
        false, error);
  }

  /** The same findings about another statement text (one of the same shape). */
  StatementInfo withText(String otherText) {
    return new StatementInfo(otherText, type, tablesRead, tablesWritten, columns, hasWhere, functions, sideEffects,
        roleChange, serverFileAccess, error);
  }

  /** The statement in the normalized-request shape, with the contract's field names. */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("text", text);
    o.put("type", type);
    o.set("tables_read", array(f, tablesRead));
    o.set("tables_written", array(f, tablesWritten));
    o.set("columns", array(f, columns));
    o.put("has_where", hasWhere);
    o.set("functions", array(f, functions));
    o.put("side_effects", sideEffects);
    o.put("role_change", roleChange);
    o.put("server_file_access", serverFileAccess);
    if (error == null) {
      o.putNull("error");
    } else {
      o.put("error", error);
    }
    return o;
  }

  private static ArrayNode array(JsonNodeFactory f, List<String> values) {
    ArrayNode a = f.arrayNode(values.size());
    values.forEach(a::add);
    return a;
  }
}
