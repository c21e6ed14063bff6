package dev.bridgework.privacy;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every HTTP route, as owner, partner, a member of another couple, a stranger and an unauthenticated
 * caller, for resources in every state (draft, shared, withdrawn, dissolved), against the contract's
 * answer. Deny by default: what a caller may not know exists is a 404. A request that is refused
 * changes nothing in the database. A route the table does not cover fails {@link #everyRouteIsInTheTable}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class AuthorizationMatrixTest {
  enum Role { OWNER, PARTNER, OTHER_COUPLE, STRANGER, ANONYMOUS }

  /** One row: a route in one resource state and the status each role must get. */
  record Row(String route, String state, Function<World, Target> target, Request request, Map<Role, Integer> expect) {}

  /** The resource a row acts on, created fresh for each caller when the row changes things. */
  record Target(Map<String, String> ids) {
    String id(String name) {
      return ids.get(name);
    }
  }

  interface Request {
    HttpResponse<Buffer> send(Api caller, Target t);
  }

  static final class World {
    final TestServer server;
    final Api owner;
    final Api partner;
    final Api other;
    final Api otherPartner;
    final Api stranger;
    final Api anonymous;

    World(TestServer server) {
      this.server = server;
      owner = server.register("Owner");
      partner = server.register("Partner");
      Pairing.pair(owner, partner);
      other = server.register("Other");
      otherPartner = server.register("OtherPartner");
      Pairing.pair(other, otherPartner);
      stranger = server.register("Stranger");
      anonymous = server.client();
    }

    Api as(Role role) {
      return switch (role) {
        case OWNER -> owner;
        case PARTNER -> partner;
        case OTHER_COUPLE -> other;
        case STRANGER -> stranger;
        case ANONYMOUS -> anonymous;
      };
    }
  }

  static TestServer server;
  static World world;
  static final String SECRET = "matrix-secret-" + UUID.randomUUID();

  @BeforeAll
  static void start(Vertx vertx) {
    server = TestServer.startOn(vertx, Map.of());
    world = new World(server);
  }

  // ---- resources -------------------------------------------------------------------------------

  /** Every private item made here, by id: no one but the owner may ever see one of these ids. */
  static final Set<String> PRIVATE_IDS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static String reflection(Api owner) {
    String id = UUID.randomUUID().toString();
    var r = owner.saveReflection(id, "mirror-recent-moment", new JsonObject().put("what-happened", SECRET + " reflection"), "draft", null);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    PRIVATE_IDS.add(id);
    return id;
  }

  static String part(Api owner) {
    String id = UUID.randomUUID().toString();
    assertEquals(201, owner.savePart(id, new JsonObject().put("name", SECRET + " part"), null).statusCode());
    PRIVATE_IDS.add(id);
    return id;
  }

  static String checkin(Api owner) {
    String id = UUID.randomUUID().toString();
    assertEquals(201, owner.saveCheckin(id, null, new JsonObject().put("emotions", new JsonArray().add("tired"))
        .put("intensity", 4).put("note", SECRET + " checkin"), null).statusCode());
    PRIVATE_IDS.add(id);
    return id;
  }

  static String kept(Api owner) {
    String id = UUID.randomUUID().toString();
    assertEquals(201, owner.saveKept(id, new JsonObject().put("source", "share").put("title", SECRET + " kept")
        .put("excerpts", new JsonArray()), null).statusCode());
    PRIVATE_IDS.add(id);
    return id;
  }

  // ---- issue #14 (h-parts): follow-ups ----
  static JsonObject followupBody(Api sealer, String id, String text, Integer version) {
    JsonObject body = new JsonObject().put("sealed", sealer.keys().seal("followup", id, new JsonObject().put("type", "offer")
        .put("text", text).put("dueAt", "2030-01-01T00:00:00.000Z").put("done", false)));
    if (version != null) body.put("version", version);
    return body;
  }

  static String followup(Api owner) {
    String id = UUID.randomUUID().toString();
    assertEquals(201, owner.put("/api/followups/" + id, followupBody(owner, id, SECRET + " followup", null)).statusCode());
    PRIVATE_IDS.add(id);
    return id;
  }
  // ---- end of issue #14 helpers ----

  /** Who seals a body: the caller, or (for the caller without an account) the owner, whose key is as good as any. */
  static Api sealer(Api caller) {
    return caller.keys() != null ? caller : world.owner;
  }

  /** A key change body with a wrong current key: every caller is refused, whoever they are. */
  static JsonObject wrongKeyChange() {
    return Api.freshKeys().body().put("currentAuthKey", Api.freshKeys().authKey());
  }

  static JsonObject shareBody(String title) {
    return new JsonObject().put("title", title).put("intent", "respond")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", SECRET + " excerpt")));
  }

  static String share(Api author) {
    String id = UUID.randomUUID().toString();
    var r = author.put("/api/shares/" + id, shareBody("shared " + SECRET));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  static String response(Api author, String shareId) {
    String id = UUID.randomUUID().toString();
    var r = author.put("/api/shares/" + shareId + "/responses/" + id, new JsonObject().put("kind", "comment").put("text", SECRET + " comment"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  static Target ids(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return new Target(m);
  }

  /** A share whose author withdrew it. */
  static Target withdrawn(World w) {
    String id = share(w.owner);
    assertEquals(204, w.owner.delete("/api/shares/" + id).statusCode());
    return ids("share", id, "response", UUID.randomUUID().toString());
  }

  /** A share of a couple that dissolved afterwards: the former partners are strangers to it now. */
  static Target dissolved(World w) {
    Api a = w.server.register("Gone");
    Api b = w.server.register("AlsoGone");
    Pairing.pair(a, b);
    String id = share(a);
    String rid = response(b, id);
    assertEquals(204, a.delete("/api/couple").statusCode());
    return ids("share", id, "response", rid);
  }

  /** The world couple's open review (started if there is none), with a fresh share as its only agenda item. */
  static Target openReview(World w) {
    String shareId = share(w.owner);
    var current = w.owner.get("/api/reviews/current");
    String id;
    if (current.statusCode() == 200) {
      id = current.bodyAsJsonObject().getString("id");
    } else {
      var started = w.owner.post("/api/reviews", new JsonObject());
      assertEquals(201, started.statusCode(), started.bodyAsString());
      id = started.bodyAsJsonObject().getString("id");
    }
    var agenda = w.owner.put("/api/reviews/" + id + "/agenda", new JsonObject().put("shareIds", new JsonArray().add(shareId)));
    assertEquals(200, agenda.statusCode(), agenda.bodyAsString());
    return ids("review", id, "share", shareId);
  }

  static Target closedReview(World w) {
    Target t = openReview(w);
    assertEquals(200, w.owner.post("/api/reviews/" + t.id("review") + "/close", new JsonObject()).statusCode());
    return t;
  }

  /** Neither world couple has an open review. */
  static Target noOpenReview(World w) {
    for (Api member : List.of(w.owner, w.other)) {
      var current = member.get("/api/reviews/current");
      if (current.statusCode() == 200) {
        String id = current.bodyAsJsonObject().getString("id");
        assertEquals(200, member.post("/api/reviews/" + id + "/close", new JsonObject()).statusCode());
      }
    }
    return ids();
  }

  /** A review of a couple that dissolved afterwards: it is gone for everyone. */
  static Target dissolvedReview(World w) {
    Api a = w.server.register("GoneReviewer");
    Api b = w.server.register("AlsoGoneReviewer");
    Pairing.pair(a, b);
    String shareId = share(a);
    assertEquals(200, a.put("/api/shares/" + shareId + "/counseling", new JsonObject().put("flag", true)).statusCode());
    var started = a.post("/api/reviews", new JsonObject());
    assertEquals(201, started.statusCode(), started.bodyAsString());
    assertEquals(204, b.delete("/api/couple").statusCode());
    return ids("review", started.bodyAsJsonObject().getString("id"), "share", shareId);
  }

  static Map<Role, Integer> expect(int owner, int partner, int other, int stranger, int anonymous) {
    Map<Role, Integer> m = new EnumMap<>(Role.class);
    m.put(Role.OWNER, owner);
    m.put(Role.PARTNER, partner);
    m.put(Role.OTHER_COUPLE, other);
    m.put(Role.STRANGER, stranger);
    m.put(Role.ANONYMOUS, anonymous);
    return m;
  }

  static JsonObject reminderBody() {
    return new JsonObject().put("dueAt", "2030-01-01T09:00:00Z").put("channel", "app");
  }

  /** The owner's id with a signature that is not the server's. */
  static String forgedToken(World w) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(w.owner.id().getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + b64.encodeToString(new byte[32]);
  }

  static final Map<Role, Integer> PRIVATE_READ = expect(200, 404, 404, 404, 401);
  static final Map<Role, Integer> HIDDEN = expect(404, 404, 404, 404, 401);

  static List<Row> table() {
    List<Row> rows = new ArrayList<>();
    Function<World, Target> none = w -> ids();
    // Account
    // Registering signs the client in as the new person, so it runs on a fresh cookie jar.
    rows.add(new Row("POST /api/auth/register", "public", none, (c, t) -> server.client().post("/api/auth/register",
        TestServer.registration("m-" + UUID.randomUUID() + "@example.test", "New", Api.freshKeys())),
        expect(201, 201, 201, 201, 201)));
    rows.add(new Row("POST /api/auth/prelogin", "public", none, (c, t) -> c.post("/api/auth/prelogin",
        new JsonObject().put("email", world.owner.email())), expect(200, 200, 200, 200, 200)));
    rows.add(new Row("POST /api/auth/login", "wrong key", none, (c, t) -> c.post("/api/auth/login",
        new JsonObject().put("email", "nobody-" + UUID.randomUUID() + "@example.test").put("authKey", Api.freshKeys().authKey())),
        expect(401, 401, 401, 401, 401)));
    // Recovery with someone's email but not their code: refused for everyone, and nothing changes.
    rows.add(new Row("POST /api/auth/recover/start", "wrong code", none, (c, t) -> c.post("/api/auth/recover/start",
        new JsonObject().put("email", world.owner.email()).put("recoveryAuth", Api.freshKeys().recoveryAuth())),
        expect(401, 401, 401, 401, 401)));
    rows.add(new Row("POST /api/auth/recover", "wrong code", none, (c, t) -> {
      var keys = Api.freshKeys();
      JsonObject body = keys.body().put("email", world.owner.email()).put("recoveryAuth2", keys.recoveryAuth())
          .put("recoveryAuth", Api.freshKeys().recoveryAuth());
      return c.post("/api/auth/recover", body);
    }, expect(401, 401, 401, 401, 401)));
    rows.add(new Row("PUT /api/me/keys", "wrong current key", none, (c, t) -> c.put("/api/me/keys", wrongKeyChange()),
        expect(401, 401, 401, 401, 401)));
    rows.add(new Row("GET /api/me/session-key", "own", none, (c, t) -> c.get("/api/me/session-key"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/me/unsealed", "own", none, (c, t) -> c.get("/api/me/unsealed"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("POST /api/me/unsealed/finish", "nothing unsealed", none, (c, t) -> c.post("/api/me/unsealed/finish",
        new JsonObject()), expect(204, 204, 204, 204, 401)));
    rows.add(new Row("DELETE /api/me/ending", "own", none, (c, t) -> c.delete("/api/me/ending"), expect(204, 204, 204, 204, 401)));
    rows.add(new Row("POST /api/auth/logout", "own session", none, (c, t) -> c == world.anonymous
        ? c.post("/api/auth/logout", null) : c.anotherDevice().post("/api/auth/logout", null), expect(204, 204, 204, 204, 401)));
    rows.add(new Row("GET /api/me", "own", none, (c, t) -> c.get("/api/me"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/me/export", "own", none, (c, t) -> c.get("/api/me/export"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("DELETE /api/me", "wrong key", none, (c, t) -> c.delete("/api/me",
        new JsonObject().put("authKey", Api.freshKeys().authKey())), expect(401, 401, 401, 401, 401)));
    // The couple
    rows.add(new Row("POST /api/couple", "already paired", none, (c, t) -> (c == world.stranger ? server.register("Newcomer") : c)
        .post("/api/couple", new JsonObject()),
        expect(409, 409, 409, 201, 401)));
    rows.add(new Row("POST /api/couple/invite", "full", none, (c, t) -> c.post("/api/couple/invite", new JsonObject()),
        expect(409, 409, 409, 409, 401)));
    rows.add(new Row("POST /api/couple/join", "unknown code", none, (c, t) -> c.post("/api/couple/join",
        new JsonObject().put("code", "ABCD-EFGH-JK")), expect(409, 409, 409, 404, 401)));
    rows.add(new Row("GET /api/couple", "paired", none, (c, t) -> c.get("/api/couple"), expect(200, 200, 200, 409, 401)));
    rows.add(new Row("DELETE /api/couple", "paired", none, (c, t) -> c == world.anonymous || c == world.stranger
        ? c.delete("/api/couple") : freshlyPaired().delete("/api/couple"), expect(204, 204, 204, 409, 401)));
    // Shares (the owner is the author)
    Function<World, Target> shared = w -> {
      String id = share(w.owner);
      return ids("share", id, "response", response(w.partner, id));
    };
    for (var state : Map.<String, Function<World, Target>>of("shared", shared, "withdrawn", AuthorizationMatrixTest::withdrawn,
        "dissolved", AuthorizationMatrixTest::dissolved).entrySet()) {
      boolean live = state.getKey().equals("shared");
      Function<World, Target> target = state.getValue();
      rows.add(new Row("GET /api/shares/:id", state.getKey(), target, (c, t) -> c.get("/api/shares/" + t.id("share")),
          live ? expect(200, 200, 404, 404, 401) : HIDDEN));
      rows.add(new Row("PUT /api/shares/:id", state.getKey(), target, (c, t) -> c.put("/api/shares/" + t.id("share"),
          shareBody("changed by someone").put("version", 1)), live ? expect(200, 403, 404, 404, 401) : HIDDEN));
      rows.add(new Row("DELETE /api/shares/:id", state.getKey(), target, (c, t) -> c.delete("/api/shares/" + t.id("share")),
          live ? expect(204, 403, 404, 404, 401) : HIDDEN));
      rows.add(new Row("PUT /api/shares/:id/counseling", state.getKey(), target, (c, t) -> c.put("/api/shares/" + t.id("share")
          + "/counseling", new JsonObject().put("flag", true)), live ? expect(200, 200, 404, 404, 401) : HIDDEN));
      rows.add(new Row("PUT /api/shares/:id/responses/:rid", state.getKey(), target, (c, t) -> c.put("/api/shares/"
          + t.id("share") + "/responses/" + UUID.randomUUID(), new JsonObject().put("kind", "ack").put("ack", "hear_you")),
          live ? expect(403, 201, 404, 404, 401) : HIDDEN));
      // The partner wrote the response: the author may not delete it.
      rows.add(new Row("DELETE /api/shares/:id/responses/:rid", state.getKey(), target, (c, t) -> c.delete("/api/shares/"
          + t.id("share") + "/responses/" + t.id("response")), live ? expect(403, 204, 404, 404, 401) : HIDDEN));
    }
    rows.add(new Row("GET /api/shares", "shared", shared, (c, t) -> c.get("/api/shares"), expect(200, 200, 200, 409, 401)));
    // Joint reviews (the owner's couple; the other couple never has one of theirs touched)
    for (var state : Map.<String, Function<World, Target>>of("open", AuthorizationMatrixTest::openReview,
        "closed", AuthorizationMatrixTest::closedReview, "dissolved", AuthorizationMatrixTest::dissolvedReview).entrySet()) {
      String name = state.getKey();
      Function<World, Target> target = state.getValue();
      boolean gone = name.equals("dissolved");
      Map<Role, Integer> read = gone ? HIDDEN : expect(200, 200, 404, 404, 401);
      int change = name.equals("open") ? 200 : 409;
      Map<Role, Integer> write = gone ? HIDDEN : expect(change, change, 404, 404, 401);
      rows.add(new Row("GET /api/reviews/:id", name, target, (c, t) -> c.get("/api/reviews/" + t.id("review")), read));
      rows.add(new Row("PUT /api/reviews/:id/agenda", name, target, (c, t) -> c.put("/api/reviews/" + t.id("review") + "/agenda",
          new JsonObject().put("shareIds", new JsonArray())), write));
      rows.add(new Row("PUT /api/reviews/:id/notes/:shareId", name, target, (c, t) -> c.put("/api/reviews/" + t.id("review")
          + "/notes/" + t.id("share"), new JsonObject().put("text", "a note from someone")), write));
      rows.add(new Row("PUT /api/reviews/:id/ready", name, target, (c, t) -> c.put("/api/reviews/" + t.id("review") + "/ready",
          new JsonObject().put("ready", true)), write));
      // Closing a closed review is harmless: it answers the review as it is.
      rows.add(new Row("POST /api/reviews/:id/close", name, target, (c, t) -> c.post("/api/reviews/" + t.id("review") + "/close",
          new JsonObject()), read));
      rows.add(new Row("GET /api/reviews/:id/brief", name, target, (c, t) -> c.get("/api/reviews/" + t.id("review")
          + "/brief?format=md"), read));
    }
    rows.add(new Row("GET /api/reviews", "open", AuthorizationMatrixTest::openReview, (c, t) -> c.get("/api/reviews"),
        expect(200, 200, 200, 409, 401)));
    rows.add(new Row("GET /api/reviews/current", "open", AuthorizationMatrixTest::openReview, (c, t) -> c.get("/api/reviews/current"),
        expect(200, 200, 404, 409, 401)));
    rows.add(new Row("POST /api/reviews", "none open", AuthorizationMatrixTest::noOpenReview, (c, t) -> c.post("/api/reviews",
        new JsonObject()), expect(201, 201, 201, 409, 401)));
    // Private work, in draft
    rows.add(new Row("GET /api/exercises", "catalog", none, (c, t) -> c.get("/api/exercises"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/exercises/:id", "catalog", none, (c, t) -> c.get("/api/exercises/mirror-recent-moment"),
        expect(200, 200, 200, 200, 401)));
    Function<World, Target> draft = w -> ids("reflection", reflection(w.owner));
    rows.add(new Row("GET /api/reflections", "draft", draft, (c, t) -> c.get("/api/reflections"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/reflections/:id", "draft", draft, (c, t) -> c.get("/api/reflections/" + t.id("reflection")), PRIVATE_READ));
    rows.add(new Row("PUT /api/reflections/:id", "draft", draft, (c, t) -> c.put("/api/reflections/" + t.id("reflection"),
        sealer(c).reflectionBody(t.id("reflection"), "mirror-recent-moment", new JsonObject().put("what-happened", "overwritten"),
            "draft", 1)), PRIVATE_READ));
    rows.add(new Row("DELETE /api/reflections/:id", "draft", draft, (c, t) -> c.delete("/api/reflections/" + t.id("reflection")),
        expect(204, 404, 404, 404, 401)));
    Function<World, Target> aPart = w -> ids("part", part(w.owner));
    rows.add(new Row("GET /api/parts", "own", aPart, (c, t) -> c.get("/api/parts"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/parts/:id", "own", aPart, (c, t) -> c.get("/api/parts/" + t.id("part")), PRIVATE_READ));
    rows.add(new Row("PUT /api/parts/:id", "own", aPart, (c, t) -> c.put("/api/parts/" + t.id("part"),
        sealer(c).partBody(t.id("part"), new JsonObject().put("name", "renamed"), 1)), PRIVATE_READ));
    rows.add(new Row("DELETE /api/parts/:id", "own", aPart, (c, t) -> c.delete("/api/parts/" + t.id("part")),
        expect(204, 404, 404, 404, 401)));
    Function<World, Target> aCheckin = w -> ids("checkin", checkin(w.owner));
    rows.add(new Row("GET /api/checkins", "own", aCheckin, (c, t) -> c.get("/api/checkins"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("PUT /api/checkins/:id", "own", aCheckin, (c, t) -> c.put("/api/checkins/" + t.id("checkin"),
        sealer(c).checkinBody(t.id("checkin"), null, new JsonObject().put("emotions", new JsonArray()).put("intensity", 9)
            .put("note", "overwritten"), 1)), PRIVATE_READ));
    Function<World, Target> aKept = w -> ids("kept", kept(w.owner));
    rows.add(new Row("GET /api/kept", "own", aKept, (c, t) -> c.get("/api/kept"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/kept/:id", "own", aKept, (c, t) -> c.get("/api/kept/" + t.id("kept")), PRIVATE_READ));
    rows.add(new Row("PUT /api/kept/:id", "own", aKept, (c, t) -> c.put("/api/kept/" + t.id("kept"),
        sealer(c).keptBody(t.id("kept"), new JsonObject().put("source", "share").put("title", "overwritten"), 1)), PRIVATE_READ));
    rows.add(new Row("DELETE /api/kept/:id", "own", aKept, (c, t) -> c.delete("/api/kept/" + t.id("kept")),
        expect(204, 404, 404, 404, 401)));

    // ---- issue #14 (h-parts): one check-in read and deleted; follow-ups and offers to oneself ----
    rows.add(new Row("GET /api/checkins/:id", "own", aCheckin, (c, t) -> c.get("/api/checkins/" + t.id("checkin")), PRIVATE_READ));
    rows.add(new Row("DELETE /api/checkins/:id", "own", aCheckin, (c, t) -> c.delete("/api/checkins/" + t.id("checkin")),
        expect(204, 404, 404, 404, 401)));
    Function<World, Target> aFollowup = w -> ids("followup", followup(w.owner));
    rows.add(new Row("GET /api/followups", "own", aFollowup, (c, t) -> c.get("/api/followups"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/followups/:id", "own", aFollowup, (c, t) -> c.get("/api/followups/" + t.id("followup")), PRIVATE_READ));
    rows.add(new Row("PUT /api/followups/:id", "own", aFollowup, (c, t) -> c.put("/api/followups/" + t.id("followup"),
        followupBody(sealer(c), t.id("followup"), "overwritten", 1)), PRIVATE_READ));
    rows.add(new Row("DELETE /api/followups/:id", "own", aFollowup, (c, t) -> c.delete("/api/followups/" + t.id("followup")),
        expect(204, 404, 404, 404, 401)));
    // ---- end of issue #14 rows ----
    promptRows(rows);

    // --- notifications (issue #16): every route is the caller's own; unsubscribe needs no session, only a signed token ---
    Function<World, Target> aReminder = w -> {
      String reminderId = UUID.randomUUID().toString();
      var r = w.owner.put("/api/me/reminders/" + reminderId, reminderBody());
      assertEquals(201, r.statusCode(), r.bodyAsString());
      return ids("reminder", reminderId);
    };
    rows.add(new Row("GET /api/me/notifications", "own", none, (c, t) -> c.get("/api/me/notifications"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("PUT /api/me/notifications", "own", none, (c, t) -> c.put("/api/me/notifications",
        new JsonObject().put("receipts", false)), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("PUT /api/me/seen", "own", none, (c, t) -> c.put("/api/me/seen", new JsonObject().put("couple", 0)),
        expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/me/unread", "own", none, (c, t) -> c.get("/api/me/unread"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/me/receipts", "own", none, (c, t) -> c.get("/api/me/receipts"), expect(200, 200, 200, 409, 401)));
    rows.add(new Row("GET /api/me/reminders", "own", aReminder, (c, t) -> c.get("/api/me/reminders"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("PUT /api/me/reminders/:id", "own", aReminder, (c, t) -> c.put("/api/me/reminders/" + t.id("reminder"),
        reminderBody()), expect(200, 404, 404, 404, 401)));
    rows.add(new Row("DELETE /api/me/reminders/:id", "own", aReminder, (c, t) -> c.delete("/api/me/reminders/" + t.id("reminder")),
        expect(204, 404, 404, 404, 401)));
    rows.add(new Row("GET /api/unsubscribe", "forged token", none, (c, t) -> c.get("/api/unsubscribe?token=" + forgedToken(world)),
        expect(404, 404, 404, 404, 404)));
    rows.add(new Row("POST /api/unsubscribe", "forged token", none, (c, t) -> c.post("/api/unsubscribe?token=" + forgedToken(world),
        new JsonObject()), expect(404, 404, 404, 404, 404)));

    counselorRows(rows);
    careRows(rows);
    return rows;
  }

  // ---- prompts to answer apart and held words (docs/PROMPTS.md) --------------------------------

  /** An open prompt the owner proposed, nobody has answered yet. */
  static Target askedPrompt(World w) {
    String id = UUID.randomUUID().toString();
    assertEquals(201, w.owner.put("/api/prompts/" + id, new JsonObject().put("promptId", "data-longing")).statusCode());
    return ids("prompt", id);
  }

  /**
   * An open prompt the owner proposed and answered (their answer held, the partner's not yet in).
   * Held answers are stored padded to a fixed size, which makes every database snapshot bigger: only
   * the rows about answers use this state.
   */
  static Target openPrompt(World w) {
    Target t = askedPrompt(w);
    var r = w.owner.put("/api/prompts/" + t.id("prompt") + "/answer", new JsonObject().put("answers",
        new JsonObject().put("longing", SECRET + " held answer")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return t;
  }

  static Target revealedPrompt(World w) {
    Target t = openPrompt(w);
    var r = w.partner.put("/api/prompts/" + t.id("prompt") + "/answer", new JsonObject().put("answers",
        new JsonObject().put("longing", "the partner's answer")));
    assertEquals("revealed", r.bodyAsJsonObject().getString("status"), r.bodyAsString());
    return t;
  }

  static Target cancelledPrompt(World w) {
    Target t = openPrompt(w);
    assertEquals(204, w.partner.delete("/api/prompts/" + t.id("prompt")).statusCode());
    return t;
  }

  static String held(Api owner) {
    String id = UUID.randomUUID().toString();
    var r = owner.put("/api/held/" + id, new JsonObject().put("sealed", owner.keys().seal("held", id,
        new JsonObject().put("type", "share").put("share", new JsonObject().put("title", SECRET + " held")))));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    PRIVATE_IDS.add(id);
    return id;
  }

  static void promptRows(List<Row> rows) {
    Function<World, Target> none = w -> ids();
    rows.add(new Row("GET /api/prompt-catalog", "catalog", none, (c, t) -> c.get("/api/prompt-catalog"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/prompt-catalog/:id", "catalog", none, (c, t) -> c.get("/api/prompt-catalog/after-a-hard-moment"),
        expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/prompts", "open", AuthorizationMatrixTest::askedPrompt, (c, t) -> c.get("/api/prompts"),
        expect(200, 200, 200, 409, 401)));
    for (var state : Map.<String, Function<World, Target>>of("open", AuthorizationMatrixTest::askedPrompt,
        "revealed", AuthorizationMatrixTest::revealedPrompt, "cancelled", AuthorizationMatrixTest::cancelledPrompt).entrySet()) {
      String name = state.getKey();
      Function<World, Target> target = state.getValue();
      boolean open = name.equals("open");
      boolean gone = name.equals("cancelled");
      Map<Role, Integer> read = gone ? HIDDEN : expect(200, 200, 404, 404, 401);
      rows.add(new Row("GET /api/prompts/:id", name, target, (c, t) -> c.get("/api/prompts/" + t.id("prompt")), read));
      // Asking the same question again is harmless, whoever asks (a cancelled id is free to ask again).
      rows.add(new Row("PUT /api/prompts/:id", name, target, (c, t) -> c.put("/api/prompts/" + t.id("prompt"),
          new JsonObject().put("promptId", "data-longing")), gone ? expect(201, 201, 201, 404, 401) : read));
      rows.add(new Row("DELETE /api/prompts/:id", name, target, (c, t) -> c.delete("/api/prompts/" + t.id("prompt")),
          gone ? HIDDEN : open ? expect(204, 204, 404, 404, 401) : expect(409, 409, 404, 404, 401)));
      // The owner answered already (a different answer is a 409); the partner's answer completes the pair.
      Function<World, Target> answered = open ? AuthorizationMatrixTest::openPrompt : target;
      rows.add(new Row("PUT /api/prompts/:id/answer", name, answered, (c, t) -> c.put("/api/prompts/" + t.id("prompt") + "/answer",
          new JsonObject().put("answers", new JsonObject().put("longing", "an answer from someone"))),
          gone ? HIDDEN : open ? expect(409, 200, 404, 404, 401) : expect(409, 409, 404, 404, 401)));
      rows.add(new Row("DELETE /api/prompts/:id/answer", name, answered, (c, t) -> c.delete("/api/prompts/" + t.id("prompt") + "/answer"),
          gone ? HIDDEN : open ? expect(204, 404, 404, 404, 401) : expect(409, 409, 404, 404, 401)));
    }
    Function<World, Target> aHeld = w -> ids("held", held(w.owner));
    rows.add(new Row("GET /api/held", "own", aHeld, (c, t) -> c.get("/api/held"), expect(200, 200, 200, 200, 401)));
    rows.add(new Row("GET /api/held/:id", "own", aHeld, (c, t) -> c.get("/api/held/" + t.id("held")), PRIVATE_READ));
    rows.add(new Row("PUT /api/held/:id", "own", aHeld, (c, t) -> c.put("/api/held/" + t.id("held"), new JsonObject()
        .put("sealed", sealer(c).keys().seal("held", t.id("held"), new JsonObject().put("type", "share"))).put("version", 1)),
        PRIVATE_READ));
    rows.add(new Row("DELETE /api/held/:id", "own", aHeld, (c, t) -> c.delete("/api/held/" + t.id("held")),
        expect(204, 404, 404, 404, 401)));
    // "Remind me later": only the owner sets, moves or removes the reminder of their held item.
    JsonObject reminder = new JsonObject().put("dueAt", "2027-06-01T09:00:00Z").put("channel", "email");
    rows.add(new Row("PUT /api/held/:id/reminder", "own", aHeld, (c, t) -> c.put("/api/held/" + t.id("held") + "/reminder", reminder),
        expect(201, 404, 404, 404, 401)));
    Function<World, Target> aReminded = w -> {
      Target t = aHeld.apply(w);
      assertEquals(201, w.owner.put("/api/held/" + t.id("held") + "/reminder", reminder).statusCode());
      return t;
    };
    rows.add(new Row("PUT /api/held/:id/reminder", "reminded", aReminded, (c, t) -> c.put("/api/held/" + t.id("held") + "/reminder",
        new JsonObject().put("dueAt", "2026-01-01T09:00:00Z")), expect(200, 404, 404, 404, 401)));
    rows.add(new Row("DELETE /api/held/:id/reminder", "reminded", aReminded, (c, t) -> c.delete("/api/held/" + t.id("held") + "/reminder"),
        expect(204, 404, 404, 404, 401)));
  }

  // ---- counselor access (docs/COUNSELOR.md) -----------------------------------------------------
  // The owner proposes, so only the partner may consent; another couple, a stranger and the
  // anonymous never see or change a grant. The counselor's routes ignore sessions altogether: the
  // token alone opens them, and an ended one is the same 404 for everyone.

  /** A grant on the world couple's open review, proposed by the owner: {grant, token}. */
  static Target counselorGrant(World w, boolean active) {
    Target review = reviewWithoutLiveGrants(w);
    var r = w.owner.post("/api/counselor-grants", new JsonObject().put("reviewId", review.id("review")).put("label", "Dr. Matrix"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String id = r.bodyAsJsonObject().getJsonObject("grant").getString("id");
    if (active) assertEquals(200, w.partner.put("/api/counselor-grants/" + id + "/consent", new JsonObject()).statusCode());
    return ids("grant", id, "token", r.bodyAsJsonObject().getString("token"), "review", review.id("review"));
  }

  /** The open review, with the couple's earlier grants ended (a couple holds at most 10 live ones). */
  static Target reviewWithoutLiveGrants(World w) {
    for (Object o : w.owner.get("/api/counselor-grants").bodyAsJsonObject().getJsonArray("grants")) {
      JsonObject g = (JsonObject) o;
      if (Set.of("pending", "active").contains(g.getString("status"))) {
        assertEquals(204, w.owner.delete("/api/counselor-grants/" + g.getString("id")).statusCode());
      }
    }
    return openReview(w);
  }

  static Target revokedGrant(World w) {
    Target t = counselorGrant(w, true);
    assertEquals(204, w.partner.delete("/api/counselor-grants/" + t.id("grant")).statusCode());
    return t;
  }

  static HttpResponse<Buffer> asCounselor(Api caller, String path, String token) {
    return caller.send(HttpMethod.GET, path, null, io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token));
  }

  static void counselorRows(List<Row> rows) {
    Function<World, Target> pending = w -> counselorGrant(w, false);
    Function<World, Target> active = w -> counselorGrant(w, true);
    rows.add(new Row("POST /api/counselor-grants", "own review", AuthorizationMatrixTest::reviewWithoutLiveGrants, (c, t) -> c.post("/api/counselor-grants",
        new JsonObject().put("reviewId", t.id("review"))), expect(201, 201, 404, 409, 401)));
    rows.add(new Row("GET /api/counselor-grants", "pending", pending, (c, t) -> c.get("/api/counselor-grants"), expect(200, 200, 200, 409, 401)));
    for (var state : Map.<String, Function<World, Target>>of("pending", pending, "active", active,
        "revoked", AuthorizationMatrixTest::revokedGrant).entrySet()) {
      String name = state.getKey();
      rows.add(new Row("GET /api/counselor-grants/:id", name, state.getValue(), (c, t) -> c.get("/api/counselor-grants/" + t.id("grant")),
          expect(200, 200, 404, 404, 401)));
      // The proposer cannot consent for both; an ended grant cannot be consented to.
      int partnerConsent = name.equals("revoked") ? 409 : 200;
      rows.add(new Row("PUT /api/counselor-grants/:id/consent", name, state.getValue(), (c, t) -> c.put("/api/counselor-grants/"
          + t.id("grant") + "/consent", new JsonObject()), expect(403, partnerConsent, 404, 404, 401)));
      rows.add(new Row("DELETE /api/counselor-grants/:id", name, state.getValue(), (c, t) -> c.delete("/api/counselor-grants/"
          + t.id("grant")), expect(204, 204, 404, 404, 401)));
    }
    // Whoever holds an active token reads the brief, session or not; nobody gets in without one.
    rows.add(new Row("GET /api/counselor/view", "active, its token", active, (c, t) -> asCounselor(c, "/api/counselor/view", t.id("token")),
        expect(200, 200, 200, 200, 200)));
    rows.add(new Row("GET /api/counselor/view", "pending, its token", pending, (c, t) -> asCounselor(c, "/api/counselor/view", t.id("token")),
        expect(404, 404, 404, 404, 404)));
    rows.add(new Row("GET /api/counselor/brief.pdf", "revoked, its token", AuthorizationMatrixTest::revokedGrant,
        (c, t) -> asCounselor(c, "/api/counselor/brief.pdf", t.id("token")), expect(404, 404, 404, 404, 404)));
    rows.add(new Row("GET /api/counselor/events", "revoked, its token", AuthorizationMatrixTest::revokedGrant,
        (c, t) -> asCounselor(c, "/api/counselor/events", t.id("token")), expect(404, 404, 404, 404, 404)));
  }

  // ---- care and safety (#15: docs/SAFETY.md, docs/REVIEW.md "Closing") -------------------------
  // The help page's resources are for everyone, signed in or not. Closing with carryOver is the
  // close route with a body: the couple only, and a share not on the agenda is refused unchanged.

  static void careRows(List<Row> rows) {
    Function<World, Target> none = w -> ids();
    rows.add(new Row("GET /api/help", "public", none, (c, t) -> c.get("/api/help"), expect(200, 200, 200, 200, 200)));
    rows.add(new Row("POST /api/reviews/:id/close", "open, carrying over", AuthorizationMatrixTest::openReview,
        (c, t) -> c.post("/api/reviews/" + t.id("review") + "/close",
            new JsonObject().put("carryOver", new JsonArray().add(t.id("share")))), expect(200, 200, 404, 404, 401)));
    rows.add(new Row("POST /api/reviews/:id/close", "open, carrying over a share not on it", AuthorizationMatrixTest::openReview,
        (c, t) -> c.post("/api/reviews/" + t.id("review") + "/close",
            new JsonObject().put("carryOver", new JsonArray().add(UUID.randomUUID().toString()))), expect(400, 400, 404, 404, 401)));
  }

  static Api freshlyPaired() {
    Api a = server.register("Fresh");
    Pairing.pair(a, server.register("FreshPartner"));
    return a;
  }

  /** The database without what any request may touch in passing (sessions' idle clocks, throttles, lazily made keys). */
  static String snapshot() {
    // A share created for this row cleans up after its answer; that is not the refused request's doing.
    server.settled();
    return server.dumpDatabase().lines()
        .filter(l -> !l.startsWith("sessions ") && !l.startsWith("throttles ") && !l.startsWith("keys "))
        // The counselor routes' hourly count of wrong tokens (docs/COUNSELOR.md): touched in passing, like throttles.
        .filter(l -> !l.startsWith("counselor_audit "))
        .sorted().collect(Collectors.joining("\n"));
  }

  @Test
  void everyRouteIsInTheTable() {
    Set<String> covered = table().stream().map(Row::route).collect(Collectors.toCollection(TreeSet::new));
    Set<String> missing = new TreeSet<>(server.app.routes());
    missing.removeAll(covered);
    assertEquals(Set.of(), missing, "routes the authorization matrix does not cover");
  }

  @Test
  void everyRoleGetsTheContractsAnswerAndRefusalsChangeNothing() {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Row row : table()) {
      for (Role role : Role.values()) {
        Target target = row.target().apply(world);
        int expected = row.expect().get(role);
        String before = expected >= 400 ? snapshot() : null;
        HttpResponse<Buffer> r = row.request().send(world.as(role), target);
        checked++;
        String where = row.route() + " [" + row.state() + "] as " + role;
        if (r.statusCode() != expected) {
          failures.add(where + ": expected " + expected + " got " + r.statusCode() + " " + r.bodyAsString());
          continue;
        }
        if (expected >= 400) {
          JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
          if (error == null || error.getString("code") == null) failures.add(where + ": no error body");
          if (!before.equals(snapshot())) failures.add(where + ": a refused request changed the database");
        }
        if (role != Role.OWNER && r.bodyAsString() != null) {
          String body = r.bodyAsString();
          if (PRIVATE_IDS.stream().anyMatch(body::contains)) failures.add(where + ": saw one of the owner's private items");
        }
      }
    }
    assertTrue(checked > 150, "rows x roles checked: " + checked);
    assertEquals(List.of(), failures);
  }

  @Test
  void listsNeverContainAnotherPersonsPrivateWork() {
    reflection(world.owner);
    part(world.owner);
    checkin(world.owner);
    kept(world.owner);
    followup(world.owner);
    for (Api caller : List.of(world.partner, world.other, world.stranger)) {
      for (String path : List.of("/api/reflections", "/api/parts", "/api/checkins", "/api/kept", "/api/followups", "/api/me/export", "/api/me/unsealed")) {
        var r = caller.get(path);
        assertEquals(200, r.statusCode(), path + " " + r.bodyAsString());
        for (String id : PRIVATE_IDS) assertFalse(r.bodyAsString().contains(id), path + " leaked " + id + " to another person");
      }
    }
  }

  @Test
  void anotherCoupleNeverSeesThisCouplesShares() {
    String id = share(world.owner);
    var theirs = world.other.get("/api/shares");
    assertEquals(200, theirs.statusCode());
    assertFalse(theirs.bodyAsString().contains(id));
    var ours = world.partner.get("/api/shares");
    assertTrue(ours.bodyAsString().contains(id));
  }
}
