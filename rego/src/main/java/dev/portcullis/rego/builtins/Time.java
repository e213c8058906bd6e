package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code time.*} built-ins: nanoseconds since the epoch, IANA zones, Go layouts and Go durations. */
final class Time {
  private Time() {}

  private static final Map<String, String> NAMED_LAYOUTS = Map.of(
      "ANSIC", "Mon Jan _2 15:04:05 2006",
      "UnixDate", "Mon Jan _2 15:04:05 MST 2006",
      "RubyDate", "Mon Jan 02 15:04:05 -0700 2006",
      "RFC822", "02 Jan 06 15:04 MST",
      "RFC822Z", "02 Jan 06 15:04 -0700",
      "RFC850", "Monday, 02-Jan-06 15:04:05 MST",
      "RFC1123", "Mon, 02 Jan 2006 15:04:05 MST",
      "RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700",
      "RFC3339", "2006-01-02T15:04:05Z07:00",
      "RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00");

  private static final Map<String, ZoneId> ZONES = new ConcurrentHashMap<>();

  private static final BigInteger MIN_NS = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_NS = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000L);

  /** A point in time in a zone, with the layout an array operand may carry. */
  private record ZonedTime(ZonedDateTime time, String layout) {}

  static void register(BuiltinTable t) {
    t.register("time.now_ns", 0, (ctx, a) -> NumberValue.of(ctx.nowNanos()));
    t.register("time.parse_ns", 2, (ctx, a) -> {
      String layout = Args.string(a, 0);
      String value = Args.string(a, 1);
      return safeNanos(GoTime.parse(NAMED_LAYOUTS.getOrDefault(layout, layout), value));
    });
    t.register("time.parse_rfc3339_ns", 1,
        (ctx, a) -> safeNanos(GoTime.parse(NAMED_LAYOUTS.get("RFC3339"), Args.string(a, 0))));
    t.register("time.parse_duration_ns", 1, (ctx, a) -> NumberValue.of(GoDuration.parse(Args.string(a, 0))));
    t.register("time.format", 1, (ctx, a) -> {
      ZonedTime zt = zoned(a[0]);
      String layout = zt.layout().isEmpty() ? NAMED_LAYOUTS.get("RFC3339Nano")
          : NAMED_LAYOUTS.getOrDefault(zt.layout(), zt.layout());
      return StringValue.of(GoTime.format(zt.time(), layout));
    });
    t.register("time.date", 1, (ctx, a) -> {
      ZonedDateTime z = zoned(a[0]).time();
      return ArrayValue.of(NumberValue.of(z.getYear()), NumberValue.of(z.getMonthValue()),
          NumberValue.of(z.getDayOfMonth()));
    });
    t.register("time.clock", 1, (ctx, a) -> {
      ZonedDateTime z = zoned(a[0]).time();
      return ArrayValue.of(NumberValue.of(z.getHour()), NumberValue.of(z.getMinute()), NumberValue.of(z.getSecond()));
    });
    t.register("time.weekday", 1, (ctx, a) -> {
      ZonedDateTime z = zoned(a[0]).time();
      return StringValue.of(GoTime.format(z, "Monday"));
    });
    t.register("time.add_date", 4, (ctx, a) -> {
      ZonedDateTime z = zoned(a[0]).time();
      int years = Args.integer(a, 1), months = Args.integer(a, 2), days = Args.integer(a, 3);
      try {
        return safeNanos(addDate(z, years, months, days).toInstant());
      } catch (DateTimeException | ArithmeticException e) {
        throw BuiltinException.error("time outside of valid range");
      }
    });
    t.register("time.diff", 2, (ctx, a) -> diff(zoned(a[0]).time(), zoned(a[1]).time()));
  }

  /** Go's {@code Time.AddDate}: out-of-range months and days carry over (Jan 31 + 1 month is Mar 3 or 2). */
  static ZonedDateTime addDate(ZonedDateTime z, int years, int months, int days) {
    long totalMonths = (long) z.getMonthValue() - 1 + months;
    long year = (long) z.getYear() + years + Math.floorDiv(totalMonths, 12);
    int month = Math.floorMod(totalMonths, 12) + 1;
    LocalDate date = LocalDate.of((int) year, month, 1).plusDays((long) z.getDayOfMonth() - 1 + days);
    return ZonedDateTime.ofLocal(LocalDateTime.of(date, z.toLocalTime()), z.getZone(), z.getOffset());
  }

  private static ArrayValue diff(ZonedDateTime t1, ZonedDateTime t2) {
    t2 = t2.withZoneSameInstant(t1.getZone());
    if (t1.isAfter(t2)) {
      ZonedDateTime tmp = t1;
      t1 = t2;
      t2 = tmp;
    }
    int year = t2.getYear() - t1.getYear();
    int month = t2.getMonthValue() - t1.getMonthValue();
    int day = t2.getDayOfMonth() - t1.getDayOfMonth();
    int hour = t2.getHour() - t1.getHour();
    int min = t2.getMinute() - t1.getMinute();
    int sec = t2.getSecond() - t1.getSecond();
    if (sec < 0) {
      sec += 60;
      min--;
    }
    if (min < 0) {
      min += 60;
      hour--;
    }
    if (hour < 0) {
      hour += 24;
      day--;
    }
    if (day < 0) {
      day += java.time.YearMonth.of(t1.getYear(), t1.getMonthValue()).lengthOfMonth();
      month--;
    }
    if (month < 0) {
      month += 12;
      year--;
    }
    return ArrayValue.of(NumberValue.of(year), NumberValue.of(month), NumberValue.of(day), NumberValue.of(hour),
        NumberValue.of(min), NumberValue.of(sec));
  }

  /** Nanoseconds since the epoch, refused when they do not fit in an int64 as OPA requires. */
  private static NumberValue safeNanos(Instant t) throws BuiltinException {
    BigInteger ns = BigInteger.valueOf(t.getEpochSecond()).multiply(BILLION).add(BigInteger.valueOf(t.getNano()));
    if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) {
      throw BuiltinException.error("time outside of valid range");
    }
    return NumberValue.of(ns.longValueExact());
  }

  /** Reads {@code ns} or {@code [ns, zone]} or {@code [ns, zone, layout]}. */
  private static ZonedTime zoned(Value v) throws BuiltinException {
    String expected = "either number (ns) or [number (ns), string (tz)]";
    Value ns;
    ZoneId zone = ZoneOffset.UTC;
    String layout = "";
    if (v instanceof ArrayValue arr) {
      if (arr.size() == 0) throw Args.mismatch(0, expected, v);
      ns = arr.get(0);
      if (!(ns instanceof NumberValue)) throw Args.mismatch(0, "number", ns);
      if (arr.size() > 1) {
        if (!(arr.get(1) instanceof StringValue tz)) throw Args.mismatch(0, "string", arr.get(1));
        zone = zone(tz.value());
      }
      if (arr.size() > 2) {
        if (!(arr.get(2) instanceof StringValue l)) throw Args.mismatch(0, "string", arr.get(2));
        layout = l.value();
      }
    } else if (v instanceof NumberValue) {
      ns = v;
    } else {
      throw Args.mismatch(0, expected, v);
    }
    BigDecimal d = ((NumberValue) ns).bigDecimal();
    long nanos;
    try {
      nanos = d.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    } catch (ArithmeticException e) {
      throw BuiltinException.error("timestamp too big");
    }
    Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    return new ZonedTime(ZonedDateTime.ofInstant(instant, zone), layout);
  }

  private static ZoneId zone(String name) throws BuiltinException {
    switch (name) {
      case "", "UTC" -> {
        return ZoneOffset.UTC;
      }
      case "Local" -> {
        return ZoneId.systemDefault();
      }
      default -> { }
    }
    ZoneId cached = ZONES.get(name);
    if (cached != null) return cached;
    // Only IANA region names, as Go's LoadLocation accepts them; java.time would also take offsets like "+01:00".
    if (!name.matches("[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+)*")) {
      throw BuiltinException.error("unknown time zone " + name);
    }
    try {
      ZoneId z = ZoneId.of(name);
      ZONES.put(name, z);
      return z;
    } catch (DateTimeException e) {
      throw BuiltinException.error("unknown time zone " + name);
    }
  }
}
