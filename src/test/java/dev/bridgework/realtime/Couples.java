package dev.bridgework.realtime;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The couple feature's HTTP routes, as far as the real-time tests need them. */
final class Couples {
  private Couples() {}

  /** {@code first} creates a joint space, {@code second} joins it (which appends {@code couple.joined}). */
  static String pair(Api first, Api second) {
    return Pairing.pair(first, second);
  }

  static void dissolve(Api member) {
    var r = member.delete("/api/couple");
    assertEquals(204, r.statusCode(), r.bodyAsString());
  }

  /** Shares something over HTTP (a {@code share.created} event on the couple stream); answers its id. */
  static String share(Api author, String title) {
    String id = UUID.randomUUID().toString();
    var r = author.put("/api/shares/" + id, new JsonObject().put("title", title)
        .put("excerpts", new io.vertx.core.json.JsonArray().add(new JsonObject().put("text", "What I noticed this week")))
        .put("intent", "listen"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  /** What the couple feature publishes after a membership change. */
  static void announce(Vertx vertx, String userId, String coupleId) {
    vertx.eventBus().publish(Membership.address(userId), new JsonObject().put("type", "membership").put("coupleId", coupleId));
  }
}
