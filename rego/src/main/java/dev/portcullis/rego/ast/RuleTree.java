package dev.portcullis.rego.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The tree of packages and rules under {@code data}. Each node is a path; rule nodes carry their definitions. */
public final class RuleTree {
  public static final class Node {
    public final String key;
    public final String[] path;
    public final Map<String, Node> children = new TreeMap<>();
    public final List<Rule> rules = new ArrayList<>();
    public Rule defaultRule;
    public Rule.Kind kind;
    /** Index into per-evaluation memo tables. */
    public int id;
    /** Rules whose head value is a constant: evaluation may stop at the first solution. */
    public boolean constantValues;
    /** A package is declared at this path: its document is at least an empty object. */
    public boolean isPackage;

    Node(String key, String[] path) {
      this.key = key;
      this.path = path;
    }

    public boolean hasRules() { return kind != null; }

    public boolean isFunction() { return kind == Rule.Kind.FUNCTION; }

    public String dataPath() {
      StringBuilder sb = new StringBuilder("data");
      for (String p : path) sb.append('.').append(p);
      return sb.toString();
    }
  }

  public final Node root = new Node("data", new String[0]);
  private final List<Node> all = new ArrayList<>();

  public RuleTree() { all.add(root); }

  /** The node at a path, created with its ancestors when missing. */
  Node ensure(String[] path) {
    Node n = root;
    for (int i = 0; i < path.length; i++) {
      Node child = n.children.get(path[i]);
      if (child == null) {
        String[] sub = java.util.Arrays.copyOf(path, i + 1);
        child = new Node(path[i], sub);
        child.id = all.size();
        all.add(child);
        n.children.put(path[i], child);
      }
      n = child;
    }
    return n;
  }

  public Node find(List<String> path) {
    Node n = root;
    for (String p : path) {
      n = n.children.get(p);
      if (n == null) return null;
    }
    return n;
  }

  public int size() { return all.size(); }

  public List<Node> nodes() { return all; }
}
