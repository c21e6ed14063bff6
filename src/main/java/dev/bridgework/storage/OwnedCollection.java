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
 * only: reflections, parts, check-ins, kept words. Their content is sealed in the owner's browser
 * (API.md "End-to-end encryption of private work"): the server stores the envelope ({@code sealed})
 * next to the few plain fields it needs, and can open none of it. This is where the contract's
 * {@code PUT} rules live (API.md "General" and "Private work"):
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
 * Documents written before end-to-end encryption ("legacy") hold {@code sealed} as a string sealed
 * with the owner's server-side data key, and some content fields in clear ({@code legacyClearFields},
 * such as a part's role). Until the owner's client seals them again ({@link #unsealed}) they are
 * served with {@code "sealed": null, "legacy": true}; the update that seals them removes those clear
 * fields.
 *
 * <p>Lookups go by {@code _id} alone and the owner is compared here, because the embedded database
 * answers a query from an index only when the query's fields are exactly an index's fields. For the
 * same reason the atomic update and the delete filter on exactly {@code _id, ownerId, version},
 * which has its own (trivially) unique index, and lists go through the owner's {@link Directory}
 * (collection {@code <name>_lists}) and are filtered, sorted and cut here.
 */
public final class OwnedCollection {
  private static final Set<String> META = Set.of("id", "version", "createdAt", "updatedAt", "legacy");
  public static final String SEALED = "sealed";
  /** Marks a document held for its owner under a key of its own ({@link Vault#heldKey}). */
  private static final String HELD = "held";

  private final MongoClient mongo;
  private final Vault vault;
  private final Clock clock;
  private final String collection;
  private final String kind;
  /** Content fields stored in clear, in display order ({@code sealed} comes after them). */
  private final List<String> plainFields;
  /** Content fields legacy documents kept in clear that now belong inside the envelope. */
  private final List<String> legacyClearFields;
  private final Directory directory;
  /** Set by {@link #announcing}: every change then carries its self event's mark. */
  private PendingEvents pending;
  private String savedKind;

  /** The answer to a {@code PUT}: the stored resource, whether it was created, and whether anything changed. */
  public record Saved(JsonObject resource, boolean created, boolean changed) {}

  /**
   * @param kind              the envelope kind ({@code reflection}, {@code part}, ...), for unsealed items
   * @param plainFields       the content fields stored in clear besides {@code sealed}
   * @param legacyClearFields fields legacy documents stored in clear that belong inside the envelope now
   */
  public OwnedCollection(MongoClient mongo, Vault vault, Clock clock, String collection, String kind,
                         List<String> plainFields, List<String> legacyClearFields) {
    this.mongo = mongo;
    this.vault = vault;
    this.clock = clock;
    this.collection = collection;
    this.kind = kind;
    this.plainFields = List.copyOf(plainFields);
    this.legacyClearFields = List.copyOf(legacyClearFields);
    this.directory = new Directory(mongo, collection + "_lists");
  }

  /**
   * Makes every save carry a mark for its {@code savedKind} event on the owner's self stream, in
   * the same atomic write ({@link PendingEvents}); deletions are announced by the caller through
   * the outbox, which lists them before they happen.
   */
  public OwnedCollection announcing(PendingEvents pending, String savedKind) {
    this.pending = pending;
    this.savedKind = savedKind;
    return this;
  }

  /** A stored document as its owner's client receives it. */
  public JsonObject resourceOf(JsonObject doc) {
    return toResource(doc);
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

  // ---- shapes ----

  private JsonObject storedFields(JsonObject content) {
    JsonObject stored = new JsonObject();
    for (String field : plainFields) stored.put(field, content.getValue(field));
    return stored.put(SEALED, content.getJsonObject(SEALED));
  }

  private JsonObject toResource(JsonObject doc) {
    JsonObject resource = new JsonObject().put("id", doc.getString("_id"));
    for (String field : plainFields) resource.put(field, doc.getValue(field));
    Object sealed = doc.getValue(SEALED);
    resource.put(SEALED, sealed instanceof JsonObject envelope ? envelope : null);
    resource.put("version", doc.getLong("version")).put("createdAt", doc.getString("createdAt"))
        .put("updatedAt", doc.getString("updatedAt"));
    if (isLegacy(doc)) resource.put("legacy", true);
    return resource;
  }

  private static boolean isLegacy(JsonObject doc) {
    return doc.getValue(SEALED) instanceof String;
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
    return mongo.findOne(collection, byId(id), null).map(doc -> isOwned(doc, ownerId) ? toResource(doc) : null);
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
    JsonObject withoutText = limit > 0 ? new JsonObject().put(SEALED, 0) : null;
    return directory.documents(collection, "ownerId", ownerId, withoutText)
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
        .map(docs -> docs.stream().map(this::toResource).toList());
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
    return attempt(ownerId, id, version, versionRequired, prepare, true);
  }

  private Future<Saved> attempt(String ownerId, String id, Long version, boolean versionRequired,
                                Function<JsonObject, Future<JsonObject>> prepare, boolean mayRetry) {
    return mongo.findOne(collection, byId(id), null).compose(doc -> {
      if (doc != null && !isOwned(doc, ownerId)) return Future.failedFuture(ApiException.notFound());
      JsonObject current = doc == null ? null : toResource(doc);
      return prepare.apply(current == null ? null : contentOf(current)).compose(content -> {
        if (doc == null) {
          // A version means the client saw it stored once: it has been deleted since, so do not revive it.
          if (version != null && version > 0) return Future.failedFuture(ApiException.notFound());
          return insert(ownerId, id, content).recover(e -> {
            if (mayRetry && isDuplicateKey(e)) return attempt(ownerId, id, version, versionRequired, prepare, false);
            return Future.failedFuture(e);
          });
        }
        if (content.equals(contentOf(current))) return Future.succeededFuture(new Saved(current, false, false));
        long stored = doc.getLong("version");
        boolean stale = version == null ? versionRequired : version != stored;
        if (stale) return Future.failedFuture(ApiException.versionConflict(current));
        return compareAndSet(ownerId, id, stored, content).compose(updated -> {
          if (updated != null) {
            // The owner's client sealed what the server held for them: its key goes at once.
            Future<Void> erased = doc.getBoolean(HELD, false) ? vault.destroyHeldKey(id) : Future.succeededFuture();
            return erased.map(new Saved(updated, false, true));
          }
          // Changed or deleted in between: decide again against what is stored now.
          if (mayRetry) return attempt(ownerId, id, version, versionRequired, prepare, false);
          return find(ownerId, id).compose(now -> now == null
              ? Future.failedFuture(ApiException.notFound())
              : Future.failedFuture(ApiException.versionConflict(now)));
        });
      });
    });
  }

  private Future<Saved> insert(String ownerId, String id, JsonObject content) {
    return insertDocument(ownerId, id, storedFields(content)).map(doc -> new Saved(toResource(doc), true, true));
  }

  private Future<JsonObject> insertDocument(String ownerId, String id, JsonObject fields) {
    String now = Times.format(clock.instant());
    JsonObject doc = new JsonObject().put("_id", id).put("ownerId", ownerId).put("version", 1L)
        .put("createdAt", now).put("updatedAt", now).mergeIn(fields);
    if (pending == null) return directory.add(ownerId, id).compose(v -> mongo.insert(collection, doc)).map(doc);
    PendingEvents.Mark mark = pending.mark("self", ownerId, savedKind);
    return pending.register(collection, id, mark)
        .compose(v -> directory.add(ownerId, id))
        .compose(v -> mongo.insert(collection, PendingEvents.onInsert(doc.copy(), mark))
            .recover(e -> pending.unlist(mark.op()).transform(x -> Future.failedFuture(e))))
        .map(doc);
  }

  private Future<JsonObject> compareAndSet(String ownerId, String id, long version, JsonObject content) {
    JsonObject set = storedFields(content).put("updatedAt", Times.format(clock.instant()));
    JsonObject update = new JsonObject().put("$set", set).put("$inc", new JsonObject().put("version", 1L));
    // Sealing a legacy or held document takes its last clear content fields and its marker away.
    JsonObject unset = new JsonObject().put(HELD, "");
    legacyClearFields.forEach(field -> unset.put(field, ""));
    update.put("$unset", unset);
    if (pending == null) {
      return mongo.findOneAndUpdateWithOptions(collection, casFilter(id, ownerId, version), update,
              new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
          .map(doc -> doc == null ? null : toResource(doc));
    }
    PendingEvents.Mark mark = pending.mark("self", ownerId, savedKind);
    set.mergeIn(mark.set());
    return pending.register(collection, id, mark)
        .compose(v -> mongo.findOneAndUpdateWithOptions(collection, casFilter(id, ownerId, version), update,
            new FindOptions(), new UpdateOptions().setReturningNewDocument(true)))
        .compose(doc -> doc != null ? Future.succeededFuture(toResource(doc))
            : pending.unlist(mark.op()).map((JsonObject) null));
  }

  // ---- content the server still holds readable: legacy work, kept words ----

  /**
   * The owner's items not yet sealed by their client, opened with their server-side data key, as
   * {@code GET /api/me/unsealed} lists them: {@code {kind, id, version, createdAt, updatedAt,
   * <plain fields>, content}}. Empty when there are none (and then no key is created).
   */
  public Future<List<JsonObject>> unsealed(String ownerId) {
    return directory.documents(collection, "ownerId", ownerId, null).compose(docs -> {
      List<JsonObject> legacy = docs.stream().filter(OwnedCollection::isLegacy).sorted(newestFirst("createdAt")).toList();
      if (legacy.isEmpty()) return Future.succeededFuture(List.of());
      List<Future<DataKey>> keys = legacy.stream().map(doc -> doc.getBoolean(HELD, false)
          ? vault.existingHeldKey(doc.getString("_id")) : vault.existingUserKey(ownerId)).toList();
      return Future.all(keys).map(opened -> {
        List<JsonObject> items = new java.util.ArrayList<>();
        for (int i = 0; i < legacy.size(); i++) {
          JsonObject doc = legacy.get(i);
          DataKey key = keys.get(i).result();
          // Its key is gone (the item outlived a finished migration): nothing can open it any more.
          if (key == null) continue;
          JsonObject content = key.openJson(collection, doc.getString("_id"), SEALED, doc.getString(SEALED));
          for (String field : legacyClearFields) content.put(field, doc.getValue(field));
          JsonObject item = new JsonObject().put("kind", kind).put("id", doc.getString("_id"));
          for (String field : plainFields) item.put(field, doc.getValue(field));
          items.add(item.put("version", doc.getLong("version")).put("createdAt", doc.getString("createdAt"))
              .put("updatedAt", doc.getString("updatedAt")).put("content", content));
        }
        return items;
      });
    });
  }

  /** How many of the owner's items are still unsealed. */
  public Future<Integer> unsealedCount(String ownerId) {
    return directory.documents(collection, "ownerId", ownerId, null)
        .map(docs -> (int) docs.stream().filter(OwnedCollection::isLegacy).count());
  }

  /**
   * Stores content for the owner that their client will seal at its next sign-in (words kept from a
   * dissolved joint space), sealed meanwhile with the owner's server-side data key.
   */
  public Future<Void> holdForOwner(String ownerId, String id, JsonObject plain, JsonObject content) {
    return vault.heldKey(id).compose(key -> {
      JsonObject fields = plain.copy().put(SEALED, key.sealJson(collection, id, SEALED, content)).put(HELD, true);
      return insertDocument(ownerId, id, fields);
    }).recover(e -> {
      // Kept already (a retried dissolution): the item exists, or its owner sealed it and its key is a tombstone.
      if (isDuplicateKey(e) || e instanceof KeyDestroyedException) return Future.succeededFuture();
      return Future.failedFuture(e);
    }).mapEmpty();
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

  /** Everything the owner has here, as stored (sealed), newest first (for the data export). */
  public Future<JsonArray> exportOf(String ownerId) {
    return list(ownerId, doc -> true, newestFirst("createdAt"), 0).map(JsonArray::new);
  }

  /** Erases everything the owner has here (by owner, not by directory: nothing of theirs may stay behind). */
  public Future<Void> eraseAll(String ownerId) {
    return directory.documents(collection, "ownerId", ownerId, new JsonObject().put(SEALED, 0))
        .compose(docs -> Future.all(docs.stream().filter(doc -> doc.getBoolean(HELD, false))
            .map(doc -> vault.destroyHeldKey(doc.getString("_id"))).toList()))
        .compose(v -> mongo.removeDocuments(collection, new JsonObject().put("ownerId", ownerId)))
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
