package dev.bridgework.soak;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the database itself (not through the app, not through the stalling proxy): the couple
 * streams' stored events and the changes that still owe one. Kinds, numbers and ops are stored in
 * the clear (payloads are sealed), which is all these checks need.
 */
final class Audit implements AutoCloseable {
  private final MongoClient mongo;

  Audit(Vertx vertx, String uri) {
    this.mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", uri).put("db_name", "bridgework")
        .put("useObjectId", false));
  }

  /**
   * Per couple stream: the stored numbers are exactly 1..head (the counter), none missing, none
   * twice, and no change (op) was announced twice. Answers what is wrong.
   */
  List<String> streams(Set<String> coupleIds) {
    List<String> wrong = new ArrayList<>();
    Map<String, List<JsonObject>> byCouple = new HashMap<>();
    FindOptions fields = new FindOptions().setFields(new JsonObject().put("key", 1).put("seq", 1).put("op", 1).put("kind", 1).put("stream", 1));
    for (JsonObject e : mongo.findWithOptions("events", new JsonObject().put("stream", "couple"), fields).await()) {
      if (coupleIds.contains(e.getString("key"))) byCouple.computeIfAbsent(e.getString("key"), k -> new ArrayList<>()).add(e);
    }
    for (String couple : coupleIds) {
      JsonObject counter = mongo.findOne("streams", new JsonObject().put("_id", "c:" + couple), null).await();
      long head = counter == null ? 0 : counter.getLong("seq", 0L);
      List<JsonObject> events = byCouple.getOrDefault(couple, List.of());
      TreeSet<Long> seqs = new TreeSet<>();
      Set<String> ops = new HashSet<>();
      for (JsonObject e : events) {
        if (!seqs.add(e.getLong("seq"))) wrong.add(couple + ": seq " + e.getLong("seq") + " stored twice");
        String op = e.getString("op");
        if (op != null && !ops.add(op)) wrong.add(couple + ": op " + op + " (" + e.getString("kind") + ") announced twice");
      }
      if (seqs.size() != head || (!seqs.isEmpty() && (seqs.first() != 1 || seqs.last() != head))) {
        List<Long> missing = new ArrayList<>();
        for (long s = 1; s <= head && missing.size() < 10; s++) if (!seqs.contains(s)) missing.add(s);
        wrong.add(couple + ": head " + head + ", " + seqs.size() + " events stored, missing " + missing);
      }
    }
    return wrong;
  }

  /** Changes whose event is still owed: share documents carrying a marker, deletions not yet announced. */
  long owed() {
    List<JsonObject> shares = mongo.find("shares", new JsonObject()).await();
    Set<String> present = new HashSet<>();
    shares.forEach(d -> present.add(d.getString("_id")));
    long marked = shares.stream()
        .filter(d -> d.getJsonObject("pendingEvents") != null && !d.getJsonObject("pendingEvents").isEmpty()).count();
    // A deletion entry whose document is still there never happened (the sweep drops it); one whose document is gone owes its event.
    long deletions = mongo.find("pending_events", new JsonObject().put("deletion", true)).await().stream()
        .filter(d -> !d.getBoolean("done", false) && !present.contains(d.getString("doc"))).count();
    return marked + deletions;
  }

  /** The owed changes themselves (ids and markers only), for the failure message. */
  String owedDetail() {
    StringBuilder out = new StringBuilder();
    for (JsonObject d : mongo.find("shares", new JsonObject()).await()) {
      if (d.getJsonObject("pendingEvents") != null && !d.getJsonObject("pendingEvents").isEmpty()) {
        out.append(" share ").append(d.getString("_id")).append(' ').append(d.getJsonObject("pendingEvents").encode());
      }
    }
    for (JsonObject d : mongo.find("pending_events", new JsonObject()).await()) out.append(" entry ").append(d.encode());
    return out.toString();
  }

  /** How many events the couple streams hold (for the figures). */
  long events() {
    return mongo.count("events", new JsonObject().put("stream", "couple")).await();
  }

  @Override
  public void close() {
    mongo.close().await();
  }
}
