package dev.portcullis.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesTheUnitsPeopleWrite() {
    assertEquals(Duration.ofMillis(50), Durations.parse("50ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(5), Durations.parse(" 5m "));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
  }

  @Test
  void refusesAnythingElseNamingTheForms() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 minutes"));
    assertEquals("'5 minutes' is not a duration (write e.g. 50ms, 30s, 5m, 1h)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("-1s"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
  }

  @Test
  void formatsTheShortestExactSpelling() {
    assertEquals("5m", Durations.format(Duration.ofMinutes(5)));
    assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("50ms", Durations.format(Duration.ofMillis(50)));
  }
}
