package dev.portcullis.rego.builtins;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Go's reference-time layouts ("2006-01-02T15:04:05Z07:00") for formatting and parsing, as {@code time.Format}
 * and {@code time.Parse} read them. A layout is split into the same chunks Go recognizes; everything else is
 * literal text.
 */
final class GoTime {
  private GoTime() {}

  enum Std {
    LONG_MONTH, MONTH, NUM_MONTH, ZERO_MONTH, LONG_WEEKDAY, WEEKDAY, DAY, UNDER_DAY, ZERO_DAY, UNDER_YEAR_DAY,
    ZERO_YEAR_DAY, HOUR, HOUR12, ZERO_HOUR12, MINUTE, ZERO_MINUTE, SECOND, ZERO_SECOND, LONG_YEAR, YEAR, PM, LOWER_PM,
    TZ, ISO_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_COLON_SECONDS_TZ, NUM_TZ, NUM_SECONDS_TZ,
    NUM_SHORT_TZ, NUM_COLON_TZ, NUM_COLON_SECONDS_TZ, FRAC0, FRAC9
  }

  /** One piece of a layout: literal text, or a field with (for fractions) its digit count and separator. */
  record Chunk(String literal, Std std, int digits, char separator) {}

  private static final String[] LONG_MONTHS = {"January", "February", "March", "April", "May", "June", "July",
      "August", "September", "October", "November", "December"};
  private static final String[] LONG_DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
      "Saturday"};

  static List<Chunk> chunks(String layout) {
    List<Chunk> out = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    while (i < layout.length()) {
      Object[] m = match(layout, i);
      if (m == null) {
        lit.append(layout.charAt(i++));
        continue;
      }
      if (lit.length() > 0) {
        out.add(new Chunk(lit.toString(), null, 0, '.'));
        lit.setLength(0);
      }
      out.add((Chunk) m[0]);
      i = (int) m[1];
    }
    if (lit.length() > 0) out.add(new Chunk(lit.toString(), null, 0, '.'));
    return out;
  }

  /** The field starting at {@code i}, with the index after it; null when the text there is literal. */
  private static Object[] match(String l, int i) {
    char c = l.charAt(i);
    switch (c) {
      case 'J' -> {
        if (l.startsWith("January", i)) return f(Std.LONG_MONTH, i + 7);
        if (l.startsWith("Jan", i)) return f(Std.MONTH, i + 3);
      }
      case 'M' -> {
        if (l.startsWith("Monday", i)) return f(Std.LONG_WEEKDAY, i + 6);
        if (l.startsWith("Mon", i)) return f(Std.WEEKDAY, i + 3);
        if (l.startsWith("MST", i)) return f(Std.TZ, i + 3);
      }
      case '0' -> {
        if (i + 1 < l.length() && l.charAt(i + 1) >= '1' && l.charAt(i + 1) <= '6') {
          Std s = switch (l.charAt(i + 1)) {
            case '1' -> Std.ZERO_MONTH;
            case '2' -> Std.ZERO_DAY;
            case '3' -> Std.ZERO_HOUR12;
            case '4' -> Std.ZERO_MINUTE;
            case '5' -> Std.ZERO_SECOND;
            default -> Std.YEAR;
          };
          return f(s, i + 2);
        }
        if (l.startsWith("002", i)) return f(Std.ZERO_YEAR_DAY, i + 3);
      }
      case '1' -> {
        if (l.startsWith("15", i)) return f(Std.HOUR, i + 2);
        return f(Std.NUM_MONTH, i + 1);
      }
      case '2' -> {
        if (l.startsWith("2006", i)) return f(Std.LONG_YEAR, i + 4);
        return f(Std.DAY, i + 1);
      }
      case '_' -> {
        if (l.startsWith("_2", i)) {
          // "_2006" is a literal underscore before a year, not a padded day.
          if (l.startsWith("_2006", i)) return null;
          return f(Std.UNDER_DAY, i + 2);
        }
        if (l.startsWith("__2", i)) return f(Std.UNDER_YEAR_DAY, i + 3);
      }
      case '3' -> { return f(Std.HOUR12, i + 1); }
      case '4' -> { return f(Std.MINUTE, i + 1); }
      case '5' -> { return f(Std.SECOND, i + 1); }
      case 'P' -> {
        if (l.startsWith("PM", i)) return f(Std.PM, i + 2);
      }
      case 'p' -> {
        if (l.startsWith("pm", i)) return f(Std.LOWER_PM, i + 2);
      }
      case '-' -> {
        if (l.startsWith("-070000", i)) return f(Std.NUM_SECONDS_TZ, i + 7);
        if (l.startsWith("-07:00:00", i)) return f(Std.NUM_COLON_SECONDS_TZ, i + 9);
        if (l.startsWith("-0700", i)) return f(Std.NUM_TZ, i + 5);
        if (l.startsWith("-07:00", i)) return f(Std.NUM_COLON_TZ, i + 6);
        if (l.startsWith("-07", i)) return f(Std.NUM_SHORT_TZ, i + 3);
      }
      case 'Z' -> {
        if (l.startsWith("Z070000", i)) return f(Std.ISO_SECONDS_TZ, i + 7);
        if (l.startsWith("Z07:00:00", i)) return f(Std.ISO_COLON_SECONDS_TZ, i + 9);
        if (l.startsWith("Z0700", i)) return f(Std.ISO_TZ, i + 5);
        if (l.startsWith("Z07:00", i)) return f(Std.ISO_COLON_TZ, i + 6);
        if (l.startsWith("Z07", i)) return f(Std.ISO_SHORT_TZ, i + 3);
      }
      case '.', ',' -> {
        if (i + 1 < l.length() && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
          char d = l.charAt(i + 1);
          int j = i + 1;
          while (j < l.length() && l.charAt(j) == d) j++;
          if (!(j < l.length() && isDigit(l.charAt(j)))) {
            return new Object[] {new Chunk(null, d == '0' ? Std.FRAC0 : Std.FRAC9, j - (i + 1), c), j};
          }
        }
      }
      default -> { }
    }
    return null;
  }

  private static Object[] f(Std s, int end) { return new Object[] {new Chunk(null, s, 0, '.'), end}; }

  private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

  static String format(ZonedDateTime t, String layout) {
    StringBuilder b = new StringBuilder();
    for (Chunk c : chunks(layout)) {
      if (c.literal() != null) {
        b.append(c.literal());
        continue;
      }
      int offset = t.getOffset().getTotalSeconds();
      switch (c.std()) {
        case YEAR -> pad(b, Math.floorMod(t.getYear(), 100), 2);
        case LONG_YEAR -> {
          int y = t.getYear();
          if (y < 0) b.append('-');
          pad(b, Math.abs(y), 4);
        }
        case MONTH -> b.append(LONG_MONTHS[t.getMonthValue() - 1], 0, 3);
        case LONG_MONTH -> b.append(LONG_MONTHS[t.getMonthValue() - 1]);
        case NUM_MONTH -> b.append(t.getMonthValue());
        case ZERO_MONTH -> pad(b, t.getMonthValue(), 2);
        case WEEKDAY -> b.append(weekday(t.getDayOfWeek()), 0, 3);
        case LONG_WEEKDAY -> b.append(weekday(t.getDayOfWeek()));
        case DAY -> b.append(t.getDayOfMonth());
        case UNDER_DAY -> {
          if (t.getDayOfMonth() < 10) b.append(' ');
          b.append(t.getDayOfMonth());
        }
        case ZERO_DAY -> pad(b, t.getDayOfMonth(), 2);
        case UNDER_YEAR_DAY -> {
          int yd = t.getDayOfYear();
          if (yd < 100) b.append(' ');
          if (yd < 10) b.append(' ');
          b.append(yd);
        }
        case ZERO_YEAR_DAY -> pad(b, t.getDayOfYear(), 3);
        case HOUR -> pad(b, t.getHour(), 2);
        case HOUR12 -> b.append(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
        case ZERO_HOUR12 -> pad(b, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2);
        case MINUTE -> b.append(t.getMinute());
        case ZERO_MINUTE -> pad(b, t.getMinute(), 2);
        case SECOND -> b.append(t.getSecond());
        case ZERO_SECOND -> pad(b, t.getSecond(), 2);
        case PM -> b.append(t.getHour() >= 12 ? "PM" : "AM");
        case LOWER_PM -> b.append(t.getHour() >= 12 ? "pm" : "am");
        case ISO_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_COLON_SECONDS_TZ, NUM_TZ, NUM_SECONDS_TZ,
            NUM_SHORT_TZ, NUM_COLON_TZ, NUM_COLON_SECONDS_TZ -> zone(b, c.std(), offset);
        case TZ -> {
          String name = abbreviation(t);
          if (name != null) {
            b.append(name);
          } else {
            int zone = offset / 60;
            b.append(zone < 0 ? '-' : '+');
            pad(b, Math.abs(zone) / 60, 2);
            pad(b, Math.abs(zone) % 60, 2);
          }
        }
        case FRAC0, FRAC9 -> fraction(b, t.getNano(), c);
      }
    }
    return b.toString();
  }

  private static String weekday(DayOfWeek d) { return LONG_DAYS[d.getValue() % 7]; }

  private static void pad(StringBuilder b, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) b.append('0');
    b.append(s);
  }

  private static void zone(StringBuilder b, Std std, int offset) {
    boolean iso = std.name().startsWith("ISO");
    if (iso && offset == 0) {
      b.append('Z');
      return;
    }
    int zone = offset / 60;
    int abs = Math.abs(offset);
    b.append(zone < 0 ? '-' : '+');
    pad(b, Math.abs(zone) / 60, 2);
    boolean colon = std == Std.ISO_COLON_TZ || std == Std.NUM_COLON_TZ || std == Std.ISO_COLON_SECONDS_TZ
        || std == Std.NUM_COLON_SECONDS_TZ;
    if (std != Std.ISO_SHORT_TZ && std != Std.NUM_SHORT_TZ) {
      if (colon) b.append(':');
      pad(b, Math.abs(zone) % 60, 2);
    }
    if (std == Std.ISO_SECONDS_TZ || std == Std.NUM_SECONDS_TZ || std == Std.ISO_COLON_SECONDS_TZ
        || std == Std.NUM_COLON_SECONDS_TZ) {
      if (colon) b.append(':');
      pad(b, abs % 60, 2);
    }
  }

  private static void fraction(StringBuilder b, int nanos, Chunk c) {
    String digits = String.format("%09d", nanos).substring(0, Math.min(9, c.digits()));
    if (c.std() == Std.FRAC9) {
      int end = digits.length();
      while (end > 0 && digits.charAt(end - 1) == '0') end--;
      digits = digits.substring(0, end);
      if (digits.isEmpty()) return;
    }
    b.append(c.separator()).append(digits);
  }

  private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("zzz", Locale.US);

  /** The zone's abbreviation as tzdata names it ("IST", "PST"), or null when it has only a numeric one. */
  private static String abbreviation(ZonedDateTime t) {
    ZoneId z = t.getZone();
    if (z instanceof ZoneOffset || z.getId().equals("UTC") || z.getId().equals("Etc/UTC")) {
      return t.getOffset().getTotalSeconds() == 0 ? "UTC" : null;
    }
    String name = ZONE_NAME.format(t);
    return name.startsWith("GMT") && name.length() > 3 ? null : name;
  }

  /** Go's {@code time.Parse}; the result is an instant (the offset written in the value, else UTC). */
  static Instant parse(String layout, String value) throws BuiltinException {
    List<Chunk> chunks = chunks(layout);
    String v = value;
    int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0;
    int yday = -1;
    boolean pm = false, am = false;
    Integer offset = null;
    for (int ci = 0; ci < chunks.size(); ci++) {
      Chunk c = chunks.get(ci);
      if (c.literal() != null) {
        String rest = skip(v, c.literal());
        if (rest == null) throw cannotParse(value, layout, v, c.literal());
        v = rest;
        continue;
      }
      String before = v;
      String name = chunkText(layout, c);
      try {
        switch (c.std()) {
          case YEAR -> {
            int y = fixed(v, 2);
            v = v.substring(2);
            year = y >= 69 ? 1900 + y : 2000 + y;
          }
          case LONG_YEAR -> {
            if (v.length() < 4 || !allDigits(v.substring(0, 4))) throw new IllegalArgumentException();
            year = Integer.parseInt(v.substring(0, 4));
            v = v.substring(4);
          }
          case MONTH, LONG_MONTH -> {
            int m = lookup(v, c.std() == Std.MONTH ? 3 : 0, LONG_MONTHS);
            month = m + 1;
            v = v.substring(c.std() == Std.MONTH ? 3 : LONG_MONTHS[m].length());
          }
          case NUM_MONTH, ZERO_MONTH -> {
            int[] r = num(v, c.std() == Std.ZERO_MONTH);
            month = r[0];
            v = v.substring(r[1]);
            if (month < 1 || month > 12) throw range(value, "month");
          }
          case WEEKDAY, LONG_WEEKDAY -> {
            int d = lookup(v, c.std() == Std.WEEKDAY ? 3 : 0, LONG_DAYS);
            v = v.substring(c.std() == Std.WEEKDAY ? 3 : LONG_DAYS[d].length());
          }
          case DAY, UNDER_DAY, ZERO_DAY -> {
            if (c.std() == Std.UNDER_DAY && v.startsWith(" ")) v = v.substring(1);
            int[] r = num(v, c.std() == Std.ZERO_DAY);
            day = r[0];
            v = v.substring(r[1]);
          }
          case UNDER_YEAR_DAY, ZERO_YEAR_DAY -> {
            int k = 0;
            if (c.std() == Std.UNDER_YEAR_DAY) while (k < 2 && k < v.length() && v.charAt(k) == ' ') k++;
            v = v.substring(k);
            int[] r = num3(v, c.std() == Std.ZERO_YEAR_DAY);
            yday = r[0];
            v = v.substring(r[1]);
          }
          case HOUR -> {
            int[] r = num(v, false);
            hour = r[0];
            v = v.substring(r[1]);
            if (hour > 23) throw range(value, "hour");
          }
          case HOUR12, ZERO_HOUR12 -> {
            int[] r = num(v, c.std() == Std.ZERO_HOUR12);
            hour = r[0];
            v = v.substring(r[1]);
            if (hour > 12) throw range(value, "hour");
          }
          case MINUTE, ZERO_MINUTE -> {
            int[] r = num(v, c.std() == Std.ZERO_MINUTE);
            minute = r[0];
            v = v.substring(r[1]);
            if (minute > 59) throw range(value, "minute");
          }
          case SECOND, ZERO_SECOND -> {
            int[] r = num(v, c.std() == Std.ZERO_SECOND);
            second = r[0];
            v = v.substring(r[1]);
            if (second > 59) throw range(value, "second");
            // A fraction in the value with none in the layout is still read, as Go does.
            boolean layoutHasFraction = ci + 1 < chunks.size() && chunks.get(ci + 1).std() != null
                && (chunks.get(ci + 1).std() == Std.FRAC0 || chunks.get(ci + 1).std() == Std.FRAC9);
            if (!layoutHasFraction && v.length() >= 2 && (v.charAt(0) == '.' || v.charAt(0) == ',')
                && isDigit(v.charAt(1))) {
              int n = 2;
              while (n < v.length() && isDigit(v.charAt(n))) n++;
              nanos = nanos(v, n);
              v = v.substring(n);
            }
          }
          case PM -> {
            if (v.startsWith("PM")) pm = true; else if (v.startsWith("AM")) am = true;
            else throw new IllegalArgumentException();
            v = v.substring(2);
          }
          case LOWER_PM -> {
            if (v.startsWith("pm")) pm = true; else if (v.startsWith("am")) am = true;
            else throw new IllegalArgumentException();
            v = v.substring(2);
          }
          case ISO_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_COLON_SECONDS_TZ, NUM_TZ, NUM_SECONDS_TZ,
              NUM_SHORT_TZ, NUM_COLON_TZ, NUM_COLON_SECONDS_TZ -> {
            if (c.std().name().startsWith("ISO") && v.startsWith("Z")) {
              offset = 0;
              v = v.substring(1);
              break;
            }
            int[] r = zoneOffset(v, c.std());
            offset = r[0];
            v = v.substring(r[1]);
          }
          case TZ -> {
            // Abbreviations carry no offset here: Go only knows those of the local zone, which is UTC for OPA.
            int n = zoneAbbreviationLength(v);
            if (n == 0) throw new IllegalArgumentException();
            String zoneName = v.substring(0, n);
            v = v.substring(n);
            // "GMT+3" carries its offset in hours; other names are taken as UTC, as Go does for unknown zones.
            if (offset == null) offset = zoneName.length() > 3 && zoneName.startsWith("GMT")
                ? Integer.parseInt(zoneName.substring(3)) * 3600 : 0;
          }
          case FRAC0 -> {
            int n = 1 + c.digits();
            if (v.length() < n || (v.charAt(0) != '.' && v.charAt(0) != ',')) throw new IllegalArgumentException();
            nanos = nanos(v, n);
            v = v.substring(n);
          }
          case FRAC9 -> {
            if (v.length() < 2 || (v.charAt(0) != '.' && v.charAt(0) != ',') || !isDigit(v.charAt(1))) break;
            int i = 0;
            while (i + 1 < v.length() && isDigit(v.charAt(i + 1))) i++;
            nanos = nanos(v, 1 + i);
            v = v.substring(1 + i);
          }
        }
      } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
        throw cannotParse(value, layout, before, name);
      }
    }
    if (!v.isEmpty()) throw BuiltinException.error("parsing time " + quote(value) + ": extra text: " + quote(v));
    if (pm && hour < 12) hour += 12;
    else if (am && hour == 12) hour = 0;
    LocalDate date;
    if (year < -999_999_999 || year > 999_999_999) throw range(value, "year");
    if (yday >= 0) {
      if (yday < 1 || yday > (java.time.Year.isLeap(year) ? 366 : 365)) throw range(value, "day-of-year");
      date = LocalDate.ofYearDay(year, yday);
    } else {
      if (day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) throw range(value, "day");
      date = LocalDate.of(year, month, day);
    }
    long seconds = date.toEpochDay() * 86400L + hour * 3600L + minute * 60L + second - (offset == null ? 0 : offset);
    return Instant.ofEpochSecond(seconds, nanos);
  }

  private static String chunkText(String layout, Chunk c) {
    return switch (c.std()) {
      case LONG_MONTH -> "January";
      case MONTH -> "Jan";
      case NUM_MONTH -> "1";
      case ZERO_MONTH -> "01";
      case LONG_WEEKDAY -> "Monday";
      case WEEKDAY -> "Mon";
      case DAY -> "2";
      case UNDER_DAY -> "_2";
      case ZERO_DAY -> "02";
      case UNDER_YEAR_DAY -> "__2";
      case ZERO_YEAR_DAY -> "002";
      case HOUR -> "15";
      case HOUR12 -> "3";
      case ZERO_HOUR12 -> "03";
      case MINUTE -> "4";
      case ZERO_MINUTE -> "04";
      case SECOND -> "5";
      case ZERO_SECOND -> "05";
      case LONG_YEAR -> "2006";
      case YEAR -> "06";
      case PM -> "PM";
      case LOWER_PM -> "pm";
      case TZ -> "MST";
      case ISO_TZ -> "Z0700";
      case ISO_SECONDS_TZ -> "Z070000";
      case ISO_SHORT_TZ -> "Z07";
      case ISO_COLON_TZ -> "Z07:00";
      case ISO_COLON_SECONDS_TZ -> "Z07:00:00";
      case NUM_TZ -> "-0700";
      case NUM_SECONDS_TZ -> "-070000";
      case NUM_SHORT_TZ -> "-07";
      case NUM_COLON_TZ -> "-07:00";
      case NUM_COLON_SECONDS_TZ -> "-07:00:00";
      case FRAC0 -> c.separator() + "0".repeat(c.digits());
      case FRAC9 -> c.separator() + "9".repeat(c.digits());
    };
  }

  /** Go's {@code skip}: literal text must match, where a run of spaces matches any run of spaces. */
  private static String skip(String value, String prefix) {
    int p = 0, v = 0;
    while (p < prefix.length()) {
      if (prefix.charAt(p) == ' ') {
        if (v < value.length() && value.charAt(v) != ' ') return null;
        while (p < prefix.length() && prefix.charAt(p) == ' ') p++;
        while (v < value.length() && value.charAt(v) == ' ') v++;
        continue;
      }
      if (v >= value.length() || value.charAt(v) != prefix.charAt(p)) return null;
      p++;
      v++;
    }
    return value.substring(v);
  }

  private static int fixed(String v, int n) {
    if (v.length() < n || !allDigits(v.substring(0, n))) throw new IllegalArgumentException();
    return Integer.parseInt(v.substring(0, n));
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) if (!isDigit(s.charAt(i))) return false;
    return true;
  }

  /** One or two digits (exactly two when {@code fixed}): the value and how many characters it used. */
  private static int[] num(String v, boolean fixed) {
    if (v.isEmpty() || !isDigit(v.charAt(0))) throw new IllegalArgumentException();
    if (v.length() < 2 || !isDigit(v.charAt(1))) {
      if (fixed) throw new IllegalArgumentException();
      return new int[] {v.charAt(0) - '0', 1};
    }
    return new int[] {(v.charAt(0) - '0') * 10 + (v.charAt(1) - '0'), 2};
  }

  private static int[] num3(String v, boolean fixed) {
    int n = 0, x = 0;
    while (n < 3 && n < v.length() && isDigit(v.charAt(n))) x = x * 10 + (v.charAt(n++) - '0');
    if (n == 0 || (fixed && n != 3)) throw new IllegalArgumentException();
    return new int[] {x, n};
  }

  private static int lookup(String v, int len, String[] names) {
    for (int i = 0; i < names.length; i++) {
      String n = len > 0 ? names[i].substring(0, len) : names[i];
      if (v.length() >= n.length() && v.substring(0, n.length()).equalsIgnoreCase(n)) return i;
    }
    throw new IllegalArgumentException();
  }

  private static int nanos(String v, int n) {
    String digits = v.substring(1, Math.min(n, 10));
    if (!allDigits(digits)) throw new IllegalArgumentException();
    StringBuilder sb = new StringBuilder(digits);
    while (sb.length() < 9) sb.append('0');
    return Integer.parseInt(sb.toString());
  }

  private static int[] zoneOffset(String v, Std std) {
    if (v.isEmpty() || (v.charAt(0) != '+' && v.charAt(0) != '-')) throw new IllegalArgumentException();
    boolean colon = std == Std.ISO_COLON_TZ || std == Std.NUM_COLON_TZ || std == Std.ISO_COLON_SECONDS_TZ
        || std == Std.NUM_COLON_SECONDS_TZ;
    boolean seconds = std == Std.ISO_SECONDS_TZ || std == Std.NUM_SECONDS_TZ || std == Std.ISO_COLON_SECONDS_TZ
        || std == Std.NUM_COLON_SECONDS_TZ;
    boolean shortForm = std == Std.ISO_SHORT_TZ || std == Std.NUM_SHORT_TZ;
    int i = 1;
    int h = fixed(v.substring(i), 2);
    i += 2;
    int m = 0, s = 0;
    if (!shortForm) {
      if (colon) {
        if (i >= v.length() || v.charAt(i) != ':') throw new IllegalArgumentException();
        i++;
      }
      m = fixed(v.substring(i), 2);
      i += 2;
    }
    if (seconds) {
      if (colon) {
        if (i >= v.length() || v.charAt(i) != ':') throw new IllegalArgumentException();
        i++;
      }
      s = fixed(v.substring(i), 2);
      i += 2;
    }
    int off = (h * 60 + m) * 60 + s;
    return new int[] {v.charAt(0) == '-' ? -off : off, i};
  }

  /** Length of a zone abbreviation at the start of {@code v}: "UTC", "GMT+3" or three to five capitals. */
  private static int zoneAbbreviationLength(String v) {
    if (v.startsWith("UTC")) return 3;
    int n = 0;
    while (n < v.length() && n < 5 && Character.isUpperCase(v.charAt(n))) n++;
    if (v.startsWith("GMT")) {
      int k = 3;
      if (k < v.length() && (v.charAt(k) == '+' || v.charAt(k) == '-')) {
        k++;
        while (k < v.length() && isDigit(v.charAt(k))) k++;
        return k > 4 ? k : 3;
      }
      return 3;
    }
    return n >= 3 ? n : 0;
  }

  private static BuiltinException cannotParse(String value, String layout, String rest, String elem) {
    return BuiltinException.error("parsing time " + quote(value) + " as " + quote(layout) + ": cannot parse "
        + quote(rest) + " as " + quote(elem));
  }

  private static BuiltinException range(String value, String what) {
    return BuiltinException.error("parsing time " + quote(value) + ": " + what + " out of range");
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    dev.portcullis.rego.value.Values.quote(s, sb);
    return sb.toString().replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&");
  }
}
