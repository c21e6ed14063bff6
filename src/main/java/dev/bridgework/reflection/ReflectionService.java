package dev.bridgework.reflection;

import dev.bridgework.exercise.ExerciseCatalog;
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
import java.util.ArrayList;
import java.util.List;

/**
 * A person's reflections: their answers to an exercise, sealed in their browser and saved as they
 * type (autosave), synced to their own devices through the {@code self} stream. Only exerciseId and
 * status stay in clear, so lists can filter on them.
 */
public final class ReflectionService {
  static final String COLLECTION = "reflections";

  private final OwnedCollection reflections;
  private final ExerciseCatalog catalog;
  private final SelfEvents events;

  public ReflectionService(MongoClient mongo, Vault vault, EventLog events, Clock clock, ExerciseCatalog catalog) {
    this.reflections = new OwnedCollection(mongo, vault, clock, COLLECTION, "reflection",
        List.of("exerciseId", "status"), List.of());
    this.catalog = catalog;
    this.events = new SelfEvents(events, this.reflections, "reflection.saved", "reflection.deleted");
  }

  public Future<Void> createIndexes() {
    return reflections.createIndexes(List.of(
        new JsonObject().put("ownerId", 1).put("createdAt", -1).put("_id", -1),
        new JsonObject().put("ownerId", 1).put("status", 1).put("createdAt", -1).put("_id", -1),
        new JsonObject().put("ownerId", 1).put("exerciseId", 1).put("createdAt", -1).put("_id", -1)));
  }

  public ExerciseCatalog catalog() {
    return catalog;
  }

  public OwnedCollection collection() {
    return reflections;
  }

  Future<OwnedCollection.Saved> saveReflection(String ownerId, String id, ReflectionInput input) {
    return reflections.save(ownerId, id, input.version(), true, stored -> {
      if (stored != null && !input.exerciseId().equals(stored.getString("exerciseId"))) {
        throw ApiException.invalid("exerciseId", "A reflection cannot move to another exercise.");
      }
      return Future.succeededFuture(input.content());
    }).compose(saved -> events.saved(id).map(saved));
  }

  /**
   * The caller's own reflection (sealed), or null when it does not exist or is someone else's.
   * For other features, such as a share naming the reflection it came from.
   */
  public Future<JsonObject> findOwn(String ownerId, String id) {
    return reflections.find(ownerId, id);
  }
  Future<JsonObject> reflection(String ownerId, String id) {
    return reflections.find(ownerId, id).map(reflection -> {
      if (reflection == null) throw ApiException.notFound();
      return reflection;
    });
  }

  /** {@code {reflections:[...], next}}: one page, newest first; {@code next} is null on the last page. */
  Future<JsonObject> listReflections(String ownerId, ReflectionQuery query) {
    return reflections.list(ownerId, query.where(), ReflectionQuery.order(), query.limit() + 1).map(found -> {
      boolean more = found.size() > query.limit();
      List<JsonObject> page = more ? found.subList(0, query.limit()) : found;
      String next = null;
      if (more) {
        JsonObject last = page.get(page.size() - 1);
        next = new ReflectionQuery.Cursor(last.getString("createdAt"), last.getString("id")).encode();
      }
      return new JsonObject().put("reflections", new JsonArray(new ArrayList<>(page))).put("next", next);
    });
  }

  Future<Void> deleteReflection(String ownerId, String id) {
    return events.delete(ownerId, id).compose(deleted -> deleted ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.notFound()));
  }

  public Future<JsonArray> exportOf(String userId) {
    return reflections.exportOf(userId);
  }

  public Future<Void> eraseAll(String userId) {
    return reflections.eraseAll(userId);
  }
}
