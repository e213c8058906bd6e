package dev.portcullis.gateway.masking;

import java.util.Objects;

/**
 * A result column as the masker sees it.
 *
 * @param name the column name; pass the underlying table column's name when the server reports one (so that
 *     {@code SELECT email AS e} is still caught by a rule on {@code email}), else the result label
 * @param table the schema-qualified source table, or null when unknown (computed columns)
 */
public record ColumnRef(String name, String table) {
  public ColumnRef {
    Objects.requireNonNull(name, "name");
  }
}
