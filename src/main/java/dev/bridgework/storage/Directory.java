package dev.bridgework.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which documents of a collection belong to whom: one document per owner ({@code _id} = the owner,
 * {@code ids} = their documents' ids). Listing someone's documents reads it, then fetches by
 * {@code _id $in}. The embedded database answers a query from an index only when the query's
 * fields are exactly the index's fields, and it ignores secondary indexes, so a query on
 * {@code ownerId} would read every person's documents; this keeps a list proportional to what the
 * owner has (ARCHITECTURE.md "Performance on the embedded server").
 *
 * <p>An id is listed before its document is written and unlisted after it is deleted, so a crash
 * leaves at most an id without a document (readers skip it), never a document nobody can list.
 */
public final class Directory {
  /** Marks a directory as complete for documents written before it existed. */
  private static final String BUILT = "*built";

  private final MongoClient mongo;
  private final String name;

  /** @param name the directory's own collection */
  public Directory(MongoClient mongo, String name) {
    this.mongo = mongo;
    this.name = name;
  }

  private static JsonObject id(String owner) {
    return new JsonObject().put("_id", owner);
  }

  public Future<Void> add(String owner, String id) {
    JsonObject update = new JsonObject().put("$addToSet", new JsonObject().put("ids", id));
    return mongo.updateCollectionWithOptions(name, id(owner), update, new UpdateOptions().setUpsert(true)).<Void>mapEmpty()
        // Two first documents of an owner at once: one upsert loses the race on _id; the retry updates.
        .recover(e -> mongo.updateCollection(name, id(owner), update).mapEmpty());
  }

  public Future<Void> remove(String owner, String id) {
    return mongo.updateCollection(name, id(owner), new JsonObject().put("$pull", new JsonObject().put("ids", id))).mapEmpty();
  }

  public Future<Void> drop(String owner) {
    return mongo.removeDocument(name, id(owner)).mapEmpty();
  }

  /** The ids listed for the owner (some may have no document any more). */
  public Future<JsonArray> ids(String owner) {
    return mongo.findOne(name, id(owner), null)
        .map(doc -> doc == null ? new JsonArray() : doc.getJsonArray("ids", new JsonArray()));
  }

  /**
   * The owner's documents in {@code collection}: fetched by id alone (so the embedded server uses
   * the {@code _id} index), then checked against {@code ownerField} here. {@code fields} as in
   * MongoDB's projection, or null for whole documents.
   */
  public Future<List<JsonObject>> documents(String collection, String ownerField, String owner, JsonObject fields) {
    return ids(owner).compose(ids -> byIds(collection, ids, fields))
        .map(docs -> docs.stream().filter(doc -> owner.equals(doc.getString(ownerField))).toList());
  }

  /** Documents of {@code collection} by id; ids without a document are left out. */
  public Future<List<JsonObject>> byIds(String collection, JsonArray ids, JsonObject fields) {
    if (ids.isEmpty()) return Future.succeededFuture(List.of());
    FindOptions options = new FindOptions();
    if (fields != null) options.setFields(fields);
    return mongo.findWithOptions(collection, new JsonObject().put("_id", new JsonObject().put("$in", ids)), options);
  }

  /**
   * Lists every document already in {@code collection} under its owner, once: for data written
   * before the directory existed. Cheap on every later start (one lookup of the marker).
   */
  public Future<Void> build(String collection, String ownerField) {
    return mongo.findOne(name, id(BUILT), null).compose(done -> {
      if (done != null) return Future.succeededFuture();
      return mongo.findWithOptions(collection, new JsonObject(), new FindOptions().setFields(new JsonObject().put(ownerField, 1)))
          .compose(docs -> {
            Map<String, JsonArray> byOwner = new HashMap<>();
            for (JsonObject doc : docs) {
              String owner = doc.getString(ownerField);
              if (owner != null) byOwner.computeIfAbsent(owner, o -> new JsonArray()).add(doc.getString("_id"));
            }
            Future<Void> chain = Future.succeededFuture();
            for (Map.Entry<String, JsonArray> e : byOwner.entrySet()) {
              JsonObject update = new JsonObject().put("$addToSet", new JsonObject().put("ids", new JsonObject().put("$each", e.getValue())));
              chain = chain.compose(v -> mongo.updateCollectionWithOptions(name, id(e.getKey()), update,
                  new UpdateOptions().setUpsert(true)).mapEmpty());
            }
            return chain;
          })
          .compose(v -> mongo.save(name, id(BUILT).put("at", System.currentTimeMillis())))
          .mapEmpty();
    });
  }
}
