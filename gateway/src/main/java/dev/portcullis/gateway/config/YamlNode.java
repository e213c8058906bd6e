package dev.portcullis.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A position in the YAML tree that reads typed values and reports every problem with its path instead of stopping
 * at the first. Absent optional values come back as null.
 */
final class YamlNode {
  private final JsonNode json;
  private final String path;
  private final List<String> problems;
  private final Path baseDir;

  YamlNode(JsonNode json, String path, List<String> problems, Path baseDir) {
    this.json = json == null ? MissingNode.getInstance() : json;
    this.path = path;
    this.problems = problems;
    this.baseDir = baseDir;
  }

  String path() { return path; }

  JsonNode json() { return json; }

  boolean present() { return !json.isMissingNode() && !json.isNull(); }

  boolean has(String key) { return get(key).present(); }

  YamlNode get(String key) { return new YamlNode(json.get(key), path.isEmpty() ? key : path + "." + key, problems, baseDir); }

  void problem(String message) { problems.add((path.isEmpty() ? "(top level)" : path) + ": " + message); }

  /** Reports keys other than the known ones; true when this is an object (or absent). */
  boolean object(String... known) {
    if (!present()) return true;
    if (!json.isObject()) {
      problem("must be a mapping");
      return false;
    }
    Set<String> allowed = new TreeSet<>(Arrays.asList(known));
    json.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) get(k).problem("unknown key (expected one of: " + String.join(", ", allowed) + ")");
    });
    return true;
  }

  /** The elements of a sequence; a missing sequence is empty. */
  List<YamlNode> elements() {
    List<YamlNode> out = new ArrayList<>();
    if (!present()) return out;
    if (!json.isArray()) {
      problem("must be a list");
      return out;
    }
    for (int i = 0; i < json.size(); i++) out.add(new YamlNode(json.get(i), path + "[" + i + "]", problems, baseDir));
    return out;
  }

  String string(String key, boolean required) {
    YamlNode n = get(key);
    if (!n.present()) {
      if (required) n.problem("is required");
      return null;
    }
    if (!n.json.isValueNode() || n.json.asText().isBlank()) {
      n.problem("must be a non-empty text");
      return null;
    }
    return n.json.asText();
  }

  String string(String key, String defaultValue) {
    String s = string(key, false);
    return s == null ? defaultValue : s;
  }

  List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    for (YamlNode e : get(key).elements()) {
      if (!e.json.isValueNode() || e.json.asText().isBlank()) e.problem("must be a non-empty text");
      else out.add(e.json.asText());
    }
    return out;
  }

  Integer integer(String key, int min, int max, Integer defaultValue) {
    YamlNode n = get(key);
    if (!n.present()) return defaultValue;
    if (!n.json.canConvertToInt() || !n.json.isIntegralNumber() || n.json.asInt() < min || n.json.asInt() > max) {
      n.problem("must be " + min + "-" + max);
      return defaultValue;
    }
    return n.json.asInt();
  }

  Boolean bool(String key, boolean defaultValue) {
    YamlNode n = get(key);
    if (!n.present()) return defaultValue;
    if (!n.json.isBoolean()) {
      n.problem("must be true or false");
      return defaultValue;
    }
    return n.json.asBoolean();
  }

  Duration duration(String key, Duration defaultValue) {
    String s = string(key, false);
    if (s == null) return defaultValue;
    try {
      Duration d = Durations.parse(s);
      if (d.isZero()) throw new IllegalArgumentException("must be longer than 0");
      return d;
    } catch (IllegalArgumentException e) {
      get(key).problem(e.getMessage());
      return defaultValue;
    }
  }

  /** A path relative to the configuration file's folder. */
  Path file(String key, boolean required) {
    String s = string(key, required);
    return s == null ? null : baseDir.resolve(s).normalize();
  }

  /** Like {@link #file} but the file must exist and be readable. */
  Path existingFile(String key, boolean required) {
    Path p = file(key, required);
    if (p != null && !java.nio.file.Files.isReadable(p)) {
      get(key).problem("cannot read " + p);
      return null;
    }
    return p;
  }

  URI url(String key, boolean required) {
    String s = string(key, required);
    if (s == null) return null;
    try {
      URI u = new URI(s);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new URISyntaxException(s, "must be an http or https URL");
      }
      return u;
    } catch (URISyntaxException e) {
      get(key).problem("must be an http or https URL");
      return null;
    }
  }

  <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    String s = string(key, false);
    if (s == null) return defaultValue;
    for (E e : type.getEnumConstants()) {
      if (e.name().replace('_', '-').equalsIgnoreCase(s)) return e;
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) names.add(e.name().replace('_', '-').toLowerCase());
    get(key).problem("must be one of " + String.join(", ", names) + " (was '" + s + "')");
    return defaultValue;
  }
}
