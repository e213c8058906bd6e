package dev.portcullis.rego.ast;

/**
 * How a reference rooted at {@code data} resolves, decided once at compile time: through the rules of a node, through
 * the document of a package node, or straight into the base data when the constant prefix leaves the rule tree.
 *
 * @param mode     which of the three
 * @param node     the rule or package node reached (null for BASE)
 * @param consumed how many leading path terms the node accounts for
 */
public record DataRef(Mode mode, RuleTree.Node node, int consumed) {
  public enum Mode { RULE, PACKAGE, BASE }
}
