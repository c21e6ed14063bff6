package dev.bridgework.parts;

import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Stream;
import dev.bridgework.storage.OwnedCollection;
import dev.bridgework.storage.Vault;
import dev.bridgework.web.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The parts map: the inner Parts a person has met, private to them. Names and all text are sealed
 * with the owner's key; only {@code role} (an enum) is stored in clear.
 *
 * <p>Deleting a part leaves reflections untouched: a reflection's {@code part} answer keeps the id
 * of the deleted part and still reads fine (the web app shows it as "removed"). Rewriting
 * reflections would bump their versions behind the person's back and conflict with an open editor;
 * the id alone reveals nothing.
 */
public final class PartsService {
  private static final Logger LOG = LoggerFactory.getLogger(PartsService.class);
  static final String COLLECTION = "parts";

  private final OwnedCollection parts;
  private final EventLog events;

  public PartsService(MongoClient mongo, Vault vault, EventLog events, Clock clock) {
    this.parts = new OwnedCollection(mongo, vault, clock, COLLECTION, PartInput.FIELDS, Set.of("role"));
    this.events = events;
  }

  public Future<Void> createIndexes() {
    return parts.createIndexes(List.of(new JsonObject().put("ownerId", 1).put("createdAt", -1).put("_id", -1)));
  }

  Future<OwnedCollection.Saved> savePart(String ownerId, String id, PartInput input) {
    return parts.save(ownerId, id, input.version(), true, stored -> Future.succeededFuture(input.content()))
        .compose(saved -> saved.changed()
            ? announce(ownerId, "part.saved", saved.resource()).map(saved)
            : Future.succeededFuture(saved));
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
    return parts.delete(ownerId, id).compose(deleted -> {
      if (!deleted) return Future.failedFuture(ApiException.notFound());
      return announce(ownerId, "part.deleted", new JsonObject().put("id", id));
    });
  }

  /** Which of these ids are parts of this person (for reflections' {@code part} answers). */
  public Future<Set<String>> ownedIds(String ownerId, Collection<String> ids) {
    return parts.ownedIds(ownerId, ids);
  }

  public Future<JsonArray> exportOf(String userId) {
    return parts.exportOf(userId);
  }

  public Future<Void> eraseAll(String userId) {
    return parts.eraseAll(userId);
  }

  /**
   * Tells the owner's other devices. The change is already stored: if the event cannot be, the
   * answer still reports the saved part and the devices catch up through a stream reset.
   */
  private Future<Void> announce(String ownerId, String kind, JsonObject data) {
    return events.append(Stream.self(ownerId), kind, data).<Void>mapEmpty().recover(e -> {
      LOG.warn("Could not append {} to a self stream: {}", kind, e.toString());
      return Future.succeededFuture();
    });
  }
}
