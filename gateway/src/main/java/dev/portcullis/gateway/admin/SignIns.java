package dev.portcullis.gateway.admin;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sign-ins: a random session id (the cookie) for the token the reviewer signed in with. The token is
 * verified again on every request, so a session ends when its token expires; the session itself lasts at most
 * {@link #MAX_AGE}.
 */
final class SignIns {
  static final Duration MAX_AGE = Duration.ofHours(8);
  private static final int MAX_SESSIONS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private record SignIn(String token, Instant until) {}

  private final Map<String, SignIn> byId = new ConcurrentHashMap<>();

  /** Starts a session for a verified token and returns its id. */
  String start(String token) {
    Instant now = Instant.now();
    byId.values().removeIf(s -> s.until().isBefore(now));
    if (byId.size() >= MAX_SESSIONS) throw new IllegalStateException("too many console sessions; try again later");
    String id = random(32);
    byId.put(id, new SignIn(token, now.plus(MAX_AGE)));
    return id;
  }

  /** The token of a live session, or null. */
  String token(String id) {
    if (id == null) return null;
    SignIn s = byId.get(id);
    if (s == null) return null;
    if (s.until().isBefore(Instant.now())) {
      byId.remove(id);
      return null;
    }
    return s.token();
  }

  void end(String id) {
    if (id != null) byId.remove(id);
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
