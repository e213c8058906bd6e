package dev.portcullis.rego.builtins;

import static dev.portcullis.rego.builtins.BuiltinCalls.assertValue;
import static dev.portcullis.rego.builtins.BuiltinCalls.call;
import static dev.portcullis.rego.builtins.BuiltinCalls.fails;
import static dev.portcullis.rego.builtins.BuiltinCalls.s;
import static dev.portcullis.rego.builtins.BuiltinCalls.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.rego.builtins.BuiltinException.Kind;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import org.junit.jupiter.api.Test;

class NetCryptoMiscTest {
  private static SetValue set(String... items) {
    return SetValue.of(java.util.Arrays.stream(items).map(StringValue::of).toList());
  }

  @Test
  void cidrContainsChecksWholeSubnetsAndAddresses() throws Exception {
    assertValue("true", call("net.cidr_contains", s("10.0.0.0/8"), s("10.1.0.0/24")));
    assertValue("false", call("net.cidr_contains", s("172.17.0.0/24"), s("172.17.0.0/16")));
    assertValue("true", call("net.cidr_contains", s("2001:4860:4860::8888/32"), s("2001:4860:4860:1234::8888/40")));
    assertValue("false", call("net.cidr_contains", s("2001:4860::/96"), s("2001:4860::/32")));
    assertValue("true", call("net.cidr_contains", s("10.0.0.0/8"), s("10.1.2.3")));
    assertValue("true", call("net.cidr_contains", s("10.0.0.0/8"), s("::ffff:10.1.2.3")));
    assertValue("true", call("net.cidr_contains", s("::ffff:10.0.0.0/104"), s("10.1.2.3")));
    assertValue("false", call("net.cidr_contains", s("::/0"), s("10.1.2.3")));
    fails(Kind.BUILTIN, "invalid CIDR address: not-a-cidr", "net.cidr_contains", s("not-a-cidr"), s("1.2.3.4"));
    fails(Kind.BUILTIN, "not a valid textual representation", "net.cidr_contains", s("1.2.3.0/28"), s("x"));
  }

  @Test
  void cidrIntersectsAndIsValid() throws Exception {
    assertValue("true", call("net.cidr_intersects", s("192.168.1.0/25"), s("192.168.1.64/25")));
    assertValue("false", call("net.cidr_intersects", s("192.168.1.0/24"), s("192.168.2.0/24")));
    assertValue("true", call("net.cidr_intersects", s("fd1e:5bfe:8af3:9ddc::/64"), s("fd1e:5bfe:8af3:9ddc:1111::/72")));
    assertValue("true", call("net.cidr_is_valid", s("2002::1234:abcd:ffff:c0a8:101/64")));
    assertValue("false", call("net.cidr_is_valid", s("192.168.1.2")));
    assertValue("false", call("net.cidr_is_valid", s("010.0.0.0/8")));
    assertValue("true", call("net.cidr_is_valid", s("10.0.0.0/08")));
    assertValue("false", call("net.cidr_is_valid", s("10.0.0.0/33")));
  }

  @Test
  void cidrContainsMatchesReportsIndexesAndKeys() throws Exception {
    assertValue("[[0,1],[1,0]]", call("net.cidr_contains_matches",
        v("[[\"1.1.2.0/24\", 1], \"1.1.1.0/24\"]"), v("[\"1.1.1.1\", \"1.1.2.1\"]")));
    assertValue("[[\"k1\",\"1.1.1.128\"],[\"k2\",\"1.1.1.128\"]]", call("net.cidr_contains_matches",
        v("{\"k1\": \"1.1.1.1/24\", \"k2\": [\"1.1.1.2/24\", 1]}"), s("1.1.1.128")));
    fails(Kind.BUILTIN, "operand 2: element must be string or non-empty array", "net.cidr_contains_matches",
        s("1.1.1.0/24"), SetValue.of(v("1")));
    assertEquals(SetValue.EMPTY, call("net.cidr_contains_matches", v("1"), s("1.1.1.1")));
  }

