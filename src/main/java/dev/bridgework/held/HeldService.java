package dev.bridgework.held;

import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.SelfEvents;
import dev.bridgework.storage.OwnedCollection;
import dev.bridgework.storage.Vault;
import dev.bridgework.web.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.util.List;

/**
 * Held words: what a person is holding privately before it goes to their partner, sealed in their
 * browser with AAD {@code held/<id>} (docs/PROMPTS.md): an answer to a couple prompt being drafted
 * ({@code {type:"prompt", promptId, answers}}), or a share they chose to hold until they feel
 * calmer ({@code {type:"share", share:{…}, remindAt}}). A private collection like parts: the
 * server stores only the envelope and tells no one but its owner's own devices
 * ({@code held.saved}, {@code held.deleted} on the self stream).
 */
public final class HeldService {
  static final String COLLECTION = "held";

  private final OwnedCollection held;
  private final SelfEvents events;

  public HeldService(MongoClient mongo, Vault vault, EventLog events, Clock clock) {
    this.held = new OwnedCollection(mongo, vault, clock, COLLECTION, "held", List.of(), List.of());
    this.events = new SelfEvents(events, this.held, "held.saved", "held.deleted");
  }

  public OwnedCollection collection() {
    return held;
  }

  public Future<Void> createIndexes() {
    return held.createIndexes(List.of(new JsonObject().put("ownerId", 1).put("createdAt", -1).put("_id", -1)));
  }

  Future<OwnedCollection.Saved> save(String ownerId, String id, HeldInput input) {
    return held.save(ownerId, id, input.version(), true, stored -> Future.succeededFuture(input.content()))
        .compose(saved -> events.saved(id).map(saved));
  }

  Future<JsonObject> item(String ownerId, String id) {
    return held.find(ownerId, id).map(item -> {
      if (item == null) throw ApiException.notFound();
      return item;
    });
  }

  Future<JsonObject> list(String ownerId) {
    return held.list(ownerId, doc -> true, OwnedCollection.newestFirst("createdAt"), 0)
        .map(list -> new JsonObject().put("held", new JsonArray(list)));
  }

  Future<Void> delete(String ownerId, String id) {
    return events.delete(ownerId, id).compose(deleted -> deleted ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.notFound()));
  }

  public Future<JsonArray> exportOf(String userId) {
    return held.exportOf(userId);
  }

  public Future<Void> eraseAll(String userId) {
    return held.eraseAll(userId);
  }
}
