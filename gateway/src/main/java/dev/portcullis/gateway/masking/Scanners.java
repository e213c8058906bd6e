package dev.portcullis.gateway.masking;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The detectors' scanners. They run on every value of every masked row, so each starts with a cheap test (an
 * indexOf or a digit count), works in linear time on hostile input (hand-written where a regex could
 * backtrack) and allocates nothing unless it finds a candidate.
 */
final class Scanners {

  private Scanners() {
  }

  /** Receives matches as [start, end) offsets. */
  interface Sink {
    void match(int start, int end);
  }

  // ------------------------------------------------------------------ email

  static void emails(String s, Sink sink) {
    int at = s.indexOf('@');
    int lastEnd = 0;
    while (at >= 0) {
      int start = at;
      while (start > lastEnd && at - start < 64 && isLocalPart(s.charAt(start - 1))) {
        start--;
      }
      while (start < at && s.charAt(start) == '.') {
        start++;
      }
      int end = start < at ? domainEnd(s, at + 1) : -1;
      if (end > 0) {
        sink.match(start, end);
        lastEnd = end;
        at = s.indexOf('@', end);
      } else {
        at = s.indexOf('@', at + 1);
      }
    }
  }

  private static boolean isLocalPart(char c) {
    return isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
        || (c >= 0x80 && Character.isLetterOrDigit(c));
  }

  /** End of a plausible domain (at least two labels, alphabetic TLD of 2+ letters) starting at i, else -1. */
  private static int domainEnd(String s, int i) {
    int n = s.length();
    int from = i;
    int best = -1;
    int labels = 0;
    while (i < n && i - from < 255) {
      int labelStart = i;
      boolean alphaOnly = true;
      while (i < n && i - labelStart < 63 && (isDomainChar(s.charAt(i)))) {
        alphaOnly &= Character.isLetter(s.charAt(i));
        i++;
      }
      if (i == labelStart || s.charAt(labelStart) == '-') {
        break;
      }
      labels++;
      if (labels >= 2 && alphaOnly && i - labelStart >= 2) {
        best = i;
      }
      if (i + 1 < n && s.charAt(i) == '.' && isDomainChar(s.charAt(i + 1)) && s.charAt(i + 1) != '-') {
        i++;
      } else {
        break;
      }
    }
    return best;
  }

  private static boolean isDomainChar(char c) {
    return isAsciiAlnum(c) || c == '-' || (c >= 0x80 && Character.isLetterOrDigit(c));
  }

  // ------------------------------------------------------------------ card numbers

  private static final int MAX_CARD_DIGITS = 19;
  private static final int MIN_CARD_DIGITS = 13;
  /** Digit groups longer than this are masked whole instead of checking every window. */
  private static final int MAX_WINDOWED_GROUP = 1_000;

  /**
   * Runs of 13-19 digits, optionally grouped by single spaces or dashes, that pass the Luhn check. A run that
   * is longer (a quantity next to a card, two cards concatenated) is checked span by span.
   */
  static void cardNumbers(String s, Sink sink) {
    if (!hasDigits(s, MIN_CARD_DIGITS)) {
      return;
    }
    int n = s.length();
    int i = 0;
    int[] groups = null; // start,end pairs of digit groups in the current run
    while (i < n) {
      if (!isDigit(s.charAt(i))) {
        i++;
        continue;
      }
      int count = 0;
      int digits = 0;
      int j = i;
      while (true) {
        int g = j;
        while (j < n && isDigit(s.charAt(j))) {
          j++;
        }
        if (groups == null) {
          groups = new int[32];
        } else if (count * 2 + 2 > groups.length) {
          groups = java.util.Arrays.copyOf(groups, groups.length * 2);
        }
        groups[count * 2] = g;
        groups[count * 2 + 1] = j;
        count++;
        digits += j - g;
        if (j + 1 < n && (s.charAt(j) == ' ' || s.charAt(j) == '-') && isDigit(s.charAt(j + 1))) {
          j++;
        } else {
          break;
        }
      }
      if (digits >= MIN_CARD_DIGITS) {
        cardSpans(s, groups, count, digits, sink);
      }
      i = j;
    }
  }

