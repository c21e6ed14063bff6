package dev.bridgework.kept;

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
 * Kept words: what a person keeps of their own when a joint space ends (the text of their own
 * shares, their own review notes), as private work of theirs (API.md "The couple and the joint
 * space", {@code DELETE /api/couple}). The server writes them at dissolution, held under the
 * person's server-side key; their client seals them at its next sign-in, and from then on they are
 * private items like parts: sealed with AAD {@code kept/<id>}, readable by their owner alone.
 */
public final class KeptService {
  static final String COLLECTION = "kept";

  private final OwnedCollection kept;
  private final SelfEvents events;

  public KeptService(MongoClient mongo, Vault vault, EventLog events, Clock clock) {
    this.kept = new OwnedCollection(mongo, vault, clock, COLLECTION, "kept", List.of(), List.of());
    this.events = new SelfEvents(events, this.kept, "kept.saved", "kept.deleted");
  }

  public OwnedCollection collection() {
    return kept;
  }

  public Future<Void> createIndexes() {
    return kept.createIndexes(List.of(new JsonObject().put("ownerId", 1).put("createdAt", -1).put("_id", -1)));
  }

  /**
   * Holds these words for their owner under {@code id} until their client seals them; announced on
   * their self stream. Keeping the same id again changes nothing (a dissolution finished twice).
   */
  public Future<Void> keep(String ownerId, String id, JsonObject content) {
    // Stored with its event's mark; kept again (a dissolution finished twice), any owed event is completed.
    return kept.holdForOwner(ownerId, id, new JsonObject(), content).compose(v -> events.saved(id));
  }

  Future<OwnedCollection.Saved> save(String ownerId, String id, KeptInput input) {
    return kept.save(ownerId, id, input.version(), true, stored -> Future.succeededFuture(input.content()))
        .compose(saved -> events.saved(id).map(saved));
  }

  Future<JsonObject> item(String ownerId, String id) {
    return kept.find(ownerId, id).map(item -> {
      if (item == null) throw ApiException.notFound();
      return item;
    });
  }

  Future<JsonObject> list(String ownerId) {
    return kept.list(ownerId, doc -> true, OwnedCollection.newestFirst("createdAt"), 0)
        .map(list -> new JsonObject().put("kept", new JsonArray(list)));
  }

  Future<Void> delete(String ownerId, String id) {
    return events.delete(ownerId, id).compose(deleted -> deleted ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.notFound()));
  }

  public Future<JsonArray> exportOf(String userId) {
    return kept.exportOf(userId);
  }

  public Future<Void> eraseAll(String userId) {
    return kept.eraseAll(userId);
  }
}