  @Test
  void cidrExpandListsEveryAddress() throws Exception {
    assertEquals(set("172.16.100.252", "172.16.100.253", "172.16.100.254", "172.16.100.255"),
        call("net.cidr_expand", s("172.16.100.255/30")));
    assertEquals(set("fe80::", "fe80::1"), call("net.cidr_expand", s("fe80::/127")));
    fails(Kind.BUDGET, "budget", "net.cidr_expand", s("10.0.0.0/8"));
    fails(Kind.BUDGET, "too many addresses to expand", "net.cidr_expand", s("fe80::/64"));
  }

  @Test
  void cidrMergeJoinsAdjacentAndContainedBlocks() throws Exception {
    assertEquals(set("192.0.2.112/29"), call("net.cidr_merge", v("[\"192.0.2.112/30\", \"192.0.2.116/31\", \"192.0.2.118/31\"]")));
    assertEquals(set("192.0.2.112/31", "192.0.2.116/30"),
        call("net.cidr_merge", v("[\"192.0.2.112/31\", \"192.0.2.116/31\", \"192.0.2.118/31\"]")));
    assertEquals(set("0.0.0.0/0"), call("net.cidr_merge", v("[\"192.0.128.0/24\", \"0.0.0.0/0\"]")));
    assertEquals(set("::/0"), call("net.cidr_merge", v("[\"::/0\", \"::192.0.2.0/124\", \"ff00::101/128\"]")));
    assertEquals(set("192.0.2.0/23", "192.0.4.0/24", "fe80::/120"), call("net.cidr_merge",
        v("[\"fe80::/120\", \"192.0.2.0/24\", \"192.0.3.0/24\", \"192.0.4.0/25\", \"192.0.4.128/25\"]")));
    assertEquals(set("192.0.2.0/24"), call("net.cidr_merge", v("[\"192.0.2.112\", \"192.0.2.116/31\"]")));
    assertEquals(set("192.0.128.0/23"), call("net.cidr_merge", v("[\"192.0.128.0\", \"192.0.129.0\"]")));
    assertEquals(set("192.0.1.254/31", "192.0.2.0/24", "192.0.3.0/28"), call("net.cidr_merge", v(
        "[\"192.0.1.254/31\", \"192.0.2.0/25\", \"192.0.2.128/26\", \"192.0.2.192/26\", \"192.0.3.0/28\"]")));
    assertEquals(SetValue.EMPTY, call("net.cidr_merge", v("[]")));
    fails(Kind.BUILTIN, "invalid CIDR address: foo", "net.cidr_merge", v("[\"foo\"]"));
  }

  @Test
  void lookupIpAddrReturnsLiteralsAndResolvesLocalhost() throws Exception {
    assertEquals(set("::"), call("net.lookup_ip_addr", s("::")));
    assertEquals(set("10.0.0.0"), call("net.lookup_ip_addr", s("10.0.0.0")));
    SetValue local = (SetValue) call("net.lookup_ip_addr", s("localhost"));
    assertTrue(local.contains(s("127.0.0.1")) || local.contains(s("::1")), local.toString());
  }

  @Test
  void hashesAndHmacsAreHexOfUtf8() throws Exception {
    assertValue("\"5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269\"",
        call("crypto.sha256", s("lorem ipsum")));
    assertValue("\"bfb7759a67daeb65410490b4d98bb9da7d1ea2ce\"", call("crypto.sha1", s("lorem ipsum")));
    assertValue("\"81759c39013935fcf0de833d44c8018d7c1455dd\"", call("crypto.hmac.sha1", s("åäöçß🥲♙Ω"), s("秘密の")));
    assertValue("\"147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851\"",
        call("crypto.hmac.sha256", s("foo"), s("bar")));
    assertValue("true", call("crypto.hmac.equal", s("31b6"), s("31b6")));
    assertValue("false", call("crypto.hmac.equal", s("31b6"), s("31b")));
  }

