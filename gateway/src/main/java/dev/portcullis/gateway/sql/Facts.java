package dev.portcullis.gateway.sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Mutable findings about one statement while it is being analyzed; frozen into a {@link StatementInfo}. */
final class Facts {

  /** A table as written in the query; {@code schema} is null when unqualified. Names are already normalized. */
  record TableRef(String schema, String name) {
  }

  String type;
  final List<TableRef> read = new ArrayList<>();
  final List<TableRef> written = new ArrayList<>();
  final Set<String> columns = new LinkedHashSet<>();
  final Set<String> functions = new LinkedHashSet<>();
  boolean hasWhere;
  boolean sideEffects;
  boolean roleChange;
  boolean serverFileAccess;
  String error;
  /** Taken from the parse cache, which holds only facts no literal value changes; never carried over by a copy. */
  boolean fromParseCache;

  Facts(String type) {
    this.type = type;
  }

  static Facts unknown(String error) {
    Facts f = new Facts(StatementInfo.UNKNOWN);
    f.error = error;
    return f;
  }

  boolean isUnknown() {
    return StatementInfo.UNKNOWN.equals(type);
  }

  /** Whether running the statement changes data or schema. */
  boolean isWrite() {
    return !written.isEmpty() || switch (type) {
      case "insert", "update", "delete", "merge" -> true;
      default -> false;
    };
  }

  Facts copy() {
    Facts f = new Facts(type);
    f.absorb(this);
    f.hasWhere = hasWhere;
    f.error = error;
    return f;
  }

  /** Adds everything another piece of the same statement (a CTE, an inner statement) touches. */
  void absorb(Facts other) {
    read.addAll(other.read);
    written.addAll(other.written);
    columns.addAll(other.columns);
    functions.addAll(other.functions);
    sideEffects |= other.sideEffects;
    roleChange |= other.roleChange;
    serverFileAccess |= other.serverFileAccess;
  }

  /** Lets the admin-function table flag a call found in the AST or in the raw tokens. */
  void noteFunction(String lowerName) {
    functions.add(lowerName);
    String base = lowerName.substring(lowerName.lastIndexOf('.') + 1);
    if (AdminFunctions.hasSideEffects(base)) {
      sideEffects = true;
    }
    if (AdminFunctions.touchesServerFiles(base)) {
      serverFileAccess = true;
    }
  }

  StatementInfo freeze(String text, Function<TableRef, String> qualifier) {
    if (isUnknown()) {
      return StatementInfo.unknown(text, error == null ? "statement not understood" : error);
    }
    return new StatementInfo(text, type, qualify(read, qualifier), qualify(written, qualifier),
        List.copyOf(columns), hasWhere, List.copyOf(functions), sideEffects, roleChange, serverFileAccess,
        null);
  }

  private static List<String> qualify(List<TableRef> refs, Function<TableRef, String> qualifier) {
    Set<String> names = new LinkedHashSet<>();
    for (TableRef t : refs) {
      names.add(qualifier.apply(t));
    }
    return List.copyOf(names);
  }
}
