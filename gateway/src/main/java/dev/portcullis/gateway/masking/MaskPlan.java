package dev.portcullis.gateway.masking;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The masks of one policy decision, validated. Immutable and thread-safe; {@link #forColumns} makes the
 * per-result-set {@link ColumnMasker}.
 */
public final class MaskPlan {

  private static final Set<String> FIELDS = Set.of("column", "table", "detector", "strategy");

  /** A rule on a result column by name (and, when given, its source table). */
  record ColumnRule(String column, String table, Strategy strategy) {
    String label() {
      return "column:" + (table == null ? "" : table + ".") + column + ":" + strategy.label();
    }

    boolean matches(ColumnRef ref) {
      if (!column.equalsIgnoreCase(ref.name())) {
        return false;
      }
      if (table == null || ref.table() == null) {
        return true; // an unknown source table cannot rule the mask out
      }
      if (table.equalsIgnoreCase(ref.table())) {
        return true;
      }
      int dot = ref.table().lastIndexOf('.');
      return table.indexOf('.') < 0 && dot >= 0 && table.equalsIgnoreCase(ref.table().substring(dot + 1));
    }
  }

  /** A content detector run over every text value. */
  record DetectorRule(Detector detector, Strategy strategy) {
    String label() {
      return "detector:" + detector.label() + ":" + strategy.label();
    }
  }

  private static final MaskPlan EMPTY = new MaskPlan(List.of(), List.of(), null);

  private final List<ColumnRule> columnRules;
  private final List<DetectorRule> detectorRules;
  private final byte[] hashKey;

  private MaskPlan(List<ColumnRule> columnRules, List<DetectorRule> detectorRules, byte[] hashKey) {
    this.columnRules = columnRules;
    this.detectorRules = detectorRules;
    this.hashKey = hashKey;
  }

  /**
   * Validates the decision's {@code masks} array (missing or null means no masks).
   *
   * @param hashKey key of the {@code hash} strategy; required when a rule uses it
   * @throws IllegalArgumentException naming the first malformed entry; the caller denies the request
   */
  public static MaskPlan from(JsonNode masks, byte[] hashKey) {
    if (masks == null || masks.isNull() || masks.isMissingNode()) {
      return EMPTY;
    }
    if (!masks.isArray()) {
      throw new IllegalArgumentException("masks must be an array, got " + masks.getNodeType());
    }
    List<ColumnRule> columns = new ArrayList<>();
    List<DetectorRule> detectors = new ArrayList<>();
    boolean hashing = false;
    for (int i = 0; i < masks.size(); i++) {
      JsonNode m = masks.get(i);
      String where = "masks[" + i + "]";
      if (!m.isObject()) {
        throw new IllegalArgumentException(where + " must be an object, got " + m.getNodeType());
      }
      for (Iterator<String> names = m.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!FIELDS.contains(name)) {
          throw new IllegalArgumentException(where + ": unknown field \"" + name
              + "\" (expected column, table, detector, strategy)");
        }
      }
      Strategy strategy;
      try {
        strategy = Strategy.parse(text(m, "strategy", where, true));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
      hashing |= strategy == Strategy.HASH;
      String column = text(m, "column", where, false);
      String detector = text(m, "detector", where, false);
      String table = text(m, "table", where, false);
      if ((column == null) == (detector == null)) {
        throw new IllegalArgumentException(where + " must have exactly one of \"column\" and \"detector\"");
      }
      if (column != null) {
        columns.add(new ColumnRule(column, table, strategy));
      } else {
        if (table != null) {
          throw new IllegalArgumentException(where + ": \"table\" only applies to column masks");
        }
        try {
          detectors.add(new DetectorRule(Detector.parse(detector.toLowerCase(Locale.ROOT)), strategy));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
      }
    }
    if (hashing && (hashKey == null || hashKey.length == 0)) {
      throw new IllegalArgumentException("the hash mask strategy needs a hash key, none is configured");
    }
    return new MaskPlan(List.copyOf(columns), List.copyOf(detectors), hashKey == null ? null : hashKey.clone());
  }

  private static String text(JsonNode m, String field, String where, boolean required) {
    JsonNode v = m.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException(where + ": \"" + field + "\" is required");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": \"" + field + "\" must be a non-empty string");
    }
    return v.asText();
  }

  /** True when nothing would ever be masked: results can be forwarded untouched. */
  public boolean isEmpty() {
    return columnRules.isEmpty() && detectorRules.isEmpty();
  }

  /** A masker for one result set with these columns (in result order). */
  public ColumnMasker forColumns(List<ColumnRef> columns) {
    ColumnRule[] perColumn = new ColumnRule[columns.size()];
    for (int i = 0; i < perColumn.length; i++) {
      for (ColumnRule rule : columnRules) {
        if (rule.matches(columns.get(i))) {
          perColumn[i] = rule;
          break;
        }
      }
    }
    return new ColumnMasker(perColumn, detectorRules.toArray(new DetectorRule[0]), hashKey);
  }
}
