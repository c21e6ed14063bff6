package dev.bridgework.reflection;

import dev.bridgework.exercise.ExerciseCatalog;
import dev.bridgework.parts.PartsService;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A person's reflections: their answers to an exercise, saved as they type (autosave) and synced
 * to their own devices through the {@code self} stream. Answers are sealed with the owner's key;
 * exerciseId and status stay in clear so lists can filter on them.
 */
public final class ReflectionService {
  private static final Logger LOG = LoggerFactory.getLogger(ReflectionService.class);
  static final String COLLECTION = "reflections";

  private final OwnedCollection reflections;
  private final ExerciseCatalog catalog;
  private final PartsService parts;
  private final EventLog events;

  public ReflectionService(MongoClient mongo, Vault vault, EventLog events, Clock clock,
                           ExerciseCatalog catalog, PartsService parts) {
    this.reflections = new OwnedCollection(mongo, vault, clock, COLLECTION,
        List.of("exerciseId", "answers", "status"), Set.of("exerciseId", "status"));
    this.catalog = catalog;
    this.parts = parts;
    this.events = events;
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

  Future<OwnedCollection.Saved> saveReflection(String ownerId, String id, ReflectionInput input) {
    return reflections.save(ownerId, id, input.version(), true, stored -> prepare(ownerId, input, stored))
        .compose(saved -> saved.changed()
            ? announce(ownerId, "reflection.saved", saved.resource()).map(saved)
            : Future.succeededFuture(saved));
  }

  /**
   * Checks what depends on the stored state: a reflection stays with its exercise, and every part
   * answer names one of the caller's parts. A part answer that is unchanged from what is stored is
   * accepted even if that part has been deleted since, so autosave keeps working in an old reflection.
   */
  private Future<JsonObject> prepare(String ownerId, ReflectionInput input, JsonObject stored) {
    if (stored != null && !stored.getString("exerciseId").equals(input.exercise().id())) {
      throw ApiException.invalid("exerciseId", "A reflection cannot move to another exercise.");
    }
    JsonObject storedAnswers = stored == null ? new JsonObject() : stored.getJsonObject("answers");
    List<Map.Entry<String, String>> toCheck = new ArrayList<>();
    for (Map.Entry<String, String> answer : input.partAnswers().entrySet()) {
      if (!answer.getValue().equals(storedAnswers.getValue(answer.getKey()))) toCheck.add(answer);
    }
    if (toCheck.isEmpty()) return Future.succeededFuture(input.content());
    return parts.ownedIds(ownerId, toCheck.stream().map(Map.Entry::getValue).toList()).map(owned -> {
      for (Map.Entry<String, String> answer : toCheck) {
        if (!owned.contains(answer.getValue())) {
          throw ApiException.invalid("answers." + answer.getKey(), "Choose one of your own parts (or none).");
        }
      }
      return input.content();
    });
  }

  /**
   * The caller's own reflection (decrypted), or null when it does not exist or is someone else's.
   * For other features, such as a share quoting a reflection's steps.
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
    return reflections.delete(ownerId, id).compose(deleted -> {
      if (!deleted) return Future.failedFuture(ApiException.notFound());
      return announce(ownerId, "reflection.deleted", new JsonObject().put("id", id));
    });
  }

  public Future<JsonArray> exportOf(String userId) {
    return reflections.exportOf(userId);
  }

  public Future<Void> eraseAll(String userId) {
    return reflections.eraseAll(userId);
  }

  /**
   * Tells the owner's other devices. The change is already stored: if the event cannot be, the
   * answer still reports the saved reflection and the devices catch up through a stream reset.
   */
  private Future<Void> announce(String ownerId, String kind, JsonObject data) {
    return events.append(Stream.self(ownerId), kind, data).<Void>mapEmpty().recover(e -> {
      LOG.warn("Could not append {} to a self stream: {}", kind, e.toString());
      return Future.succeededFuture();
    });
  }
}
