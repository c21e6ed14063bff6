package dev.bridgework.app;

import dev.bridgework.auth.SessionStore;
import dev.bridgework.auth.Throttle;
import dev.bridgework.couple.CoupleRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Removes what has expired, every {@code housekeeping.interval}: sessions past their absolute
 * timeout, throttle windows that ended, invites that expired or were used. The embedded database
 * has no TTL expiry, so this is what keeps those collections small there; each sweep reads only
 * {@code _id} ranges or small collections (see each {@code sweep}). With {@code mongo.uri} set,
 * TTL indexes do the same and this only tidies up after them. Every node runs it; the removals are
 * idempotent.
 */
final class Housekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  private final Vertx vertx;
  private final Clock clock;
  private final SessionStore sessions;
  private final List<Throttle> throttles;
  private final CoupleRepository couples;
  private final Duration interval;
  private long timer = -1;

  Housekeeping(Vertx vertx, Clock clock, SessionStore sessions, List<Throttle> throttles, CoupleRepository couples,
               Duration interval) {
    this.vertx = vertx;
    this.clock = clock;
    this.sessions = sessions;
    this.throttles = List.copyOf(throttles);
    this.couples = couples;
    this.interval = interval;
  }

  void start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> sweep().onFailure(e -> LOG.warn("Housekeeping failed: {}", e.toString())));
  }

  /** One pass; public to tests through {@link Application#housekeeping()}. */
  Future<Void> sweep() {
    long now = clock.millis();
    Future<Void> chain = Future.succeededFuture();
    for (Throttle t : throttles) chain = chain.compose(v -> t.sweep().mapEmpty());
    return chain.compose(v -> sessions.sweep())
        .compose(n -> couples.sweepInvites(now))
        .mapEmpty();
  }

  void stop() {
    if (timer != -1) vertx.cancelTimer(timer);
  }
}
