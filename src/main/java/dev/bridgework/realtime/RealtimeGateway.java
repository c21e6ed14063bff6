package dev.bridgework.realtime;

import dev.bridgework.auth.AuthService;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.auth.SessionStore;
import dev.bridgework.web.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/ws} (API.md "Real-time"; ARCHITECTURE.md "Components"). The handshake is checked
 * before the upgrade: the {@code Origin} by the {@code OriginGuard} ahead of this handler (Vert.x
 * does not check it), then the session cookie; only then does the request become a WebSocket, one
 * {@link Connection} each.
 *
 * <p>The gateway also keeps what concerns all sockets of this node: it closes a session's sockets
 * (4401) when the session ends ({@link AuthService#SESSION_ENDED}), and every
 * {@link RealtimeLimits#sweepInterval()} it re-checks what the event bus may have failed to say:
 * expired sessions, membership changes, stream heads (events the bus dropped) and partner presence.
 * The bus is best-effort; the event log and the database are the truth.
 */
public final class RealtimeGateway implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(RealtimeGateway.class);
  /** Sockets re-checked together in one step of a sweep. */
  private static final int SWEEP_BATCH = 50;
  /** The pause between two batches of a sweep. */
  private static final long SWEEP_PAUSE_MS = 20;

  private final Vertx vertx;
  private final SessionAuth sessionAuth;
  private final SessionStore sessions;
  private final EventLog log;
  private final Membership membership;
  private volatile RealtimeLimits limits;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private Context context;
  private Presence presence;
  private MessageConsumer<JsonObject> sessionEnded;
  private long sweepTimer = -1;

  final RealtimeMeters meters;

  public RealtimeGateway(Vertx vertx, SessionAuth sessionAuth, SessionStore sessions, EventLog log,
                         Membership membership, RealtimeLimits limits) {
    this(vertx, sessionAuth, sessions, log, membership, limits, RealtimeMeters.none());
  }

  public RealtimeGateway(Vertx vertx, SessionAuth sessionAuth, SessionStore sessions, EventLog log,
                         Membership membership, RealtimeLimits limits, RealtimeMeters meters) {
    this.meters = meters;
    meters.sockets(connections::size);
    this.vertx = vertx;
    this.sessionAuth = sessionAuth;
    this.sessions = sessions;
    this.log = log;
    this.membership = membership;
    this.limits = limits;
  }

  /** Listens for ended sessions and starts the periodic sweep, on a context of its own. */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    presence = new Presence(vertx, context, limits.presenceTimeout());
    return Future.<Void>future(p -> context.runOnContext(v -> {
      sessionEnded = vertx.eventBus().consumer(AuthService.SESSION_ENDED, m -> onSessionEnded(m.body()));
      scheduleSweep();
      sessionEnded.completion().onComplete(p);
    }));
  }

  /** Replaces the limits for sockets opened from now on (tests shorten timings with it). */
  public void limits(RealtimeLimits limits) {
    this.limits = limits;
    context.runOnContext(v -> {
      if (sweepTimer != -1) vertx.cancelTimer(sweepTimer);
      scheduleSweep();
    });
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // The upgrade is completed only after the session lookup; hold the request until then.
    request.pause();
    sessionAuth.authenticate(request).onComplete(ar -> {
      if (ar.failed()) {
        request.resume();
        ctx.fail(ar.cause());
        return;
      }
      if (ar.result() == null) {
        request.resume();
        ctx.fail(ApiException.unauthenticated());
        return;
      }
      if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
        request.resume();
        ctx.fail(new ApiException(400, "invalid", "This address speaks WebSocket only."));
        return;
      }
      String userId = ar.result().userId();
      String sessionKey = ar.result().sessionKey();
      request.toWebSocket().onSuccess(ws -> {
        Connection connection = new Connection(ws, Vertx.currentContext(), userId, sessionKey, vertx, log, membership,
            presence, this, limits);
        connections.add(connection);
        connection.open();
      }).onFailure(e -> {
        LOG.debug("WebSocket handshake failed: {}", e.toString());
        if (!ctx.response().ended() && !ctx.response().headWritten()) {
          ctx.fail(new ApiException(400, "invalid", "Not a valid WebSocket handshake."));
        }
      });
    });
  }

  void forget(Connection connection) {
    connections.remove(connection);
  }

  /** How many sockets are open on this node (for tests and health). */
  public int openSockets() {
    return connections.size();
  }

  /** How many sockets of this user are open on this node. */
  public long openSockets(String userId) {
    return connections.stream().filter(c -> c.userId.equals(userId)).count();
  }

  private void onSessionEnded(JsonObject message) {
    if (message == null) return;
    String key = message.getString("sessionKey");
    String user = message.getString("userId");
    for (Connection c : connections) {
      if ((key != null && key.equals(c.sessionKey)) || (user != null && user.equals(c.userId))) {
        c.closeFromAnywhere(Connection.SESSION_ENDED, "Session ended");
      }
    }
  }

  private void scheduleSweep() {
    sweepTimer = vertx.setTimer(limits.sweepInterval().toMillis(), id -> timedSweep().onComplete(ar -> {
      if (ar.failed()) LOG.warn("Real-time sweep failed: {}", ar.cause().toString());
      if (sweepTimer == id) scheduleSweep();
    }));
  }

  private Future<Void> timedSweep() {
    var sample = meters.sweepStarted();
    int sockets = connections.size();
    return sweep().andThen(ar -> meters.sweepFinished(sample, ar.succeeded(), sockets));
  }

  /**
   * One pass over this node's sockets: sessions gone or expired are closed (4401); each user's
   * couple, each stream's head and each partner's presence are read again and applied. Public so
   * tests can run it without waiting for the timer.
   */
  public Future<Void> sweep() {
    List<Connection> all = new ArrayList<>(connections);
    // Small batches one after the other with a short pause between them, so a sweep never floods
    // the database with thousands of lookups at once: live requests (a share being sent) would
    // queue behind them (the benchmark saw p99 jump from ~30 ms to ~800 ms with 2,000 sockets swept
    // at once). 10,000 sockets take about 200 batches, a few seconds of a 30-second interval.
    Future<Void> chain = Future.succeededFuture();
    Throwable[] firstFailure = new Throwable[1];
    for (int from = 0; from < all.size(); from += SWEEP_BATCH) {
      List<Connection> batch = all.subList(from, Math.min(all.size(), from + SWEEP_BATCH));
      boolean first = from == 0;
      chain = chain.compose(v -> first ? Future.<Void>succeededFuture() : vertx.timer(SWEEP_PAUSE_MS).<Void>mapEmpty())
          .compose(v -> sweep(batch).recover(e -> {
            if (firstFailure[0] == null) firstFailure[0] = e;
            return Future.succeededFuture();
          }));
    }
    return chain.compose(v -> firstFailure[0] == null ? Future.succeededFuture() : Future.failedFuture(firstFailure[0]));
  }

  private Future<Void> sweep(List<Connection> open) {
    if (open.isEmpty()) return Future.succeededFuture();
    Set<String> keys = new HashSet<>();
    Set<String> users = new HashSet<>();
    Map<String, Stream> streams = new HashMap<>();
    for (Connection c : open) {
      keys.add(c.sessionKey);
      users.add(c.userId);
    }
    return sessions.liveKeys(keys).compose(live -> {
      List<Connection> remaining = new ArrayList<>();
      for (Connection c : open) {
        if (live.contains(c.sessionKey)) {
          remaining.add(c);
        } else {
          c.closeFromAnywhere(Connection.SESSION_ENDED, "Session ended");
        }
      }
      return memberships(users).compose(couples -> {
        for (Connection c : remaining) {
          Optional<String> couple = couples.get(c.userId);
          if (couple != null) c.context.runOnContext(v -> c.membershipIs(couple.orElse(null)));
        }
        for (Connection c : remaining) {
          Stream s = c.selfStream();
          streams.put(s.id(), s);
          Stream cs = c.coupleStream();
          if (cs != null) streams.put(cs.id(), cs);
        }
        return log.heads(streams.values());
      }).map(heads -> {
        for (Connection c : remaining) c.context.runOnContext(v -> c.sweep(heads));
        return null;
      });
    });
  }

  /** Each user's couple (empty: not paired); a user whose lookup failed is left out, not unpaired. */
  private Future<Map<String, Optional<String>>> memberships(Collection<String> users) {
    Map<String, Optional<String>> couples = new ConcurrentHashMap<>();
    List<Future<?>> lookups = new ArrayList<>();
    for (String user : users) {
      lookups.add(membership.coupleIdOf(user).onSuccess(id -> couples.put(user, Optional.ofNullable(id))));
    }
    return Future.join(lookups).otherwise(ignored -> null).map(ignored -> couples);
  }

  /** Closes every socket (1001, going away) and stops listening. */
  public Future<Void> close() {
    if (context == null) return Future.succeededFuture();
    return Future.<Void>future(p -> context.runOnContext(v -> {
      if (sweepTimer != -1) vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
      for (Connection c : connections) c.closeFromAnywhere(Connection.GOING_AWAY, "Server is shutting down");
      Future<Void> unregistered = sessionEnded == null ? Future.succeededFuture() : sessionEnded.unregister();
      unregistered.transform(ignored -> presence.close()).onComplete(ignored -> p.complete());
    }));
  }
}
