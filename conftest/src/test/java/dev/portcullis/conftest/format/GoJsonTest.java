package dev.portcullis.conftest.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GoJsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void indentsLikeMarshalIndent() throws Exception {
    String json = "{\"a\":[1,{\"b\":true}],\"e\":{},\"f\":[],\"n\":null}";
    assertEquals("{\n  \"a\": [\n    1,\n    {\n      \"b\": true\n    }\n  ],\n  \"e\": {},\n  \"f\": [],\n"
        + "  \"n\": null\n}", GoJson.write(mapper.readTree(json), "  "));
  }

  @Test
  void escapesHtmlAndControlCharactersAsGo() throws Exception {
    assertEquals("\"a \\u003c b \\u0026\\u0026 c \\u003e d\\n\\t\\\"q\\\" \\u0001\"",
        GoJson.quote("a < b && c > d\n\t\"q\" \u0001"));
  }

  @Test
  void printsNumbersWithoutJavaArtifacts() throws Exception {
    assertEquals("[\n\t100,\n\t1.5,\n\t12345678901234567890,\n\t1e-07\n]",
        GoJson.write(mapper.readTree("[100, 1.50, 12345678901234567890, 0.0000001]"), "\t"));
  }
}
