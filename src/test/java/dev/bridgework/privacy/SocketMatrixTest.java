package dev.bridgework.privacy;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import dev.bridgework.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket side of the authorization matrix: every client message type (resume, focus, ping)
 * and every kind of pushed event, as owner, owner's other device, partner, another couple's member,
 * a stranger and an unauthenticated caller. What a socket did not get is proven with a ping/pong
 * barrier: the server answers frames in order, so anything sent before the pong has arrived.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class SocketMatrixTest {
  static TestServer server;
  static Api owner;
  static Api partner;
  static Api other;
  static Api stranger;

  @BeforeAll
  static void start(Vertx vertx) {
    server = TestServer.startOn(vertx, Map.of());
    owner = server.register("Owner");
    partner = server.register("Partner");
    Pairing.pair(owner, partner);
    other = server.register("Other");
    Pairing.pair(other, server.register("OtherPartner"));
    stranger = server.register("Stranger");
  }

  /** Everything the socket received up to a pong, without the pong. */
  static List<JsonObject> untilBarrier(WsClient ws) {
    ws.send(new JsonObject().put("type", "ping"));
    List<JsonObject> seen = new ArrayList<>(ws.until(f -> "pong".equals(f.getString("type")), Duration.ofSeconds(20)));
    seen.remove(seen.size() - 1);
    seen.removeIf(f -> "presence".equals(f.getString("type")));
    return seen;
  }

  static boolean mentions(List<JsonObject> frames, String text) {
    return frames.stream().anyMatch(f -> f.encode().contains(text));
  }

  @Test
  void anUnauthenticatedCallerGetsNoSocket() {
    var refused = assertThrows(Exception.class,
        () -> WsClient.connect(server.vertx, server.port(), null, null).await());
    assertTrue(refused instanceof UpgradeRejectedException r && r.getStatus() == 401, refused.toString());
  }

  @Test
  void eachRoleSeesExactlyWhatTheContractAllows() {
    try (WsClient own = WsClient.open(owner); WsClient ownOther = WsClient.open(owner.anotherDevice());
         WsClient part = WsClient.open(partner); WsClient oth = WsClient.open(other); WsClient str = WsClient.open(stranger)) {
      Map<String, WsClient> sockets = Map.of("owner", own, "ownerDevice", ownOther, "partner", part, "other", oth, "stranger", str);
      Map<String, JsonObject> welcomes = new java.util.HashMap<>();
      sockets.forEach((name, ws) -> welcomes.put(name, ws.welcomeAndResume()));
      // welcome: who you are, your couple (or none)
      assertEquals(owner.id(), welcomes.get("owner").getString("userId"));
      assertEquals(welcomes.get("owner").getString("coupleId"), welcomes.get("partner").getString("coupleId"));
      assertTrue(!welcomes.get("other").getString("coupleId").equals(welcomes.get("owner").getString("coupleId")));
      assertNull(welcomes.get("stranger").getString("coupleId"));
      assertEquals(0L, welcomes.get("stranger").getJsonObject("heads").getLong("couple"));

      // A private change: the owner's devices only.
      // Its words are sealed, so what could leak is that it happened: its id.
      String secret = UUID.randomUUID().toString();
      assertEquals(201, owner.saveReflection(secret, "mirror-recent-moment",
          new JsonObject().put("what-happened", "socket-private"), "draft", null).statusCode());
      // A held share and its reminder ("remind me later"): the owner's devices only; a time is not the partner's news either.
      String heldId = UUID.randomUUID().toString();
      assertEquals(201, owner.put("/api/held/" + heldId, new JsonObject().put("sealed", owner.keys().seal("held", heldId,
          new JsonObject().put("type", "share")))).statusCode());
      assertEquals(201, owner.put("/api/held/" + heldId + "/reminder", new JsonObject()
          .put("dueAt", server.clock.instant().plusSeconds(3600).toString()).put("channel", "app")).statusCode());
      // A share: the couple only.
      String shared = "socket-shared-" + UUID.randomUUID();
      assertEquals(201, owner.put("/api/shares/" + UUID.randomUUID(), new JsonObject().put("title", shared).put("intent", "listen")
          .put("excerpts", new JsonArray().add(new JsonObject().put("text", shared)))).statusCode());
      // Focus from the owner: the partner only (not the owner's own other device).
      own.send(new JsonObject().put("type", "focus").put("reviewId", "r-1").put("shareId", null));
      // Focus from another couple and from a stranger: never reaches this couple.
      oth.send(new JsonObject().put("type", "focus").put("reviewId", "other-review").put("shareId", null));
      str.send(new JsonObject().put("type", "focus").put("reviewId", "stranger-review").put("shareId", null));

      List<JsonObject> ownSaw = untilBarrier(own);
      List<JsonObject> deviceSaw = untilBarrier(ownOther);
      List<JsonObject> partnerSaw = untilBarrier(part);
      List<JsonObject> otherSaw = untilBarrier(oth);
      List<JsonObject> strangerSaw = untilBarrier(str);

      assertTrue(mentions(ownSaw, secret) && mentions(deviceSaw, secret), "the owner's devices get their own private change");
      assertTrue(!mentions(partnerSaw, secret) && !mentions(otherSaw, secret) && !mentions(strangerSaw, secret),
          "nobody else learns of it, not even that it happened");
      assertTrue(partnerSaw.stream().noneMatch(f -> "self".equals(f.getString("stream"))), "the partner gets no self events of the owner");
      assertTrue(deviceSaw.stream().anyMatch(f -> "held.reminder".equals(f.getString("kind")) && f.encode().contains(heldId)),
          "the owner's other device hears of the reminder");
      assertTrue(!mentions(partnerSaw, heldId) && !mentions(otherSaw, heldId) && !mentions(strangerSaw, heldId),
          "nobody else learns of a held item or its reminder");
      assertTrue(Stream.of(partnerSaw, otherSaw, strangerSaw).flatMap(List::stream)
          .noneMatch(f -> String.valueOf(f.getString("kind")).startsWith("held.")), "no held event reaches anyone else");
      assertTrue(mentions(ownSaw, shared) && mentions(deviceSaw, shared) && mentions(partnerSaw, shared), "the couple gets the share");
      assertTrue(!mentions(otherSaw, shared) && !mentions(strangerSaw, shared), "no one outside the couple does");
      assertTrue(partnerSaw.stream().anyMatch(f -> "focus".equals(f.getString("type")) && owner.id().equals(f.getString("userId"))));
      assertTrue(deviceSaw.stream().noneMatch(f -> "focus".equals(f.getString("type"))), "focus is for the partner, not my devices");
      assertTrue(!mentions(ownSaw, "other-review") && !mentions(partnerSaw, "other-review"), "another couple's focus stays there");
      assertTrue(!mentions(ownSaw, "stranger-review") && !mentions(partnerSaw, "stranger-review"));
      assertTrue(strangerSaw.stream().anyMatch(f -> "error".equals(f.getString("type")) && "not_paired".equals(f.getString("code"))),
          "a stranger's focus is refused: " + strangerSaw);
    }
  }
}
