package dev.bridgework.storage;

import com.mongodb.MongoException;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A collection of private, versioned resources with client-chosen ids, each visible to its owner
 * only: reflections, parts, check-ins. It is the one place where their text is sealed and opened,
 * and where the contract's {@code PUT} rules live (API.md "General" and "Private work"):
 * <ul>
 *   <li>create by id: 201 with version 1; a {@code PUT} whose content equals what is stored answers
 *       the stored resource, whatever version it carries, and changes nothing;</li>
 *   <li>an update names the version the client last saw; a stale one is a 409 with {@code current};
 *       each real change adds 1, atomically ({@code findOneAndUpdate} on {@code _id, ownerId,
 *       version}), so two devices never silently overwrite each other;</li>
 *   <li>an id that belongs to someone else is a 404 and nothing changes: {@code _id} is unique, so a
 *       create racing a stranger's fails with 11000 and the owner check runs again.</li>
 * </ul>
 *
 * <p>Stored shape: {@code {_id, ownerId, version, createdAt, updatedAt, <plain fields>, sealed}}.
 * Plain fields are ids, enums, numbers and times (they are filtered and sorted on); every other
 * content field is people's text and lives in {@code sealed}, one AES-GCM value under the owner's
 * data key.
 *
 * <p>Lookups go by {@code _id} alone and the owner is compared here, because the embedded database
 * answers a query from an index only when the query's fields are exactly an index's fields. For the
 * same reason the atomic update and the delete filter on exactly {@code _id, ownerId, version},
 * which has its own (trivially) unique index, and lists go through the owner's {@link Directory}
 * (collection {@code <name>_lists}) and are filtered, sorted and cut here.
 */
public final class OwnedCollection {
  private static final Set<String> META = Set.of("id", "version", "createdAt", "updatedAt");

  private final MongoClient mongo;
  private final Vault vault;
  private final Clock clock;
  private final String collection;
  /** Content fields in the order resources show them. */
  private final List<String> fields;
  private final Set<String> plainFields;
  private final Directory directory;

  /** The answer to a {@code PUT}: the stored resource, whether it was created, and whether anything changed. */
  public record Saved(JsonObject resource, boolean created, boolean changed) {}

  /**
   * @param fields      the resource's content fields, in display order (without id, version and times)
   * @param plainFields those of them stored in clear; all others are sealed
   */
  public OwnedCollection(MongoClient mongo, Vault vault, Clock clock, String collection,
                         List<String> fields, Set<String> plainFields) {
    this.mongo = mongo;
    this.vault = vault;
    this.clock = clock;
    this.collection = collection;
    this.fields = List.copyOf(fields);
    this.plainFields = Set.copyOf(plainFields);
    this.directory = new Directory(mongo, collection + "_lists");
  }

  /** Newest first by a time field (an ISO-8601 string), then by id, as the contract sorts lists. */
  public static Comparator<JsonObject> newestFirst(String timeField) {
    Comparator<JsonObject> byTime = Comparator.comparing(doc -> doc.getString(timeField, ""));
    return byTime.thenComparing(doc -> doc.getString("_id", "")).reversed();
  }

  public String name() {
    return collection;
  }

  /**
   * The compare-and-set index, plus any list indexes a real MongoDB should use ({@code ownerId, ...});
   * and the owners' directory, built once for documents written before it existed.
   */
  public Future<Void> createIndexes(List<JsonObject> listIndexes) {
    Future<Void> cas = mongo.createIndexWithOptions(collection,
        new JsonObject().put("_id", 1).put("ownerId", 1).put("version", 1),
        new IndexOptions().unique(true).name("id_owner_version"));
    List<Future<Void>> all = new java.util.ArrayList<>(List.of(cas));
    for (JsonObject keys : listIndexes) {
      all.add(mongo.createIndexWithOptions(collection, keys, new IndexOptions()));
    }
    return Future.all(all).compose(v -> directory.build(collection, "ownerId"));
  }

  // ---- sealing: the only place this collection's text is encrypted or decrypted ----

  private JsonObject storedFields(DataKey key, JsonObject content) {
    JsonObject stored = new JsonObject();
    JsonObject secret = new JsonObject();
    for (String field : fields) {
      if (plainFields.contains(field)) {
        stored.put(field, content.getValue(field));
      } else {
        secret.put(field, content.getValue(field));
      }
    }
    return stored.put("sealed", key.sealJson(secret));
  }

