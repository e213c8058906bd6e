package dev.portcullis.conftest.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Reads the files {@code policy check} is given: YAML (several documents become an array, as in conftest) or JSON. */
public final class ConfigFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private ConfigFiles() {}

  /** The files named, with folders expanded to the YAML and JSON files below them, sorted. */
  public static List<Path> expand(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(f -> Files.isRegularFile(f) && supported(f)).sorted().forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean supported(Path f) {
    String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  public static JsonNode parse(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(file.getFileName().toString(), in);
    }
  }

  public static JsonNode parse(String name, InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    if (name.toLowerCase(Locale.ROOT).endsWith(".json")) return JSON.readTree(bytes);
    List<JsonNode> docs = new ArrayList<>();
    YAMLFactory factory = YAML.getFactory();
    try (var parser = factory.createParser(bytes)) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNextValue()) docs.add(it.nextValue());
    }
    if (docs.size() == 1) return docs.get(0);
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    docs.forEach(array::add);
    return array;
  }
}
