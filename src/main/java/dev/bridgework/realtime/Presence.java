package dev.bridgework.realtime;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Who is online, cluster-wide, without shared counters that a dying node would leave wrong.
 *
 * <p>Each node counts its own sockets per user. While a user has at least one socket on a node,
 * that node has a consumer on {@code bw.online.<userId>}; the event bus's registry (Hazelcast
 * when clustered) is therefore the list of nodes the user is online on, and the cluster manager
 * drops a dead node's registrations by itself. "Is the user online?" is a request to that
 * address: an answer means yes, "no handlers" means no.
 *
 * <p>When a node's first socket of a user opens, it asks first whether the user is already
 * online elsewhere, and only if not tells the couple ({@code presence} online); when its last
 * socket closes it unregisters, then asks again, and only if nobody answers tells the couple
 * offline. Two nodes racing can at worst announce the same state twice; connections forward only
 * changes, and re-check their partner at every sweep.
 *
 * <p>All state lives on one context, so it needs no locks; sockets on any event loop call in.
 */
final class Presence {
  static final String ONLINE = "bw.online.";

  private final EventBus bus;
  private final Context context;
  private final DeliveryOptions ask;
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<String, MessageConsumer<Object>> registrations = new HashMap<>();
  private final Map<String, Future<Void>> work = new HashMap<>();

  Presence(Vertx vertx, Context context, Duration timeout) {
    this.bus = vertx.eventBus();
    this.context = context;
    this.ask = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /** The ephemeral channel of a couple: presence and focus, never stored or numbered. */
  static String channel(String coupleId) {
    return "bw.live.couple." + coupleId;
  }

  /** A socket of {@code userId} opened; {@code coupleId} is who to tell if the user just came online. */
  void connected(String userId, String coupleId) {
    context.runOnContext(v -> {
      if (counts.merge(userId, 1, Integer::sum) == 1) serialize(userId, () -> settle(userId, coupleId));
    });
  }

  /** A socket of {@code userId} closed; {@code coupleId} is its couple when it closed. */
  void disconnected(String userId, String coupleId) {
    context.runOnContext(v -> {
      int left = counts.merge(userId, -1, Integer::sum);
      if (left <= 0) {
        counts.remove(userId);
        serialize(userId, () -> settle(userId, coupleId));
      }
    });
  }

  /** Whether the user has a socket on any node. Never fails: no answer in time counts as offline. */
  Future<Boolean> isOnline(String userId) {
    if (userId == null) return Future.succeededFuture(false);
    return bus.request(ONLINE + userId, null, ask)
        .map(reply -> Boolean.TRUE.equals(reply.body()))
        .otherwise(false);
  }

  /** Makes the registration match the local count, announcing a change of the user's overall state. */
  private Future<Void> settle(String userId, String coupleId) {
    boolean here = counts.getOrDefault(userId, 0) > 0;
    MessageConsumer<Object> registration = registrations.get(userId);
    if (here && registration == null) {
      return isOnline(userId).compose(elsewhere -> {
        MessageConsumer<Object> consumer = bus.consumer(ONLINE + userId,
            m -> m.reply(counts.getOrDefault(userId, 0) > 0));
        registrations.put(userId, consumer);
        return consumer.completion().map(v -> {
          if (!elsewhere) announce(userId, coupleId, true);
          return null;
        });
      });
    }
    if (!here && registration != null) {
      registrations.remove(userId);
      return registration.unregister()
          .compose(v -> isOnline(userId))
          .map(elsewhere -> {
            if (!elsewhere && counts.getOrDefault(userId, 0) == 0) announce(userId, coupleId, false);
            return null;
          });
    }
    return Future.succeededFuture();
  }

  private void announce(String userId, String coupleId, boolean online) {
    if (coupleId == null) return;
    bus.publish(channel(coupleId), new JsonObject().put("type", "presence").put("coupleId", coupleId)
        .put("userId", userId).put("online", online));
  }

  /** Runs one user's steps one after another, so a quick close-and-reopen cannot interleave them. */
  private void serialize(String userId, Supplier<Future<Void>> step) {
    Future<Void> previous = work.getOrDefault(userId, Future.succeededFuture());
    Future<Void> next = previous.transform(ignored -> step.get()).otherwiseEmpty();
    work.put(userId, next);
    next.onComplete(ignored -> {
      if (work.get(userId) == next) work.remove(userId);
    });
  }

  /** Drops every registration (shutdown). */
  Future<Void> close() {
    return Future.future(p -> context.runOnContext(v -> {
      var all = registrations.values().stream().map(MessageConsumer::unregister).toList();
      registrations.clear();
      counts.clear();
      Future.join(all).onComplete(ignored -> p.complete());
    }));
  }
}