  private JsonObject toResource(DataKey key, JsonObject doc) {
    JsonObject secret = doc.getString("sealed") == null ? new JsonObject() : key.openJson(doc.getString("sealed"));
    JsonObject resource = new JsonObject().put("id", doc.getString("_id"));
    for (String field : fields) {
      resource.put(field, plainFields.contains(field) ? doc.getValue(field) : secret.getValue(field));
    }
    return resource.put("version", doc.getLong("version")).put("createdAt", doc.getString("createdAt"))
        .put("updatedAt", doc.getString("updatedAt"));
  }

  /** The content part of a resource: what a {@code PUT} body sets, compared to decide "identical". */
  public static JsonObject contentOf(JsonObject resource) {
    JsonObject content = resource.copy();
    META.forEach(content::remove);
    return content;
  }

  // ---- reads ----

  /** The owner's resource, or null when absent or someone else's. */
  public Future<JsonObject> find(String ownerId, String id) {
    return vault.userKey(ownerId).compose(key -> mongo.findOne(collection, byId(id), null)
        .map(doc -> isOwned(doc, ownerId) ? toResource(key, doc) : null));
  }

  /** Which of these ids are the owner's (anything else, someone else's or absent, is left out). */
  public Future<Set<String>> ownedIds(String ownerId, Collection<String> ids) {
    if (ids.isEmpty()) return Future.succeededFuture(Set.of());
    JsonObject query = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(List.copyOf(ids))));
    return mongo.findWithOptions(collection, query, new FindOptions().setFields(new JsonObject().put("ownerId", 1)))
        .map(docs -> {
          Set<String> owned = new HashSet<>();
          for (JsonObject doc : docs) {
            if (isOwned(doc, ownerId)) owned.add(doc.getString("_id"));
          }
          return owned;
        });
  }

  /**
   * The owner's resources whose stored document matches {@code where} (on plain fields, the times
   * and {@code _id}), in {@code order}, at most {@code limit} (0: all), decrypted. With a limit the
   * sealed text of only that page is read: first the owner's documents without it, then the page.
   */
  public Future<List<JsonObject>> list(String ownerId, Predicate<JsonObject> where, Comparator<JsonObject> order, int limit) {
    JsonObject withoutText = limit > 0 ? new JsonObject().put("sealed", 0) : null;
    return vault.userKey(ownerId).compose(key -> directory.documents(collection, "ownerId", ownerId, withoutText)
        .compose(docs -> {
          List<JsonObject> chosen = docs.stream().filter(where).sorted(order).limit(limit > 0 ? limit : Long.MAX_VALUE).toList();
          if (withoutText == null) return Future.succeededFuture(chosen);
          JsonArray ids = new JsonArray();
          chosen.forEach(doc -> ids.add(doc.getString("_id")));
          return directory.byIds(collection, ids, null).map(full -> {
            // In the chosen order; one changed meanwhile is shown as it is now, one deleted is left out.
            Map<String, JsonObject> byId = new HashMap<>();
            full.stream().filter(doc -> isOwned(doc, ownerId)).forEach(doc -> byId.put(doc.getString("_id"), doc));
            return chosen.stream().map(doc -> byId.get(doc.getString("_id"))).filter(doc -> doc != null).toList();
          });
        })
        .map(docs -> docs.stream().map(doc -> toResource(key, doc)).toList()));
  }

  // ---- writes ----

  /**
   * Creates or updates {@code id} for its owner.
   *
   * @param version         the version the client last saw; null (or 0) when it believes it is creating
   * @param versionRequired whether changing an existing resource needs {@code version}; when false a
   *                        missing version means "last write wins" (check-ins), a given one is still checked
   * @param prepare         turns the stored content (null when creating) into the new content, validating
   *                        what depends on the stored state; it may fail with an {@link ApiException}
   */
  public Future<Saved> save(String ownerId, String id, Long version, boolean versionRequired,
                            Function<JsonObject, Future<JsonObject>> prepare) {
    return vault.userKey(ownerId).compose(key -> attempt(key, ownerId, id, version, versionRequired, prepare, true));
  }

  private Future<Saved> attempt(DataKey key, String ownerId, String id, Long version, boolean versionRequired,
                                Function<JsonObject, Future<JsonObject>> prepare, boolean mayRetry) {
    return mongo.findOne(collection, byId(id), null).compose(doc -> {
      if (doc != null && !isOwned(doc, ownerId)) return Future.failedFuture(ApiException.notFound());
      JsonObject current = doc == null ? null : toResource(key, doc);
      return prepare.apply(current == null ? null : contentOf(current)).compose(content -> {
        if (doc == null) {
          // A version means the client saw it stored once: it has been deleted since, so do not revive it.
          if (version != null && version > 0) return Future.failedFuture(ApiException.notFound());
          return insert(key, ownerId, id, content).recover(e -> {
            if (mayRetry && isDuplicateKey(e)) return attempt(key, ownerId, id, version, versionRequired, prepare, false);
            return Future.failedFuture(e);
          });
        }
        if (content.equals(contentOf(current))) return Future.succeededFuture(new Saved(current, false, false));
        long stored = doc.getLong("version");
        boolean stale = version == null ? versionRequired : version != stored;
        if (stale) return Future.failedFuture(ApiException.versionConflict(current));
        return compareAndSet(key, ownerId, id, stored, content).compose(updated -> {
          if (updated != null) return Future.succeededFuture(new Saved(updated, false, true));
          // Changed or deleted in between: decide again against what is stored now.
          if (mayRetry) return attempt(key, ownerId, id, version, versionRequired, prepare, false);
          return find(ownerId, id).compose(now -> now == null
              ? Future.failedFuture(ApiException.notFound())
              : Future.failedFuture(ApiException.versionConflict(now)));
        });
      });
    });
  }

  private Future<Saved> insert(DataKey key, String ownerId, String id, JsonObject content) {
    String now = Times.format(clock.instant());
    JsonObject doc = new JsonObject().put("_id", id).put("ownerId", ownerId).put("version", 1L)
        .put("createdAt", now).put("updatedAt", now).mergeIn(storedFields(key, content));
    return directory.add(ownerId, id)
        .compose(v -> mongo.insert(collection, doc))
        .map(v -> new Saved(toResource(key, doc), true, true));
  }

  private Future<JsonObject> compareAndSet(DataKey key, String ownerId, String id, long version, JsonObject content) {
    JsonObject set = storedFields(key, content).put("updatedAt", Times.format(clock.instant()));
    JsonObject update = new JsonObject().put("$set", set).put("$inc", new JsonObject().put("version", 1L));
    return mongo.findOneAndUpdateWithOptions(collection, casFilter(id, ownerId, version), update,
            new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
        .map(doc -> doc == null ? null : toResource(key, doc));
  }

  /** Deletes the owner's resource; false when it is absent or someone else's (nothing changes then). */
  public Future<Boolean> delete(String ownerId, String id) {
    return delete(ownerId, id, 3);
  }

  private Future<Boolean> delete(String ownerId, String id, int attemptsLeft) {
    return mongo.findOne(collection, byId(id), new JsonObject().put("ownerId", 1).put("version", 1)).compose(doc -> {
      if (!isOwned(doc, ownerId)) return Future.succeededFuture(false);
      return mongo.removeDocument(collection, casFilter(id, ownerId, doc.getLong("version"))).compose(result -> {
        if (result != null && result.getRemovedCount() > 0) return directory.remove(ownerId, id).map(true);
        // Saved from another device in between: look again (it may be gone already, then 404).
        return attemptsLeft > 1 ? delete(ownerId, id, attemptsLeft - 1)
            : Future.failedFuture(new IllegalStateException("delete kept racing with updates"));
      });
    });
  }

  /** Everything the owner has here, decrypted, newest first (for the data export). */
  public Future<JsonArray> exportOf(String ownerId) {
    return list(ownerId, doc -> true, newestFirst("createdAt"), 0).map(JsonArray::new);
  }

  /** Erases everything the owner has here (by owner, not by directory: nothing of theirs may stay behind). */
  public Future<Void> eraseAll(String ownerId) {
    return mongo.removeDocuments(collection, new JsonObject().put("ownerId", ownerId))
        .compose(v -> directory.drop(ownerId));
  }

  private static JsonObject byId(String id) {
    return new JsonObject().put("_id", id);
  }

  private static JsonObject casFilter(String id, String ownerId, long version) {
    return new JsonObject().put("_id", id).put("ownerId", ownerId).put("version", version);
  }

  private static boolean isOwned(JsonObject doc, String ownerId) {
    return doc != null && ownerId.equals(doc.getString("ownerId"));
  }

  private static boolean isDuplicateKey(Throwable e) {
    return e instanceof MongoException m && m.getCode() == 11000;
  }
}
