package dev.portcullis.rego.builtins;

import static dev.portcullis.rego.builtins.BuiltinCalls.assertValue;
import static dev.portcullis.rego.builtins.BuiltinCalls.call;
import static dev.portcullis.rego.builtins.BuiltinCalls.fails;
import static dev.portcullis.rego.builtins.BuiltinCalls.s;
import static dev.portcullis.rego.builtins.BuiltinCalls.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.rego.builtins.BuiltinException.Kind;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NumberValue;
import org.junit.jupiter.api.Test;

class TimeTest {
  private static final String RFC3339 = "2006-01-02T15:04:05Z07:00";

  @Test
  void parseNsReadsGoLayoutsAndNamedConstants() throws Exception {
    assertValue("1496455200000000000", call("time.parse_ns", s(RFC3339), s("2017-06-02T19:00:00-07:00")));
    assertValue("-9223372036854775808", call("time.parse_ns", s(RFC3339), s("1677-09-21T00:12:43.145224192-00:00")));
    assertValue("9223372036854775807", call("time.parse_ns", s(RFC3339), s("2262-04-11T23:47:16.854775807-00:00")));
    assertValue("1496455200000000000", call("time.parse_ns", s("01/02 03:04:05PM '06 -0700"),
        s("06/02 07:00:00PM '17 -0700")));
    assertValue("1496455200000000000", call("time.parse_ns", s("02 Jan 06 15:04 -0700"), s("02 Jun 17 19:00 -0700")));
    assertValue("1496455200000000000", call("time.parse_ns", s("RFC822Z"), s("02 Jun 17 19:00 -0700")));
    assertValue("1136214245000000000", call("time.parse_ns", s("Mon Jan _2 15:04:05 MST 2006"),
        s("Mon Jan  2 15:04:05 UTC 2006")));
    assertValue("0", call("time.parse_rfc3339_ns", s("1970-01-01T00:00:00-00:00")));
    assertValue("-10800000000000", call("time.parse_ns", s("2006-01-02 15:04 MST"), s("1970-01-01 00:00 GMT+3")));
    assertValue("1500000", call("time.parse_ns", s("RFC3339"), s("1970-01-01T00:00:00.0015Z")));
    assertValue("43200000000000", call("time.parse_ns", s("Jan _2 3PM 2006"), s("jan  1 12PM 1970")));
  }

  @Test
  void parseRefusesTimesOutsideInt64AndBadText() {
    fails(Kind.BUILTIN, "time outside of valid range", "time.parse_ns", s(RFC3339),
        s("1677-09-21T00:12:43.145224191-00:00"));
    fails(Kind.BUILTIN, "time outside of valid range", "time.parse_rfc3339_ns", s("2262-04-11T23:47:16.854775808-00:00"));
    fails(Kind.BUILTIN, "cannot parse \"x\" as \"2006\"", "time.parse_rfc3339_ns", s("x"));
    fails(Kind.BUILTIN, "day out of range", "time.parse_rfc3339_ns", s("2021-02-30T00:00:00Z"));
    fails(Kind.BUILTIN, "extra text", "time.parse_ns", s("2006"), s("2021x"));
  }

  @Test
  void formatUsesZonesAndLayouts() throws Exception {
    NumberValue ns = NumberValue.of(1670006453141828752L);
    assertValue("\"2022-12-02T18:40:53.141828752Z\"", call("time.format", ns));
    assertValue("\"2022-12-03T00:10:53.141828752+05:30\"", call("time.format", ArrayValue.of(ns, s("Asia/Kolkata"))));
    assertValue("\"Sat Dec 03 00:10:53 +0530 2022\"", call("time.format",
        ArrayValue.of(ns, s("Asia/Kolkata"), s("Mon Jan 02 15:04:05 -0700 2006"))));
    assertValue("\"Sat, 03 Dec 2022 00:10:53 +0530\"", call("time.format",
        ArrayValue.of(ns, s("Asia/Kolkata"), s("RFC1123Z"))));
    assertValue("\"Fri, 02 Dec 2022 13:40:53 EST\"", call("time.format",
        ArrayValue.of(ns, s("America/New_York"), s("RFC1123"))));
    assertValue("\"6:40PM .14\"", call("time.format", ArrayValue.of(ns, s(""), s("3:04PM .00"))));
    fails(Kind.BUILTIN, "timestamp too big", "time.format", v("15829776000000000000000000"));
    fails(Kind.BUILTIN, "unknown time zone Nowhere/Land", "time.format", ArrayValue.of(ns, s("Nowhere/Land")));
  }

