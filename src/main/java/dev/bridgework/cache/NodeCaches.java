package dev.bridgework.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's caches, and the cluster-wide invalidation that keeps them honest
 * (docs/PERFORMANCE.md "Per-node caches"). Every node consumes an address of its own,
 * {@code bw.cache.<nodeId>}; {@link #invalidate} forgets the keys here, then sends them to every
 * other node of the cluster and succeeds only when each has answered that it forgot them too. So a
 * request that logs out, dissolves, deletes an account or destroys a key is answered only after no
 * node can serve the old record any more.
 *
 * <p>A node that does not answer within {@code ackTimeout} fails the invalidation
 * ({@link NotAcknowledgedException}, answered 503 so the client retries, which invalidates again):
 * the change is stored, but this request may not claim it took effect everywhere. Such a node
 * forgets its entries after {@code cache.ttl} at the latest. A node without the consumer (still
 * starting, or shutting down) is not serving requests: its own consumer is registered, cluster
 * wide, before its HTTP server starts, and removed after it stops.
 */
public final class NodeCaches {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCaches.class);
  private static final String PREFIX = "bw.cache.";
  /** Records a node keeps per cache before it starts over (a few hundred bytes each). */
  private static final int MAX_ENTRIES = 100_000;

  private final Vertx vertx;
  private final Duration ttl;
  private final Duration ackTimeout;
  private final Map<String, LocalCache<?>> caches = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public NodeCaches(Vertx vertx, Duration ttl, Duration ackTimeout) {
    this.vertx = vertx;
    this.ttl = ttl;
    this.ackTimeout = ackTimeout;
  }

  /** Caches that never keep anything (tools and tests that wire services by hand). */
  public static NodeCaches none() {
    return new NodeCaches(null, Duration.ZERO, Duration.ofSeconds(1));
  }

  /** The cache called {@code name} (one per kind of record). */
  @SuppressWarnings("unchecked")
  public <V> LocalCache<V> cache(String name) {
    return (LocalCache<V>) caches.computeIfAbsent(name, n -> new LocalCache<V>(n, ttl, MAX_ENTRIES));
  }

  private ClusterManager clusterManager() {
    return vertx != null && vertx.isClustered() ? ((VertxInternal) vertx).clusterManager() : null;
  }

  private String nodeId() {
    ClusterManager cluster = clusterManager();
    return cluster == null ? "local" : cluster.getNodeId();
  }

  /** Starts answering other nodes' invalidations; completes once that is known cluster-wide (before serving). */
  public Future<Void> start() {
    // One Application per Vert.x instance (one node): its caches answer for the node.
    consumer = vertx.eventBus().consumer(PREFIX + nodeId());
    consumer.handler(message -> {
      forgetHere(message.body());
      message.reply(null);
    });
    return consumer.completion();
  }

  /** Stops answering; the caches are emptied (nothing here may be trusted once invalidations stop arriving). */
  public Future<Void> close() {
    caches.values().forEach(LocalCache::clear);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void forgetHere(JsonObject message) {
    LocalCache<?> cache = caches.get(message.getString("cache"));
    if (cache == null) return;
    List<String> keys = new ArrayList<>();
    message.getJsonArray("keys", new JsonArray()).forEach(k -> keys.add((String) k));
    cache.forget(keys);
  }

  /** As {@link #invalidate(String, Collection)} for one key. */
  public Future<Void> invalidate(String cache, String key) {
    return invalidate(cache, List.of(key));
  }

  /**
   * Forgets {@code keys} of {@code cache} on this node and on every other node of the cluster;
   * succeeds once every node has acknowledged. Call it after the database write it follows.
   */
  public Future<Void> invalidate(String cache, Collection<String> keys) {
    if (keys.isEmpty()) return Future.succeededFuture();
    JsonObject message = new JsonObject().put("cache", cache).put("keys", new JsonArray(new ArrayList<>(keys)));
    forgetHere(message);
    ClusterManager cluster = clusterManager();
    if (cluster == null) return Future.succeededFuture();
    String self = cluster.getNodeId();
    List<Future<Void>> acks = new ArrayList<>();
    for (String node : cluster.getNodes()) {
      if (!node.equals(self)) acks.add(acknowledged(node, message));
    }
    return Future.all(acks).mapEmpty();
  }

  private Future<Void> acknowledged(String node, JsonObject message) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(Math.max(1, ackTimeout.toMillis()));
    Promise<Void> done = Promise.promise();
    vertx.eventBus().request(PREFIX + node, message, options).onComplete(ar -> {
      if (ar.succeeded()) {
        done.complete();
      } else if (ar.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
        // No consumer: the node is starting or stopping, and serves nothing from a cache meanwhile.
        done.complete();
      } else {
        LOG.warn("Node {} did not acknowledge a cache invalidation ({}): {}", node, message.getString("cache"), ar.cause().toString());
        done.fail(new NotAcknowledgedException(node, ar.cause()));
      }
    });
    return done.future();
  }

  /** A node did not confirm that it forgot a changed record; the request is answered 503 and may be retried. */
  public static final class NotAcknowledgedException extends RuntimeException {
    NotAcknowledgedException(String node, Throwable cause) {
      super("cache invalidation not acknowledged by node " + node, cause);
    }
  }
}
