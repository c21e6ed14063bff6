package dev.bridgework.prompt;

import dev.bridgework.storage.Directory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.List;

/**
 * The {@code prompts} collection and {@code prompt_lists}, the couples' {@link Directory} of their
 * prompt ids. Every change is a compare-and-set whose filter is exactly {@code _id, rev}: a unique
 * index on those two fields makes the embedded server answer it from an index
 * (ARCHITECTURE.md "Performance on the embedded server"), and the {@code rev} check makes each
 * change atomic against every other (two partners submitting at the same instant, a withdrawal
 * racing a reveal): the loser reads again and decides on the fresh document.
 */
final class PromptRepository {
  static final String PROMPTS = "prompts";
  static final String LISTS = "prompt_lists";

  private final MongoClient mongo;
  private final Directory lists;

  PromptRepository(MongoClient mongo) {
    this.mongo = mongo;
    this.lists = new Directory(mongo, LISTS);
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(PROMPTS, new JsonObject().put("_id", 1).put("rev", 1),
        new IndexOptions().unique(true).name("id_rev")).mapEmpty();
  }

  Future<AskedPrompt> find(String id) {
    return mongo.findOne(PROMPTS, new JsonObject().put("_id", id), null).map(doc -> doc == null ? null : new AskedPrompt(doc));
  }

  Future<List<AskedPrompt>> allOf(String coupleId) {
    return lists.documents(PROMPTS, "coupleId", coupleId, null).map(docs -> docs.stream().map(AskedPrompt::new).toList());
  }

  /** Listed first, then written: a crash leaves at most an id without a prompt, which listing skips. */
  Future<Void> insert(JsonObject doc) {
    return lists.add(doc.getString("coupleId"), doc.getString("_id")).compose(v -> mongo.insert(PROMPTS, doc)).mapEmpty();
  }

  /** Applies {@code update} (plus {@code rev + 1}) if the prompt is still at {@code rev}; the new document, or null. */
  Future<AskedPrompt> compareAndSet(AskedPrompt current, JsonObject update) {
    JsonObject filter = new JsonObject().put("_id", current.id()).put("rev", current.rev());
    JsonObject change = update.copy().put("$inc", new JsonObject().put("rev", 1L));
    return mongo.findOneAndUpdateWithOptions(PROMPTS, filter, change, new FindOptions(),
        new UpdateOptions().setReturningNewDocument(true)).map(doc -> doc == null ? null : new AskedPrompt(doc));
  }

  /** Removes the prompt if it is still at {@code rev}. */
  Future<Boolean> removeAt(AskedPrompt current) {
    return mongo.removeDocument(PROMPTS, new JsonObject().put("_id", current.id()).put("rev", current.rev()))
        .map(r -> r != null && r.getRemovedCount() > 0)
        .compose(removed -> removed ? lists.remove(current.coupleId(), current.id()).map(true) : Future.succeededFuture(false));
  }

  /** Every prompt of a couple (the listed ones by id, then a sweep for any a crash left unlisted). */
  Future<Void> removeAllOf(String coupleId) {
    return lists.ids(coupleId).compose(ids -> ids.isEmpty() ? Future.succeededFuture()
            : mongo.removeDocuments(PROMPTS, new JsonObject().put("_id", new JsonObject().put("$in", ids)).put("coupleId", coupleId)).mapEmpty())
        .compose(v -> mongo.removeDocuments(PROMPTS, new JsonObject().put("coupleId", coupleId)))
        .compose(v -> lists.drop(coupleId));
  }
}
