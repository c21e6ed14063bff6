package dev.bridgework.realtime;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * {@link Membership} read straight from the couple feature's collections: {@code memberships}
 * ({@code _id} = userId, {@code coupleId}) and {@code couples} ({@code _id}, {@code memberIds}).
 * Both are {@code _id} lookups, so they stay fast on the embedded database.
 */
public final class MongoMembership implements Membership {
  static final String MEMBERSHIPS = "memberships";
  static final String COUPLES = "couples";

  private final MongoClient mongo;

  public MongoMembership(MongoClient mongo) {
    this.mongo = mongo;
  }

  @Override
  public Future<String> coupleIdOf(String userId) {
    return mongo.findOne(MEMBERSHIPS, new JsonObject().put("_id", userId), new JsonObject().put("coupleId", 1))
        .map(doc -> doc == null ? null : doc.getString("coupleId"));
  }

  @Override
  public Future<String> partnerOf(String userId) {
    return coupleIdOf(userId).compose(coupleId -> {
      if (coupleId == null) return Future.succeededFuture(null);
      return mongo.findOne(COUPLES, new JsonObject().put("_id", coupleId), new JsonObject().put("memberIds", 1))
          .map(doc -> {
            JsonArray members = doc == null ? null : doc.getJsonArray("memberIds");
            if (members == null || !members.contains(userId)) return null;
            for (Object member : members) {
              if (member instanceof String id && !id.equals(userId)) return id;
            }
            return null;
          });
    });
  }
}
