package dev.portcullis.gateway.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves, so expiry needs no waiting. */
public final class MovableClock extends Clock {
  // Starts at the real time: reviews check a request's deadline against the real clock.
  public volatile Instant now = Instant.now();

  @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }

  @Override public Clock withZone(ZoneId zone) { return this; }

  @Override public Instant instant() { return now; }
}