  @Test
  void semverComparesByPrecedence() throws Exception {
    assertValue("-1", call("semver.compare", s("1.0.0"), s("2.0.0")));
    assertValue("-1", call("semver.compare", s("1.0.0-alpha.1"), s("1.0.0-alpha.beta")));
    assertValue("1", call("semver.compare", s("v1.0.0"), s("1.0.0-rc.1")));
    assertValue("0", call("semver.compare", s("1.0.0+a"), s("1.0.0+b")));
    assertValue("false", call("semver.is_valid", s("1")));
    assertValue("false", call("semver.is_valid", v("1")));
    fails(Kind.BUILTIN, "operand 2: string \"1\" is not a valid SemVer", "semver.compare", s("1.0.0"), s("1"));
  }

  @Test
  void uuidParseDecodesVersionTwoFields() throws Exception {
    assertValue("{\"clocksequence\":12800,\"domain\":\"Person\",\"id\":1000,\"macvariables\":\"local:unicast\","
        + "\"nodeid\":\"32-50-96-b3-9f-47\",\"time\":1693566990121469600,\"variant\":\"RFC4122\",\"version\":2}",
        call("uuid.parse", s("urn:uuid:000003e8-48b9-21ee-b200-325096b39f47")));
    assertValue("{\"variant\":\"RFC4122\",\"version\":4}", call("uuid.parse", s("{00000000-0000-4000-8000-000000000000}")));
    assertValue("{\"variant\":\"RFC4122\",\"version\":3}", call("uuid.parse", s("6bea8ef2d3d33cd184e09bab06a52ece")));
    assertNull(call("uuid.parse", s("not-a-uuid")));
  }

  @Test
  void uuidRfc4122IsStablePerKeyWithinOneEvaluation() throws Exception {
    BuiltinCalls.Ctx ctx = new BuiltinCalls.Ctx();
    Value a = call(ctx, "uuid.rfc4122", s("a"));
    assertEquals(a, call(ctx, "uuid.rfc4122", s("a")));
    assertNotEquals(a, call(ctx, "uuid.rfc4122", s("b")));
    assertTrue(((StringValue) a).value().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  }

  @Test
  void graphReachableAndPaths() throws Exception {
    Value graph = v("{\"a\": [\"b\", \"c\"], \"b\": [\"d\"], \"c\": [\"d\"], \"d\": [], \"e\": [\"f\"], \"f\": [\"e\"]}");
    assertEquals(set("b", "d", "e", "f"), call("graph.reachable", graph, set("b", "e")));
    assertEquals(set("a"), call("graph.reachable", v("{\"a\": null}"), v("[\"a\"]")));
    fails(Kind.TYPE, "operand 2 must be {array, set} but got string", "graph.reachable", v("{}"), s("a"));
    Value g2 = v("{\"one\": [\"two\",\"five\"], \"two\": [\"four\"], \"three\": [\"\"], \"four\": [\"three\"], "
        + "\"five\": [\"seven\",\"six\"], \"six\": [\"nine\",\"seven\"], \"seven\": [\"eight\"], \"eight\": [\"three\"], "
        + "\"nine\": [\"\"]}");
    assertEquals(SetValue.of(ArrayValue.of(s("one"), s("five"), s("seven"), s("eight"), s("three")),
        ArrayValue.of(s("one"), s("five"), s("six")), ArrayValue.of(s("one"), s("five"), s("six"), s("nine")),
        ArrayValue.of(s("one"), s("two"), s("four"), s("three"))), call("graph.reachable_paths", g2, set("one")));
    // A chain far deeper than a thread's stack could recurse; vertex 100000 is not in the graph, so it ends the path.
    java.util.Map<Value, Value> chain = new java.util.HashMap<>();
    for (int i = 0; i < 100_000; i++) chain.put(NumberValue.of(i), ArrayValue.of(NumberValue.of(i + 1)));
    BuiltinCalls.Ctx ctx = new BuiltinCalls.Ctx();
    ctx.budget = Long.MAX_VALUE;
    SetValue paths = (SetValue) call(ctx, "graph.reachable_paths", ObjectValue.of(chain), ArrayValue.of(NumberValue.of(0)));
    assertEquals(100_000, ((ArrayValue) paths.sorted().get(0)).size());
  }
}
