package dev.portcullis.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

  @Test
  void writesWhatInstantToStringWrites() {
    List<Instant> instants = List.of(Instant.EPOCH, Instant.parse("2026-11-22T07:04:08Z"),
        Instant.parse("2026-11-22T07:04:08.482Z"), Instant.parse("2026-11-22T07:04:08.482100Z"),
        Instant.parse("2026-11-22T07:04:08.000001Z"), Instant.parse("2026-11-22T07:04:08.000000001Z"),
        Instant.parse("2026-11-22T07:04:08.100Z"), Instant.parse("1969-12-31T23:59:59.999999999Z"),
        Instant.parse("+12026-01-01T00:00:00.5Z"), Instant.parse("-0001-06-30T12:00:00.25Z"), Instant.now());
    for (Instant instant : instants) assertEquals(instant.toString(), IsoInstant.format(instant));
  }

  @Test
  void writesEverySecondAndFractionRight() {
    Random random = new Random(42);
    Instant base = Instant.parse("2026-11-22T07:04:08Z");
    for (int i = 0; i < 20_000; i++) {
      int nano = switch (i % 3) {
        case 0 -> random.nextInt(1_000) * 1_000_000;
        case 1 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = base.plusSeconds(random.nextInt(3)).plusNanos(nano);
      assertEquals(instant.toString(), IsoInstant.format(instant));
    }
  }
}
