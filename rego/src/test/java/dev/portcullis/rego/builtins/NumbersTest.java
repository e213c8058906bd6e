package dev.portcullis.rego.builtins;

import static dev.portcullis.rego.builtins.Call.assertFails;
import static dev.portcullis.rego.builtins.Call.assertResult;
import static dev.portcullis.rego.builtins.Call.call;
import static dev.portcullis.rego.builtins.Call.set;
import static dev.portcullis.rego.builtins.Call.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.rego.builtins.BuiltinException.Kind;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import org.junit.jupiter.api.Test;

class NumbersTest {
  private static Value n(String text) { return NumberValue.parse(text); }

  @Test
  void integerArithmeticIsExactAtAnySize() throws Exception {
    assertResult("49649733058", "plus", n("49649733057"), n("1"));
    assertEquals(n("28857836529306024611913"), call("plus", n("28857836529306024611912"), n("1")));
    assertEquals(n("340282366920938463463374607431768211456"),
        call("mul", n("18446744073709551616"), n("18446744073709551616")));
    assertResult("3", "rem", n("7"), n("4"));
    assertResult("-1", "rem", n("-7"), n("2"));
    assertResult("10", "rem", n("10"), n("18446744073709551616"));
  }

  @Test
  void decimalsGoThroughGoBigFloat() throws Exception {
    assertEquals(n("0.3"), call("plus", n("0.1"), n("0.2")));
    assertEquals("0.33333333333333333334", call("div", n("1"), n("3")).toString());
    assertResult("2", "div", n("4"), n("2"));
    assertResult("2.5", "div", n("5"), n("2"));
    assertResult("5", "mul", n("2.5"), n("2"));
  }

  @Test
  void divisionAndModuloByZeroAreBuiltinErrors() {
    assertFails(Kind.BUILTIN, "divide by zero", "div", n("1"), n("0"));
    assertFails(Kind.BUILTIN, "divide by zero", "div", n("1"), n("0.0"));
    assertFails(Kind.BUILTIN, "modulo by zero", "rem", n("1"), n("0"));
    assertFails(Kind.BUILTIN, "modulo on floating-point number", "rem", n("1.1"), n("1"));
  }

  @Test
  void minusIsAlsoSetDifference() throws Exception {
    assertEquals(set("[1]"), call("minus", set("[1,2,3]"), set("[2,3,4]")));
    assertFails(Kind.TYPE, "operand 2 must be set but got number", "minus", set("[1]"), n("1"));
    assertFails(Kind.TYPE, "operand 2 must be number but got set", "minus", n("1"), set("[1]"));
    assertFails(Kind.TYPE, "operand 1 must be one of {number, set} but got string", "minus", v("'a'"), n("1"));
  }

  @Test
  void roundingFunctions() throws Exception {
    assertResult("2", "ceil", n("1.01"));
    assertResult("-1", "ceil", n("-1.99999"));
    assertResult("2223", "ceil", n("2222.2222222222"));
    assertResult("1", "floor", n("1.99"));
    assertResult("-2", "floor", n("-1.01"));
    assertResult("0", "ceil", n("-0.5"));
    assertResult("-1", "floor", n("-0.5"));
    assertResult("3", "round", n("2.5"));
    assertResult("-3", "round", n("-2.5"));
    assertResult("2", "round", n("2.4999"));
    assertResult("10", "abs", n("-10"));
    assertResult("1.5", "abs", n("-1.5"));
  }

  @Test
  void numbersBeyondAnyUsefulRangeAreRefusedQuickly() throws Exception {
    Value huge = n("1e999999999"), tiny = n("1e-999999999");
    assertFails(Kind.BUILTIN, "number 1e999999999 is out of the supported range", "plus", huge, n("1"));
    assertFails(Kind.BUILTIN, "number 1e-999999999 is out of the supported range", "mul", tiny, n("2"));
    assertFails(Kind.BUILTIN, "number 1e999999999 is out of the supported range", "sum", ArrayValue.of(huge));
    assertResult("'d'", "object.get", v("{'a': 1}"), ArrayValue.of(huge), v("'d'"));
    assertResult("true", "lt", tiny, huge);
  }

