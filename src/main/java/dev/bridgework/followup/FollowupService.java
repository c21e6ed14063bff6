package dev.bridgework.followup;

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
 * Follow-ups: what a person asked themselves to come back to (a step that looks back "in a week"),
 * and the offers they make to themselves in the "data" practice, each with a due date and done or
 * not yet. Private work like parts: sealed in the owner's browser with AAD {@code followup/<id>};
 * even the due date is inside the envelope, so the server cannot tell when anything is due.
 */
public final class FollowupService {
  static final String COLLECTION = "followups";

  private final OwnedCollection followups;
  private final SelfEvents events;

  public FollowupService(MongoClient mongo, Vault vault, EventLog events, Clock clock) {
    this.followups = new OwnedCollection(mongo, vault, clock, COLLECTION, "followup", List.of(), List.of());
    this.events = new SelfEvents(events, this.followups, "followup.saved", "followup.deleted");
  }

  public OwnedCollection collection() {
    return followups;
  }

  public Future<Void> createIndexes() {
    return followups.createIndexes(List.of(new JsonObject().put("ownerId", 1).put("createdAt", -1).put("_id", -1)));
  }

  Future<OwnedCollection.Saved> save(String ownerId, String id, FollowupInput input) {
    return followups.save(ownerId, id, input.version(), true, stored -> Future.succeededFuture(input.content()))
        .compose(saved -> events.saved(id).map(saved));
  }

  Future<JsonObject> item(String ownerId, String id) {
    return followups.find(ownerId, id).map(item -> {
      if (item == null) throw ApiException.notFound();
      return item;
    });
  }

  Future<JsonObject> list(String ownerId) {
    return followups.list(ownerId, doc -> true, OwnedCollection.newestFirst("createdAt"), 0)
        .map(list -> new JsonObject().put("followups", new JsonArray(list)));
  }

  Future<Void> delete(String ownerId, String id) {
    return events.delete(ownerId, id).compose(deleted -> deleted ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.notFound()));
  }

  public Future<JsonArray> exportOf(String userId) {
    return followups.exportOf(userId);
  }

  public Future<Void> eraseAll(String userId) {
    return followups.eraseAll(userId);
  }
}
