package dev.portcullis.rego.ast;

import dev.portcullis.rego.Location;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.List;

/** A parsed source file: package, imports and rules. */
public final class Module {
  public record Import(Location loc, List<String> path, String alias) {}

  public final String file;
  public List<String> pkg;
  public Location pkgLoc;
  public Value pkgAnnotations;
  public final List<Import> imports = new ArrayList<>();
  public final List<Rule> rules = new ArrayList<>();

  public Module(String file) { this.file = file; }
}
