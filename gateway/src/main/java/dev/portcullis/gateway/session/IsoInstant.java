package dev.portcullis.gateway.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@link Instant#toString()}'s text (ISO-8601, fraction in groups of three digits, as many as it needs) without a
 * DateTimeFormatter run per call: the date and time of day are formatted once per second, for every request of it.
 */
final class IsoInstant {
  private record Second(long epochSecond, String dateAndTime) {}

  private static volatile Second current = new Second(Long.MIN_VALUE, "");

  private IsoInstant() {}

  static String format(Instant instant) {
    Second second = current;
    if (second.epochSecond() != instant.getEpochSecond()) {
      String whole = instant.truncatedTo(ChronoUnit.SECONDS).toString();
      second = new Second(instant.getEpochSecond(), whole.substring(0, whole.length() - 1));
      current = second;
    }
    int nano = instant.getNano();
    if (nano == 0) return second.dateAndTime() + 'Z';
    int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
    int fraction = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
    StringBuilder out = new StringBuilder(second.dateAndTime().length() + digits + 2).append(second.dateAndTime())
        .append('.');
    String figures = Integer.toString(fraction);
    out.append("000000000", 0, digits - figures.length()).append(figures);
    return out.append('Z').toString();
  }
}