  @Test
  void rangesCountUpOrDown() throws Exception {
    assertResult("[1,2,3]", "numbers.range", n("1"), n("3"));
    assertResult("[3,2,1]", "numbers.range", n("3"), n("1"));
    assertResult("[0,3,6,9]", "numbers.range_step", n("0"), n("10"), n("3"));
    assertResult("[10,7,4,1]", "numbers.range_step", n("10"), n("0"), n("3"));
    assertFails(Kind.BUILTIN, "step must be a positive integer", "numbers.range_step", n("0"), n("10"), n("0"));
    assertFails(Kind.TYPE, "operand 1 must be integer number but got floating-point number", "numbers.range",
        n("1.5"), n("3"));
  }

  @Test
  void hugeRangesHitTheBudgetBeforeAllocating() {
    BuiltinException e = assertThrows(BuiltinException.class,
        () -> call("numbers.range", n("0"), n("100000")));
    assertEquals(Kind.BUDGET, e.kind());
    e = assertThrows(BuiltinException.class, () -> call("numbers.range", n("0"), n("100000000000000000000000")));
    assertEquals(Kind.BUDGET, e.kind());
  }

  @Test
  void randIntnIsStableWithinOneEvaluation() throws Exception {
    Call.Ctx ctx = new Call.Ctx();
    Value first = call(ctx, "rand.intn", v("'key'"), n("100"));
    for (int i = 0; i < 20; i++) assertEquals(first, call(ctx, "rand.intn", v("'key'"), n("100")));
    assertResult("0", "rand.intn", v("'key'"), n("0"));
    long big = ((NumberValue) call(ctx, "rand.intn", v("'k'"), n("-9223372036854775808"))).longValueExact();
    assertEquals(true, big >= 0);
  }

  @Test
  void bitOperationsOnBigIntegers() throws Exception {
    assertResult("4", "bits.and", n("12"), n("6"));
    assertResult("14", "bits.or", n("12"), n("6"));
    assertResult("10", "bits.xor", n("12"), n("6"));
    assertResult("-13", "bits.negate", n("12"));
    assertEquals(n("18446744073709551616"), call("bits.lsh", n("1"), n("64")));
    assertResult("-1", "bits.rsh", n("-2"), n("1"));
    assertFails(Kind.TYPE, "operand 2 must be an unsigned integer number but got a negative integer", "bits.lsh",
        n("1"), n("-1"));
    assertFails(Kind.TYPE, "operand 1 must be integer number but got floating-point number", "bits.and",
        n("1.5"), n("1"));
  }

  @Test
  void toNumberParsesAsGoDoes() throws Exception {
    assertResult("-42", "to_number", v("'-42.0'"));
    assertResult("0", "to_number", v("null"));
    assertResult("1", "to_number", v("true"));
    assertResult("100.1", "to_number", n("100.1"));
    assertFails(Kind.TYPE, "operand 1 must be valid number string but got string", "to_number", v("'-Inf'"));
    assertFails(Kind.BUILTIN, "strconv.ParseFloat: parsing \"abc\": invalid syntax", "to_number", v("'abc'"));
    assertFails(Kind.TYPE, "operand 1 must be one of {null, boolean, number, string} but got array", "to_number",
        v("[]"));
  }

  @Test
  void formatIntInTheFourBases() throws Exception {
    assertEquals(StringValue.of("-ff"), call("format_int", n("-255"), n("16")));
    assertEquals(StringValue.of("1010"), call("format_int", n("10.9"), n("2")));
    assertEquals(StringValue.of("17"), call("format_int", n("15"), n("8")));
    assertFails(Kind.TYPE, "operand 2 must be one of {2, 8, 10, 16}", "format_int", n("1"), n("3"));
  }
}