  @Test
  void dateClockWeekdayHonourTheZone() throws Exception {
    NumberValue ns = NumberValue.of(1517814000L * 1_000_000_000L);
    assertValue("[2018,2,5]", call("time.date", ns));
    assertValue("[2018,2,4]", call("time.date", ArrayValue.of(ns, s("America/Los_Angeles"))));
    NumberValue noon = NumberValue.of(1517832000L * 1_000_000_000L);
    assertValue("[12,0,0]", call("time.clock", noon));
    assertValue("[7,0,0]", call("time.clock", ArrayValue.of(noon, s("America/New_York"))));
    assertValue("\"Monday\"", call("time.weekday", noon));
    assertValue("\"Saturday\"", call("time.weekday", v("1518264000000000000")));
    fails(Kind.BUILTIN, "timestamp too big", "time.weekday", v("1582977600000000000000"));
    fails(Kind.TYPE, "operand 1 must be either number (ns) or [number (ns), string (tz)] but got string",
        "time.date", s("x"));
  }

  @Test
  void addDateCarriesOverflowLikeGo() throws Exception {
    assertValue("1705257221593912000", call("time.add_date", v("1585852421593912000"), v("3"), v("9"), v("12")));
    assertValue("1551465221593912000", call("time.add_date", v("1585852421593912000"), v("-1"), v("-1"), v("-1")));
    // 2021-01-31 plus one month is 2021-03-03 in Go, not the end of February.
    long jan31 = 1612051200L * 1_000_000_000L;
    assertValue(Long.toString(1614729600L * 1_000_000_000L),
        call("time.add_date", NumberValue.of(jan31), v("0"), v("1"), v("0")));
    fails(Kind.BUILTIN, "time outside of valid range", "time.add_date", v("0"), v("2262"), v("1"), v("1"));
    fails(Kind.BUILTIN, "time outside of valid range", "time.add_date", v("-9223372036854775808"), v("0"), v("0"),
        v("-1"));
  }

  @Test
  void diffCountsCalendarUnits() throws Exception {
    // 2021-03-03T00:01:01Z against 2020-02-01T01:00:00Z.
    assertValue("[1,1,1,23,1,1]", call("time.diff", v("1614729661000000000"), v("1580518800000000000")));
    assertValue("[0,0,0,0,0,0]", call("time.diff", v("0"), v("0")));
  }

  @Test
  void durationsFollowGoSyntax() throws Exception {
    assertValue("4500000000000", call("time.parse_duration_ns", s("1h15m")));
    assertValue("-1500000000", call("time.parse_duration_ns", s("-1.5s")));
    assertValue("1001", call("time.parse_duration_ns", s("1us1ns")));
    assertValue("1000", call("time.parse_duration_ns", s("1\u00b5s")));
    assertValue("0", call("time.parse_duration_ns", s("0")));
    assertValue("1200000000000", call("time.parse_duration_ns", s(".3333333333333333333h")));
    assertValue("-9223372036854775808", call("time.parse_duration_ns", s("-2562047h47m16.854775808s")));
    assertValue("9223372036854775807", call("time.parse_duration_ns", s("2562047h47m16.854775807s")));
    fails(Kind.BUILTIN, "time: invalid duration \"2562047h47m16.854775808s\"", "time.parse_duration_ns",
        s("2562047h47m16.854775808s"));
    // Everything up to the next digit or dot is the unit, as in Go.
    fails(Kind.BUILTIN, "time: unknown unit \"h-\" in duration \"1h-2m\"", "time.parse_duration_ns", s("1h-2m"));
    fails(Kind.BUILTIN, "time: invalid duration \"1h.\"", "time.parse_duration_ns", s("1h."));
    fails(Kind.BUILTIN, "time: missing unit in duration \"1\"", "time.parse_duration_ns", s("1"));
    fails(Kind.BUILTIN, "time: unknown unit \"x\" in duration \"1x\"", "time.parse_duration_ns", s("1x"));
    fails(Kind.BUILTIN, "time: invalid duration \"9999999999h\"", "time.parse_duration_ns", s("9999999999h"));
  }

  @Test
  void nowIsTheEvaluationClock() throws Exception {
    BuiltinCalls.Ctx ctx = new BuiltinCalls.Ctx();
    assertEquals(NumberValue.of(ctx.now), call(ctx, "time.now_ns"));
  }
}