  private static void cardSpans(String s, int[] groups, int count, int digits, Sink sink) {
    int runStart = groups[0];
    int runEnd = groups[count * 2 - 1];
    if (digits <= MAX_CARD_DIGITS && luhn(s, runStart, runEnd)) {
      sink.match(runStart, runEnd);
      return;
    }
    for (int a = 0; a < count; a++) {
      int groupLen = groups[a * 2 + 1] - groups[a * 2];
      if (groupLen > MAX_CARD_DIGITS) {
        windows(s, groups[a * 2], groups[a * 2 + 1], sink);
        continue;
      }
      int spanDigits = 0;
      for (int b = a; b < count; b++) {
        spanDigits += groups[b * 2 + 1] - groups[b * 2];
        if (spanDigits > MAX_CARD_DIGITS) {
          break;
        }
        if (spanDigits >= MIN_CARD_DIGITS && (a != 0 || b != count - 1)
            && luhn(s, groups[a * 2], groups[b * 2 + 1])) {
          sink.match(groups[a * 2], groups[b * 2 + 1]);
        }
      }
    }
  }

  /** A single group of more than 19 digits: mask it whole if any 13-19 digit window is Luhn-valid. */
  private static void windows(String s, int start, int end, Sink sink) {
    if (end - start > MAX_WINDOWED_GROUP) {
      sink.match(start, end);
      return;
    }
    for (int a = start; a + MIN_CARD_DIGITS <= end; a++) {
      for (int len = MIN_CARD_DIGITS; len <= MAX_CARD_DIGITS && a + len <= end; len++) {
        if (luhn(s, a, a + len)) {
          sink.match(start, end);
          return;
        }
      }
    }
  }

  /** Luhn check over the digits in [start, end), separators ignored. */
  static boolean luhn(String s, int start, int end) {
    int sum = 0;
    boolean dbl = false;
    for (int i = end - 1; i >= start; i--) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        continue;
      }
      int d = c - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  // ------------------------------------------------------------------ IBAN

  /** Country code, check digits, then up to 30 letters/digits (groups of four may be space-separated), mod 97. */
  static void ibans(String s, Sink sink) {
    int n = s.length();
    int i = 0;
    while (i + 15 <= n) {
      if (isUpper(s.charAt(i)) && isUpper(s.charAt(i + 1)) && isDigit(s.charAt(i + 2))
          && isDigit(s.charAt(i + 3)) && (i == 0 || !isAsciiAlnum(s.charAt(i - 1)))) {
        int end = ibanEnd(s, i);
        if (end > 0) {
          sink.match(i, end);
          i = end;
          continue;
        }
      }
      i++;
    }
  }

  private static int ibanEnd(String s, int start) {
    int n = s.length();
    int count = 0;
    int best = -1;
    int j = start;
    int[] ends = new int[34 + 1];
    while (j < n && count < 34) {
      char c = s.charAt(j);
      if (isDigit(c) || isUpper(c)) {
        count++;
        j++;
        ends[count] = j;
      } else if (c == ' ' && count % 4 == 0 && j + 1 < n && (isDigit(s.charAt(j + 1))
          || isUpper(s.charAt(j + 1)))) {
        j++;
      } else {
        break;
      }
    }
    for (int len = count; len >= 15 && best < 0; len--) {
      int end = ends[len];
      if ((end == n || !isAsciiAlnum(s.charAt(end))) && mod97(s, start, end) == 1) {
        best = end;
      }
    }
    return best;
  }

  /** ISO 13616 check: move the first four characters to the end, letters become 10..35, remainder mod 97. */
  private static int mod97(String s, int start, int end) {
    int rem = 0;
    int skipped = 0;
    int firstFourEnd = start;
    for (int i = start; i < end && skipped < 4; i++) {
      if (s.charAt(i) != ' ') {
        skipped++;
      }
      firstFourEnd = i + 1;
    }
    for (int i = firstFourEnd; i < end; i++) {
      rem = mod97Step(rem, s.charAt(i));
    }
    for (int i = start; i < firstFourEnd; i++) {
      rem = mod97Step(rem, s.charAt(i));
    }
    return rem;
  }

  private static int mod97Step(int rem, char c) {
    if (c == ' ') {
      return rem;
    }
    if (isDigit(c)) {
      return (rem * 10 + (c - '0')) % 97;
    }
    int v = c - 'A' + 10;
    return (rem * 100 + v) % 97;
  }

  // ------------------------------------------------------------------ phone

