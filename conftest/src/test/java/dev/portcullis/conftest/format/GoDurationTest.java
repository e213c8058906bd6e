package dev.portcullis.conftest.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void printsDurationsAsGoDoes() {
    assertEquals("0s", GoDuration.format(0));
    assertEquals("512ns", GoDuration.format(512));
    assertEquals("1µs", GoDuration.format(1_000));
    assertEquals("1.5µs", GoDuration.format(1_500));
    assertEquals("1.234567ms", GoDuration.format(1_234_567));
    assertEquals("20ms", GoDuration.format(20_000_000));
    assertEquals("1s", GoDuration.format(1_000_000_000L));
    assertEquals("1.5s", GoDuration.format(1_500_000_000L));
    assertEquals("1m30.000000001s", GoDuration.format(90_000_000_001L));
    assertEquals("1h0m0s", GoDuration.format(3_600_000_000_000L));
    assertEquals("-2ms", GoDuration.format(-2_000_000));
  }
}
