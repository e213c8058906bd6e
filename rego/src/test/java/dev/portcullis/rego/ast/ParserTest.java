package dev.portcullis.rego.ast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.rego.Location;
import dev.portcullis.rego.RegoException;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import org.junit.jupiter.api.Test;

class ParserTest {
  @Test
  void rulesKeepTheirKindPathAndLocation() throws Exception {
    Module m = Parser.parseModule("p.rego", """
        package a.b

        import rego.v1

        default allow := false

        allow if input.user == "alice"

        names contains n if some n in input.names

        owners[team] := lead if some team, lead in input.teams

        limits.rows[db] := 100 if some db in input.dbs

        f(x) := x + 1 if x > 0
        else := 0
        """);
    assertEquals(java.util.List.of("a", "b"), m.pkg);
    assertEquals(6, m.rules.size());
    Rule names = m.rules.get(2);
    assertEquals(Rule.Kind.MULTI, names.kind);
    assertEquals(new Location("p.rego", 9, 1), names.loc);
    Rule owners = m.rules.get(3);
    assertEquals(Rule.Kind.OBJECT, owners.kind);
    assertEquals(1, owners.suffix.length);
    Rule limits = m.rules.get(4);
    assertEquals(java.util.List.of("a", "b", "limits", "rows"), java.util.List.of(limits.path));
    Rule f = m.rules.get(5);
    assertEquals(Rule.Kind.FUNCTION, f.kind);
    assertTrue(f.elseRule != null);
  }

  @Test
  void metadataBlocksAttachToTheRuleBelow() throws Exception {
    Module m = Parser.parseModule("p.rego", """
        package a

        # METADATA
        # title: Agents may only read
        deny if input.write
        """);
    ObjectValue ann = (ObjectValue) m.rules.get(0).annotations;
    assertEquals(StringValue.of("Agents may only read"), ann.get("title"));
  }

  @Test
  void errorsCarryOpasCodeAndThePlace() {
    RegoException e = assertThrows(RegoException.class, () -> Parser.parseModule("x.rego", "package a\np := [1, 2\n"));
    assertEquals("rego_parse_error", e.code());
    assertEquals("x.rego", e.location().file());
    assertEquals(3, e.location().row());
    RegoException noPkg = assertThrows(RegoException.class, () -> Parser.parseModule("y.rego", "p := 1\n"));
    assertEquals(new Location("y.rego", 1, 1), noPkg.location());
    RegoException badString = assertThrows(RegoException.class,
        () -> Parser.parseModule("z.rego", "package a\np := \"abc\n"));
    assertEquals(new Location("z.rego", 2, 10), badString.location());
  }

  @Test
  void queriesSplitOnSemicolonsAndNewlines() throws Exception {
    assertEquals(3, Parser.parseQuery("x := 1; y := 2\nx < y").length);
  }
}
