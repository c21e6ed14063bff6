package dev.bridgework.realtime;

import dev.bridgework.testing.Api;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.UUID;

/**
 * Pairs and separates users the way the couple feature does as far as real time is concerned:
 * its {@code memberships} and {@code couples} documents, then the membership message on the bus.
 */
final class Couples {
  private Couples() {}

  static String pair(MongoClient mongo, Vertx vertx, Api a, Api b) {
    String coupleId = UUID.randomUUID().toString();
    mongo.insert(MongoMembership.COUPLES, new JsonObject().put("_id", coupleId)
        .put("memberIds", new JsonArray().add(a.id()).add(b.id()))).await();
    mongo.save(MongoMembership.MEMBERSHIPS, new JsonObject().put("_id", a.id()).put("coupleId", coupleId)).await();
    mongo.save(MongoMembership.MEMBERSHIPS, new JsonObject().put("_id", b.id()).put("coupleId", coupleId)).await();
    announce(vertx, a.id(), coupleId);
    announce(vertx, b.id(), coupleId);
    return coupleId;
  }

  static void separate(MongoClient mongo, Vertx vertx, String coupleId, Api a, Api b) {
    mongo.removeDocument(MongoMembership.MEMBERSHIPS, new JsonObject().put("_id", a.id())).await();
    mongo.removeDocument(MongoMembership.MEMBERSHIPS, new JsonObject().put("_id", b.id())).await();
    mongo.removeDocument(MongoMembership.COUPLES, new JsonObject().put("_id", coupleId)).await();
    announce(vertx, a.id(), null);
    announce(vertx, b.id(), null);
  }

  static void announce(Vertx vertx, String userId, String coupleId) {
    vertx.eventBus().publish(Membership.address(userId), new JsonObject().put("type", "membership").put("coupleId", coupleId));
  }
}
