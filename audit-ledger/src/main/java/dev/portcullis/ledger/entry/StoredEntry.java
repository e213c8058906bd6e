package dev.portcullis.ledger.entry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The members of a stored entry that the ledger itself reads back: ordering fields and what proofs and key rotation
 * need. Read with a streaming parser that skips nested values, since the verifier runs this on every entry.
 */
public record StoredEntry(long seq, String prev, String kind, String time, String requestId, String note) {
  private static final JsonFactory JSON = new JsonFactory();

  /** Parses the top-level members; throws IllegalArgumentException when the bytes are not a JSON object with them. */
  public static StoredEntry parse(byte[] bytes) {
    long seq = -1;
    String prev = null;
    String kind = null;
    String time = null;
    String requestId = null;
    String note = null;
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("entry is not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "seq" -> seq = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
          case "prev" -> prev = text(p, value);
          case "kind" -> kind = text(p, value);
          case "time" -> time = text(p, value);
          case "request_id" -> requestId = text(p, value);
          case "note" -> note = text(p, value);
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new IllegalArgumentException("entry has trailing bytes after its JSON object");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("entry is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("entry is not valid JSON: " + e.getMessage());
    }
    if (seq < 0) throw new IllegalArgumentException("entry has no integer seq");
    if (prev == null) throw new IllegalArgumentException("entry has no prev");
    if (kind == null) throw new IllegalArgumentException("entry has no kind");
    return new StoredEntry(seq, prev, kind, time, requestId, note);
  }

  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) return p.getText();
    p.skipChildren();
    return null;
  }
}
