package dev.portcullis.rego.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Strings that policies name are shared, so that input keys find them by identity; others stay plain values. */
class StringValueTest {
  @Test
  void anInputKeyAPolicyNamedIsThePolicysInstance() {
    StringValue named = StringValue.canonical("tables_read_" + "by_a_policy");
    assertSame(named, StringValue.known(new String("tables_read_by_a_policy")));
    assertSame(named, StringValue.canonical("tables_read_by_a_policy"));
  }

  @Test
  void anInputKeyNoPolicyNamedIsAFreshEqualValue() {
    StringValue a = StringValue.known("a_key_no_policy_names");
    StringValue b = StringValue.known("a_key_no_policy_names");
    assertNotSame(a, b);
    assertEquals(a, b);
  }
}
