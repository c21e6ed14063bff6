package dev.bridgework.soak;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients were told: every acknowledged write, by share. Each request is retried until it
 * gets an answer other than 503 (a stall) or a broken connection (a kill), as a client does, so
 * every write's outcome is known and the database must hold exactly what was acknowledged.
 */
final class Ledger {
  /** One share as its acknowledged writes left it. */
  static final class Entry {
    final String id;
    final String coupleId;
    final String authorId;
    long version;
    String title;
    boolean gone;
    boolean sawNotFound;
    final Set<String> responses = ConcurrentHashMap.newKeySet();

    Entry(String id, String coupleId, String authorId) {
      this.id = id;
      this.coupleId = coupleId;
      this.authorId = authorId;
    }
  }

  final Map<String, Entry> shares = new ConcurrentHashMap<>();
  /** Per couple, the shares it has (acknowledged, withdrawn ones stay listed). */
  final Map<String, List<String>> byCouple = new ConcurrentHashMap<>();

  final AtomicLong operations = new AtomicLong();
  final AtomicLong acknowledged = new AtomicLong();
  final AtomicLong conflicts = new AtomicLong();
  final AtomicLong notFound = new AtomicLong();
  final AtomicLong full = new AtomicLong();
  final AtomicLong unavailable = new AtomicLong();
  final AtomicLong unavailableInStall = new AtomicLong();
  final AtomicLong brokenConnections = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();
  final AtomicLong races = new AtomicLong();

  void created(String coupleId, String authorId, JsonObject share) {
    Entry e = new Entry(share.getString("id"), coupleId, authorId);
    e.version = share.getLong("version");
    e.title = share.getString("title");
    shares.put(e.id, e);
    byCouple.computeIfAbsent(coupleId, k -> new CopyOnWriteArrayList<>()).add(e.id);
    acknowledged.incrementAndGet();
  }

  /** An edit, response or flag answered with the share: the newest version's title is the one to keep. */
  void saved(String id, JsonObject share) {
    Entry e = shares.get(id);
    synchronized (e) {
      long version = share.getLong("version");
      if (version > e.version) {
        e.version = version;
        e.title = share.getString("title");
      }
    }
    acknowledged.incrementAndGet();
  }

  void responded(String id, String responseId, JsonObject share) {
    saved(id, share);
    shares.get(id).responses.add(responseId);
  }

  void withdrawn(String id) {
    Entry e = shares.get(id);
    synchronized (e) {
      e.gone = true;
    }
    acknowledged.incrementAndGet();
  }

  void notFound(String id) {
    Entry e = shares.get(id);
    synchronized (e) {
      e.sawNotFound = true;
    }
    notFound.incrementAndGet();
  }

  /** A share's live ids, newest last. */
  List<String> live(String coupleId) {
    return byCouple.getOrDefault(coupleId, List.of()).stream().filter(id -> !shares.get(id).gone).toList();
  }

  /** Compares the couple's stored shares with what was acknowledged; answers what differs. */
  List<String> differences(String coupleId, Map<String, JsonObject> stored) {
    List<String> wrong = new CopyOnWriteArrayList<>();
    for (String id : byCouple.getOrDefault(coupleId, List.of())) {
      Entry e = shares.get(id);
      JsonObject s = stored.get(id);
      if (e.gone && s != null) wrong.add(id + ": withdrawn (acknowledged) but stored");
      if (e.gone) continue;
      if (s == null) {
        wrong.add(id + ": acknowledged but missing" + (e.sawNotFound ? " (a request was told 404)" : ""));
        continue;
      }
      if (e.sawNotFound) wrong.add(id + ": a request was told 404 while it was stored");
      if (s.getLong("version") != e.version || !e.title.equals(s.getString("title"))) {
        wrong.add(id + ": stored v" + s.getLong("version") + " '" + s.getString("title") + "', acknowledged v" + e.version + " '" + e.title + "'");
      }
      Set<String> responses = ConcurrentHashMap.newKeySet();
      JsonArray rs = s.getJsonArray("responses", new JsonArray());
      rs.forEach(r -> responses.add(((JsonObject) r).getString("id")));
      if (!responses.equals(e.responses)) wrong.add(id + ": responses " + responses + ", acknowledged " + e.responses);
    }
    for (String id : stored.keySet()) {
      if (!shares.containsKey(id)) wrong.add(id + ": stored but never acknowledged");
    }
    return wrong;
  }
}
