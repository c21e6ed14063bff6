package dev.bridgework.cache;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One node's cache of one kind of record (sessions, memberships, couples, data keys), filled on a
 * miss and emptied by {@link NodeCaches#invalidate} on every node of the cluster before the request
 * that changed the record is answered (docs/PERFORMANCE.md "Per-node caches").
 *
 * <p>A fill that raced with an invalidation is not kept: a read that started before the record was
 * changed may answer the old record after the invalidation has already run here, so every fill
 * remembers the cache's generation when its read started and stores its answer only if no
 * invalidation happened meanwhile. Entries also live at most {@code ttl}, which bounds what a node
 * could serve if an invalidation ever did not reach it (a request whose invalidation was not
 * acknowledged by every node fails, see {@link NodeCaches}). Only found records are cached, never
 * "there is none".
 */
public final class LocalCache<V> {
  private record Entry<V>(V value, long expiresAtNanos) {}

  private final String name;
  private final long ttlNanos;
  private final int maxEntries;
  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
  /** Bumped by every invalidation; a fill started under an older generation is dropped. */
  private final AtomicLong generation = new AtomicLong();

  LocalCache(String name, Duration ttl, int maxEntries) {
    this.name = name;
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
  }

  public String name() {
    return name;
  }

  /** False when {@code cache.ttl} is 0: every lookup goes to the database. */
  public boolean enabled() {
    return ttlNanos > 0;
  }

  /** The cached value, or null. */
  public V get(String key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) return null;
    if (System.nanoTime() - entry.expiresAtNanos() >= 0) {
      entries.remove(key, entry);
      return null;
    }
    return entry.value();
  }

  /** The cached value, else {@code load}'s answer, kept when it is not null and nothing was invalidated meanwhile. */
  public Future<V> get(String key, Supplier<Future<V>> load) {
    V cached = get(key);
    if (cached != null) return Future.succeededFuture(cached);
    if (!enabled()) return load.get();
    long before = generation.get();
    return load.get().onSuccess(value -> {
      if (value != null) put(key, value, before);
    });
  }

  /** Keeps a value read (or written) while the cache was at generation {@code before}. */
  public void put(String key, V value, long before) {
    if (!enabled() || value == null) return;
    // Bounded: a node with more live records than this simply starts over (they are read again on use).
    if (entries.size() >= maxEntries) entries.clear();
    entries.put(key, new Entry<>(value, System.nanoTime() + ttlNanos));
    // An invalidation that ran between the read and now may have missed this entry: take it back out.
    if (generation.get() != before) entries.remove(key);
  }

  /** The generation to pass to {@link #put} for a value about to be read. */
  public long generation() {
    return generation.get();
  }

  /** Forgets these keys on this node only (the cluster-wide form is {@link NodeCaches#invalidate}). */
  void forget(Collection<String> keys) {
    generation.incrementAndGet();
    keys.forEach(entries::remove);
  }

  /** Forgets everything on this node. */
  void clear() {
    generation.incrementAndGet();
    entries.clear();
  }

  public int size() {
    return entries.size();
  }
}
