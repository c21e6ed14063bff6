package dev.bridgework.parts;

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
 * The parts map: the inner Parts a person has met, private to them and sealed in their browser:
 * the server sees that a part exists, never its name, role or any of its text.
 *
 * <p>Deleting a part leaves reflections untouched: a reflection's {@code part} answer keeps the id
 * of the deleted part and still reads fine (the web app shows it as "removed").
 */
public final class PartsService {
  static final String COLLECTION = "parts";

  private final OwnedCollection parts;
  private final SelfEvents events;

  public PartsService(MongoClient mongo, Vault vault, EventLog events, Clock clock) {
    // Legacy parts kept their role in clear; sealing them again moves it into the envelope.
    this.parts = new OwnedCollection(mongo, vault, clock, COLLECTION, "part", List.of(), List.of("role"));
    this.events = new SelfEvents(events, this.parts, "part.saved", "part.deleted");
  }

  public OwnedCollection collection() {
    return parts;
  }

  public Future<Void> createIndexes() {
    return parts.createIndexes(List.of(new JsonObject().put("ownerId", 1).put("createdAt", -1).put("_id", -1)));
  }

  Future<OwnedCollection.Saved> savePart(String ownerId, String id, PartInput input) {
    return parts.save(ownerId, id, input.version(), true, stored -> Future.succeededFuture(input.content()))
        .compose(saved -> events.saved(id).map(saved));
  }
  Future<JsonObject> part(String ownerId, String id) {
    return parts.find(ownerId, id).map(part -> {
      if (part == null) throw ApiException.notFound();
      return part;
    });
  }

  /** {@code {parts:[...]}}, newest first. A parts map is small, so there is no paging. */
  Future<JsonObject> listParts(String ownerId) {
    return parts.list(ownerId, doc -> true, OwnedCollection.newestFirst("createdAt"), 0)
        .map(list -> new JsonObject().put("parts", new JsonArray(list)));
  }

  Future<Void> deletePart(String ownerId, String id) {
    return events.delete(ownerId, id).compose(deleted -> deleted ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.notFound()));
  }

  public Future<JsonArray> exportOf(String userId) {
    return parts.exportOf(userId);
  }

  public Future<Void> eraseAll(String userId) {
    return parts.eraseAll(userId);
  }
}
