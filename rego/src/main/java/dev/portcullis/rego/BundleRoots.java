package dev.portcullis.rego;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.ast.Module;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code roots} of a bundle manifest: the parts of {@code data} the bundle owns. As OPA's bundle reader, a bundle
 * with overlapping roots, or with a package or data outside its roots, is refused with OPA's error text.
 */
final class BundleRoots {
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private BundleRoots() {}

  /** The roots, without leading or trailing slashes; refuses anything but an array of strings and overlaps. */
  static List<String> read(JsonNode node) throws RegoException {
    if (!node.isArray()) throw error("manifest roots must be an array of strings");
    List<String> roots = new ArrayList<>();
    for (JsonNode r : node) {
      if (!r.isTextual()) throw error("manifest roots must be an array of strings");
      roots.add(trimSlashes(r.textValue()));
    }
    for (int i = 0; i < roots.size(); i++) {
      for (int j = i + 1; j < roots.size(); j++) {
        if (contains(roots.get(i), roots.get(j)) || contains(roots.get(j), roots.get(i))) {
          throw error("manifest has overlapped roots: '" + roots.get(i) + "' and '" + roots.get(j) + "'");
        }
      }
    }
    return roots;
  }

  /** Every module's package, then every data path, must lie below a root. */
  static void check(List<String> roots, List<Module> modules, Value data) throws RegoException {
    for (Module m : modules) {
      if (!anyContains(roots, String.join("/", m.pkg))) {
        throw error("manifest roots " + goList(roots) + " do not permit 'package " + packageText(m.pkg)
            + "' in module '" + m.file + "'");
      }
    }
    checkData(roots, data, "");
  }

  /**
   * OPA's walk: a path under a root is fine; an object is entered when one of its path's segments, taken as a root,
   * holds a root (OPA's test, so that the refused path it names is the one OPA names); anything else is refused.
   */
  private static void checkData(List<String> roots, Value node, String path) throws RegoException {
    if (anyContains(roots, path)) return;
    if (node instanceof ObjectValue o) {
      boolean onTheWay = false;
      for (String segment : path.split("/", -1)) {
        for (String root : roots) onTheWay |= contains(segment, root);
      }
      if (onTheWay) {
        for (Value key : o.keys()) {
          String k = key instanceof StringValue s ? s.value() : key.toString();
          checkData(roots, o.get(key), path.isEmpty() ? k : path + "/" + k);
        }
        return;
      }
    }
    throw error("manifest roots " + goList(roots) + " do not permit data at path '/" + path
        + "' (hint: check bundle directory structure)");
  }

  private static boolean anyContains(List<String> roots, String path) {
    for (String root : roots) if (contains(root, path)) return true;
    return false;
  }

  /** True when {@code path} is {@code root} or below it, segment by segment; the empty root holds everything. */
  private static boolean contains(String root, String path) {
    if (root.isEmpty()) return true;
    List<String> r = Arrays.asList(root.split("/", -1));
    List<String> p = Arrays.asList(path.split("/", -1));
    return r.size() <= p.size() && p.subList(0, r.size()).equals(r);
  }

  private static String trimSlashes(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && s.charAt(a) == '/') a++;
    while (b > a && s.charAt(b - 1) == '/') b--;
    return s.substring(a, b);
  }

  /** Go's {@code %v} of a string slice: {@code [a b c/d]}. */
  private static String goList(List<String> roots) {
    return "[" + String.join(" ", roots) + "]";
  }

  private static String packageText(List<String> pkg) {
    StringBuilder sb = new StringBuilder();
    for (String seg : pkg) {
      if (IDENT.matcher(seg).matches()) sb.append(sb.length() == 0 ? "" : ".").append(seg);
      else sb.append("[\"").append(seg.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
    }
    return sb.toString();
  }

  private static RegoException error(String message) {
    return new RegoException("bundle_error", message, null);
  }
}
