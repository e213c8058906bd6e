package dev.portcullis.conftest.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConfigFilesTest {
  private static ByteArrayInputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aYamlFileWithSeveralDocumentsIsAnArrayOfThem() throws IOException {
    var node = ConfigFiles.parse("x.yaml", text("a: 1\n---\nb: 2\n"));
    assertTrue(node.isArray());
    assertEquals(2, node.get(1).get("b").asInt());
  }

  @Test
  void aSingleDocumentIsItself() throws IOException {
    assertEquals("prod", ConfigFiles.parse("x.yml", text("connections: [{name: prod}]")).at("/connections/0/name")
        .asText());
    assertEquals(1, ConfigFiles.parse("x.json", text("{\"a\": 1}")).get("a").asInt());
  }

  @Test
  void brokenYamlIsAClearError() {
    IOException e = assertThrows(IOException.class, () -> ConfigFiles.parse("x.yaml", text("a: [1, 2\n")));
    assertTrue(e.getMessage().contains("line"), e.getMessage());
  }
}