  /**
   * E.164 (+ and 8-15 digits, separators allowed) or national numbers written with separators: 9-12 digits in
   * at least two groups, as in (415) 555-2671, 020 7946 0958, 01 23 45 67 89, 415.555.2671. Plain digit runs,
   * dates (2024-01-15 ...) and IPv4 addresses are not phones.
   */
  static void phones(String s, Sink sink) {
    if (!hasDigits(s, 8)) {
      return;
    }
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if ((c == '+' || c == '(' || isDigit(c)) && (i == 0 || phoneBoundary(s.charAt(i - 1)))) {
        int end = phoneEnd(s, i);
        if (end > 0) {
          sink.match(i, end);
          i = end;
          continue;
        }
      }
      i++;
    }
  }

  private static boolean phoneBoundary(char c) {
    return !isAsciiAlnum(c) && c != '+' && c != '-' && c != '.' && c != '/' && c != ':' && c != '_';
  }

  private static int phoneEnd(String s, int start) {
    int n = s.length();
    int j = start;
    boolean plus = s.charAt(j) == '+';
    if (plus) {
      j++;
    }
    boolean paren = false;
    boolean separated = false;
    char dotOrOther = 0;
    int groups = 0;
    int digits = 0;
    int first = 0;
    int second = 0;
    int maxInner = 0;
    int lastGroup = 0;
    int end = -1;
    if (j < n && s.charAt(j) == '(') {
      int g = ++j;
      while (j < n && isDigit(s.charAt(j))) {
        j++;
      }
      if (j == g || j - g > 5 || j >= n || s.charAt(j) != ')') {
        return -1;
      }
      paren = true;
      groups = 1;
      digits = j - g;
      first = digits;
      maxInner = digits;
      j++;
      if (j < n && (s.charAt(j) == ' ' || s.charAt(j) == '-' || s.charAt(j) == '.')) {
        j++;
      }
    }
    while (j < n) {
      int g = j;
      while (j < n && isDigit(s.charAt(j))) {
        j++;
      }
      int len = j - g;
      if (len == 0) {
        break;
      }
      groups++;
      digits += len;
      if (groups == 1) {
        first = len;
      } else if (groups == 2) {
        second = len;
      }
      maxInner = Math.max(maxInner, lastGroup);
      lastGroup = len;
      end = j;
      if (digits > 15) {
        return -1;
      }
      if (j + 1 < n && (s.charAt(j) == ' ' || s.charAt(j) == '-' || s.charAt(j) == '.')
          && isDigit(s.charAt(j + 1))) {
        separated = true;
        if (s.charAt(j) == '.') {
          dotOrOther = '.';
        }
        j++;
      } else {
        break;
      }
    }
    if (end < 0 || (end < n && (isAsciiAlnum(s.charAt(end))))) {
      return -1;
    }
    if (plus) {
      return digits >= 8 && digits <= 15 ? end : -1;
    }
    boolean shaped = (separated || paren) && groups >= 2 && digits >= 9 && digits <= 12 && maxInner <= 4
        && lastGroup <= 8;
    boolean date = first == 4 && second == 2;
    boolean ipv4 = dotOrOther == '.' && groups == 4 && first <= 3 && second <= 3 && maxInner <= 3
        && lastGroup <= 3;
    return shaped && !date && !ipv4 ? end : -1;
  }

  // ------------------------------------------------------------------ secrets

  /** AKIA (long-term) or ASIA (temporary) followed by 16 upper-case letters or digits. */
  static void awsKeys(String s, Sink sink) {
    awsKeys(s, "AKIA", sink);
    awsKeys(s, "ASIA", sink);
  }

  private static void awsKeys(String s, String prefix, Sink sink) {
    int i = s.indexOf(prefix);
    while (i >= 0) {
      int end = i + 20;
      if (end <= s.length() && (i == 0 || !isAsciiAlnum(s.charAt(i - 1)))
          && (end == s.length() || !isAsciiAlnum(s.charAt(end))) && upperAlnum(s, i + 4, end)) {
        sink.match(i, end);
        i = s.indexOf(prefix, end);
      } else {
        i = s.indexOf(prefix, i + 1);
      }
    }
  }

  private static boolean upperAlnum(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (!isDigit(c) && !isUpper(c)) {
        return false;
      }
    }
    return true;
  }

  /** A PEM private key block, from BEGIN to END (or to the end of the value when cut). */
  static void privateKeys(String s, Sink sink) {
    int i = s.indexOf("-----BEGIN ");
    while (i >= 0) {
      int headerEnd = s.indexOf("-----", i + 11);
      if (headerEnd < 0) {
        return;
      }
      if (!s.substring(i + 11, headerEnd).endsWith("PRIVATE KEY")) {
        i = s.indexOf("-----BEGIN ", headerEnd + 5);
        continue;
      }
      int endMarker = s.indexOf("-----END ", headerEnd + 5);
      int end = s.length();
      if (endMarker >= 0) {
        int close = s.indexOf("-----", endMarker + 9);
        end = close < 0 ? s.length() : close + 5;
      }
      sink.match(i, end);
      i = s.indexOf("-----BEGIN ", end);
    }
  }

  /** header.payload.signature in base64url whose header is a JSON object naming an "alg". */
  static void jwts(String s, Sink sink) {
    int i = s.indexOf("eyJ");
    while (i >= 0) {
      int end = -1;
      if (i == 0 || !isBase64Url(s.charAt(i - 1))) {
        int headerEnd = base64UrlRun(s, i);
        if (headerEnd < s.length() && s.charAt(headerEnd) == '.' && headerEnd - i <= 4096) {
          int payloadEnd = base64UrlRun(s, headerEnd + 1);
          if (payloadEnd > headerEnd + 1 && payloadEnd < s.length() && s.charAt(payloadEnd) == '.'
              && jwtHeader(s.substring(i, headerEnd))) {
            end = base64UrlRun(s, payloadEnd + 1);
          }
        }
      }
      if (end > 0) {
        sink.match(i, end);
        i = s.indexOf("eyJ", end);
      } else {
        i = s.indexOf("eyJ", i + 1);
      }
    }
  }

  private static boolean jwtHeader(String part) {
    try {
      String json = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8).strip();
      return json.startsWith("{") && json.contains("\"alg\"");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int base64UrlRun(String s, int i) {
    while (i < s.length() && isBase64Url(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isBase64Url(char c) {
    return isAsciiAlnum(c) || c == '-' || c == '_';
  }

  /** Credential key names, lower case with '_' and '-' removed (api_key, api-key and apikey are one). */
  private static final java.util.Set<String> CREDENTIAL_KEYS = java.util.Set.of("password", "passwd", "pwd",
      "secret", "clientsecret", "apikey", "accesskey", "secretkey", "privatekey", "authtoken", "accesstoken",
      "token");
  private static final int MAX_SECRET_VALUE = 512;

  /**
   * Credentials written as key=value, key: value or "key": "value": only the value is reported. Works from each
   * '=' or ':' backwards to the key, so values without either character cost one indexOf each.
   */
  static void assignments(String s, Sink sink) {
    int n = s.length();
    int from = 0;
    while (from < n) {
      int eq = s.indexOf('=', from);
      int colon = s.indexOf(':', from);
      int op = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
      if (op < 0) {
        return;
      }
      from = op + 1;
      if (!credentialKeyBefore(s, op)) {
        continue;
      }
      int v = op + 1;
      while (v < n && (s.charAt(v) == ' ' || s.charAt(v) == '\t')) {
        v++;
      }
      if (v < n && (s.charAt(v) == '"' || s.charAt(v) == '\'')) {
        v++;
      }
      int end = v;
      while (end < n && end - v < MAX_SECRET_VALUE && !endsSecretValue(s.charAt(end))) {
        end++;
      }
      if (end > v) {
        sink.match(v, end);
        from = end;
      }
    }
  }

  private static boolean credentialKeyBefore(String s, int op) {
    int k = op - 1;
    while (k >= 0 && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
      k--;
    }
    if (k >= 0 && (s.charAt(k) == '"' || s.charAt(k) == '\'')) {
      k--;
    }
    int end = k + 1;
    while (k >= 0 && end - k <= 16 && (isAsciiAlnum(s.charAt(k)) || s.charAt(k) == '_' || s.charAt(k) == '-')) {
      k--;
    }
    int start = k + 1;
    if (start == end || (k >= 0 && (isAsciiAlnum(s.charAt(k)) || s.charAt(k) == '_'))) {
      return false; // no key, or a longer word such as "mypassword"
    }
    StringBuilder key = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c != '_' && c != '-') {
        key.append(Character.toLowerCase(c));
      }
    }
    return CREDENTIAL_KEYS.contains(key.toString());
  }

  private static boolean endsSecretValue(char c) {
    return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '&' || c == ';' || c == ',';
  }

  // ------------------------------------------------------------------ helpers

  /** Whether s holds at least {@code min} ASCII digits (stops counting as soon as it knows). */
  static boolean hasDigits(String s, int min) {
    int count = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9' && ++count >= min) {
        return true;
      }
    }
    return false;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isAsciiAlnum(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'z') || isUpper(c);
  }
}
