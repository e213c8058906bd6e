package dev.portcullis.gateway.sql;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * Collects tables, columns and function calls from a JSqlParser tree by walking every field of every node
 * reflectively, so that no node type (present or added in a later JSqlParser release) is silently skipped.
 * Tables are reads unless they are the target of a write; CTE names are resolved with their SQL scope.
 */
final class AstWalker {

  private static final int MAX_DEPTH = 600;

  private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
    @Override
    protected List<Field> computeValue(Class<?> type) {
      List<Field> fields = new ArrayList<>();
      for (Class<?> c = type; c != null && isAstClass(c); c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          int m = f.getModifiers();
          if (Modifier.isStatic(m) || Modifier.isTransient(m) || f.getType().isPrimitive()
              || f.getType() == String.class) {
            continue;
          }
          f.setAccessible(true);
          fields.add(f);
        }
      }
      return List.copyOf(fields);
    }
  };

  /** Thrown when a tree is too deep to walk safely; the statement becomes unknown. */
  static final class TooDeep extends RuntimeException {
    TooDeep() {
      super("statement nesting too deep to analyze", null, false, false);
    }
  }

  private final Facts facts;
  private final Dialect dialect;
  private final UnaryOperator<String> literals;
  private final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Object> writeTargets = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Deque<Set<String>> cteScopes = new ArrayDeque<>();
  private final Object top;
  private final boolean ddl;
  private boolean allTablesWritten;
  private int selectDepth;
  private int plainSelects;

  private AstWalker(Object top, Facts facts, Dialect dialect, UnaryOperator<String> literals, boolean ddl,
            Set<String> outerCtes) {
    this.top = top;
    this.facts = facts;
    this.dialect = dialect;
    this.literals = literals;
    this.ddl = ddl;
    if (!outerCtes.isEmpty()) {
      cteScopes.push(outerCtes);
    }
  }

  /**
   * @param literals maps a placeholder string value back to the literal the client sent (null if it is not a
   *     placeholder)
   * @param ddl tables outside any query are objects being created, altered or dropped (written)
   * @param outerCtes CTE names visible to this statement from an enclosing WITH
   */
  /** @return how many SELECT query blocks the tree holds (a cross-check against the SELECT keywords sent) */
  static int collect(Object statement, Facts facts, Dialect dialect, UnaryOperator<String> literals,
             boolean ddl, Set<String> outerCtes) {
    AstWalker walker = new AstWalker(statement, facts, dialect, literals, ddl, outerCtes);
    walker.walk(statement, 0);
    return walker.plainSelects;
  }

  private static boolean isAstClass(Class<?> c) {
    String n = c.getName();
    return n.startsWith("net.sf.jsqlparser.") && !n.startsWith("net.sf.jsqlparser.parser.");
  }

  private void walk(Object node, int depth) {
    if (node == null) {
      return;
    }
    if (depth > MAX_DEPTH) {
      throw new TooDeep();
    }
    if (node instanceof Collection<?> items) {
      for (Object item : items) {
        walk(item, depth + 1);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      walk(map.keySet(), depth + 1);
      walk(map.values(), depth + 1);
      return;
    }
    if (node instanceof Object[] items) {
      for (Object item : items) {
        walk(item, depth + 1);
      }
      return;
    }
    Class<?> cls = node.getClass();
    if (cls.isEnum() || !isAstClass(cls) || !visited.add(node)) {
      return;
    }
    if (node instanceof Column || node instanceof AllColumns) {
      facts.columns.add(node instanceof Column column ? Names.normalize(column.getColumnName(), dialect) : "*");
      // the Table inside is only a qualifier (often an alias), not a table reference; anything else (an
      // array subscript such as x[(SELECT ...)]) is walked
      walkFields(node, depth, false, true);
      return;
    }
    if (node instanceof Table table) {
      table(table);
    } else if (node instanceof Function function) {
      function(function);
    } else if (node instanceof AnalyticExpression analytic && analytic.getName() != null) {
      facts.noteFunction(analytic.getName().toLowerCase(Locale.ROOT));
    }
    markWriteTargets(node);
    if (node instanceof PlainSelect) {
      plainSelects++;
    }
    boolean select = node instanceof Select;
    if (select) {
      selectDepth++;
    }
    List<WithItem> with = withItems(node);
    if (with != null && !with.isEmpty()) {
      Set<String> scope = new HashSet<>();
      cteScopes.push(scope);
      for (WithItem item : with) {
        String name = item.getAlias() == null ? null : Names.normalize(item.getAlias().getName(), dialect);
        if (item.isRecursive() && name != null) {
          scope.add(name);
        }
        walk(item, depth + 1);
        if (name != null) {
          scope.add(name);
        }
      }
      walkFields(node, depth, true, false);
      cteScopes.pop();
    } else {
      walkFields(node, depth, false, false);
    }
    if (select) {
      selectDepth--;
    }
  }

  private void walkFields(Object node, int depth, boolean skipWith, boolean skipTables) {
    for (Field f : FIELDS.get(node.getClass())) {
      if (skipWith && f.getName().equals("withItemsList") || skipTables && f.getType() == Table.class) {
        continue;
      }
      try {
        walk(f.get(node), depth + 1);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read JSqlParser field " + f, e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<WithItem> withItems(Object node) {
    if (node instanceof Select s) {
      return s.getWithItemsList();
    } else if (node instanceof Insert i) {
      return i.getWithItemsList();
    } else if (node instanceof Update u) {
      return u.getWithItemsList();
    } else if (node instanceof Delete d) {
      return d.getWithItemsList();
    } else if (node instanceof Merge m) {
      return m.getWithItemsList();
    }
    return null;
  }

  private void markWriteTargets(Object node) {
    boolean write = true;
    if (node instanceof Insert i) {
      writeTargets.add(i.getTable());
    } else if (node instanceof Upsert u) {
      writeTargets.add(u.getTable());
    } else if (node instanceof Update u) {
      writeTargets.add(u.getTable());
      if (u.getStartJoins() != null && !u.getStartJoins().isEmpty()) {
        allTablesWritten = true; // MySQL multi-table UPDATE: any joined table may be assigned
      }
    } else if (node instanceof Delete d) {
      writeTargets.add(d.getTable());
      if (d.getTables() != null && !d.getTables().isEmpty()) {
        allTablesWritten = true; // MySQL multi-table DELETE names targets by alias
      }
    } else if (node instanceof Merge m) {
      writeTargets.add(m.getTable());
    } else if (node instanceof PlainSelect ps && ps.getIntoTables() != null) {
      for (Table t : ps.getIntoTables()) {
        if (t.getName() != null && !t.getName().startsWith("@")) {
          writeTargets.add(t);
          facts.sideEffects = true; // SELECT INTO creates a table
        } else {
          visited.add(t); // MySQL SELECT ... INTO @variable
        }
      }
      write = false;
    } else {
      write = false;
    }
    if (write && node != top) {
      facts.sideEffects = true;
    }
  }

  private void table(Table table) {
    String name = table.getName();
    if (name == null) {
      return;
    }
    String schemaRaw = table.getSchemaName();
    String normalized = Names.normalize(name, dialect);
    String schema = schemaRaw == null ? null : Names.normalize(schemaRaw, dialect);
    if (schema == null && !writeTargets.contains(table)) {
      for (Set<String> scope : cteScopes) {
        if (scope.contains(normalized)) {
          return;
        }
      }
    }
    Facts.TableRef ref = new Facts.TableRef(schema, normalized);
    if (writeTargets.contains(table) || allTablesWritten || (ddl && selectDepth == 0)) {
      facts.written.add(ref);
    } else {
      facts.read.add(ref);
    }
  }

  /** Constructs JSqlParser models as functions although they call none. */
  private static final Set<String> NOT_FUNCTIONS = Set.of("array", "any", "all", "some", "row", "exists");

  private void function(Function function) {
    List<String> parts = function.getMultipartName();
    if (parts == null || parts.isEmpty()
        || parts.size() == 1 && NOT_FUNCTIONS.contains(parts.get(0).toLowerCase(Locale.ROOT))) {
      return;
    }
    if (dialect == Dialect.POSTGRES && parts.size() == 2
        && Names.normalize(parts.get(0), dialect).equals("pg_catalog")) {
      parts = parts.subList(1, 2); // built-ins are reported by their plain name, however they were called
    }
    StringBuilder name = new StringBuilder();
    for (String part : parts) {
      if (!name.isEmpty()) {
        name.append('.');
      }
      name.append(Names.normalize(part, dialect));
    }
    String full = name.toString();
    facts.noteFunction(full);
    String base = Names.normalize(parts.get(parts.size() - 1), dialect);
    String firstArg = firstLiteralArgument(function);
    switch (base) {
      case "nextval", "setval" -> {
        if (firstArg != null) {
          List<String> seq = Names.splitQualified(firstArg, dialect);
          String seqName = seq.get(seq.size() - 1);
          facts.written.add(new Facts.TableRef(seq.size() > 1 ? seq.get(seq.size() - 2) : null, seqName));
        }
      }
      case "set_config" -> {
        String setting = firstArg == null ? null : firstArg.strip().toLowerCase(Locale.ROOT);
        if (setting == null || setting.equals("role") || setting.equals("session_authorization")) {
          facts.roleChange = true;
        }
      }
      default -> {
      }
    }
  }

  private String firstLiteralArgument(Function function) {
    if (function.getParameters() == null || function.getParameters().isEmpty()) {
      return null;
    }
    Expression first = (Expression) function.getParameters().get(0);
    if (first instanceof StringValue sv) {
      return literals.apply(sv.getValue());
    }
    return null;
  }
}
