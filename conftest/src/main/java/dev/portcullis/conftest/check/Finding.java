package dev.portcullis.conftest.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message a {@code deny}/{@code warn}/{@code violation} rule produced (conftest's {@code Result}).
 *
 * @param message  the {@code msg}, or the string the rule produced
 * @param location the {@code _loc} object ({@code file}, {@code line}) when the rule gave one, else null
 * @param metadata every other key of an object result, else null
 */
public record Finding(String message, JsonNode location, ObjectNode metadata) {
  public static Finding of(String message) {
    return new Finding(message, null, null);
  }
}
