package dev.portcullis.rego;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One solution of a query, shaped like an element of {@code opa eval}'s {@code result} array.
 *
 * @param expressions the value of every expression of the query body, in order
 * @param bindings    the query's variables and their values (generated variables left out)
 */
public record QueryResult(List<Expression> expressions, Map<String, JsonNode> bindings) {
  /** An expression's value, its source text and where it starts in the query. */
  public record Expression(JsonNode value, String text, Location location) {}
}
