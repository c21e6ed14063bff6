package dev.bridgework.web;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document ({@code GET /api/openapi.json}) lists exactly the routes the server serves, and
 * the server's real answers in a realistic session fit the document's schema for their status.
 */
@Timeout(120)
@ExtendWith(VertxExtension.class)
class OpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
  private static TestServer server;
  private static JsonObject doc;
  private static final List<String> checked = new ArrayList<>();
  private static final List<String> failures = new ArrayList<>();

  @BeforeAll
  static void start(Vertx vertx) {
    // The document is read before this method returns, so the server is deployed synchronously.
    server = TestServer.startOn(vertx, Map.of());
    var r = server.client().get("/api/openapi.json");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
    doc = r.bodyAsJsonObject();
  }

  @Test
  void theDocumentIsOpenApi31AndServedWithoutASession() {
    assertEquals("3.1.0", doc.getString("openapi"));
    assertNotNull(doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Share"));
  }

  @Test
  void theSchemasRejectAnAnswerOfTheWrongShape() {
    JsonObject shareSchema = (JsonObject) inline(new JsonObject().put("$ref", "#/components/schemas/Share"));
    Validator validator = Validator.create(JsonSchema.of(shareSchema), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("https://bridgework.invalid/"));
    assertEquals(Boolean.FALSE, validator.validate(new JsonObject().put("id", "x").put("title", 5)).getValid());
    JsonObject health = (JsonObject) inline(new JsonObject().put("$ref", "#/components/schemas/Health"));
    assertEquals(Boolean.FALSE, Validator.create(JsonSchema.of(health), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("https://bridgework.invalid/")).validate(new JsonObject().put("status", "MAYBE").put("checks", new JsonArray())).getValid());
    // A prompt never carries an answer's text where it says who has answered; a pair share names its prompt.
    JsonObject prompt = (JsonObject) inline(new JsonObject().put("$ref", "#/components/schemas/Prompt"));
    JsonObject answered = new JsonObject().put("id", "p").put("promptId", "c").put("title", "t").put("kind", "single")
        .put("proposedBy", "u").put("status", "open").put("answered", new JsonObject().put("u", "my answer")).putNull("shareId")
        .put("createdAt", "2026-01-01T00:00:00Z").put("updatedAt", "2026-01-01T00:00:00Z").putNull("revealedAt");
    assertEquals(Boolean.FALSE, Validator.create(JsonSchema.of(prompt), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("https://bridgework.invalid/")).validate(answered).getValid());
    assertEquals(Boolean.TRUE, Validator.create(JsonSchema.of(prompt), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("https://bridgework.invalid/")).validate(answered.copy().put("answered", new JsonObject().put("u", true))).getValid());
    JsonObject pair = new JsonObject().put("id", "s").put("authorId", "u").putNull("reflectionId").put("title", "t")
        .put("excerpts", new JsonArray()).put("note", "").put("intent", "respond").put("counseling", false).put("responses", new JsonArray())
        .put("createdAt", "2026-01-01T00:00:00Z").put("updatedAt", "2026-01-01T00:00:00Z").put("version", 1).put("kind", "pair");
    assertEquals(Boolean.FALSE, validator.validate(pair).getValid(), "a pair names its prompt");
    assertEquals(Boolean.FALSE, validator.validate(pair.copy().put("kind", "single").put("promptId", "p")).getValid());
    assertEquals(Boolean.TRUE, validator.validate(pair.copy().put("promptId", "p")).getValid());
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedRouteExists() {
    Set<String> documented = new TreeSet<>();
    doc.getJsonObject("paths").forEach(path -> {
      for (String method : ((JsonObject) path.getValue()).fieldNames()) {
        if (METHODS.contains(method)) documented.add(method.toUpperCase() + " " + path.getKey().replaceAll("\\{([^}]+)}", ":$1"));
      }
    });
    Set<String> served = new TreeSet<>(server.app.allRoutes());
    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(documented);
    Set<String> phantom = new TreeSet<>(documented);
    phantom.removeAll(served);
    assertEquals(Set.of(), undocumented, "routes the OpenAPI document lacks");
    assertEquals(Set.of(), phantom, "documented routes the server does not serve");
  }

  @Test
  void realAnswersOfARealisticSessionFitTheDocumentsSchemas() {
    Api anonymous = server.client();
    check(anonymous.get("/health"), "GET", "/health");
    check(anonymous.get("/health/live"), "GET", "/health/live");
    check(anonymous.get("/health/ready"), "GET", "/health/ready");
    check(anonymous.get("/api/me"), "GET", "/api/me");
    check(anonymous.get("/api/ws"), "GET", "/api/ws");
    check(anonymous.post("/api/auth/prelogin", new JsonObject().put("email", "nobody@example.test")), "POST", "/api/auth/prelogin");

    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    check(alice.post("/api/auth/login", alice.loginBody()), "POST", "/api/auth/login");
    check(anonymous.post("/api/auth/login", alice.loginBody().put("authKey", "d3Jvbmc")), "POST", "/api/auth/login");
    check(alice.post("/api/auth/register", TestServer.registration(alice.email(), "Again", Api.freshKeys())), "POST", "/api/auth/register");
    check(alice.get("/api/me"), "GET", "/api/me");
    check(alice.get("/api/me/session-key"), "GET", "/api/me/session-key");
    check(alice.get("/api/me/unsealed"), "GET", "/api/me/unsealed");
    check(alice.post("/api/me/unsealed/finish", new JsonObject()), "POST", "/api/me/unsealed/finish");
    check(alice.delete("/api/me/ending"), "DELETE", "/api/me/ending");

    var exercises = check(alice.get("/api/exercises"), "GET", "/api/exercises");
    String exerciseId = exercises.bodyAsJsonObject().getJsonArray("exercises").getJsonObject(0).getString("id");
    check(alice.get("/api/exercises/" + exerciseId), "GET", "/api/exercises/{id}");
    check(alice.get("/api/exercises/no-such-exercise"), "GET", "/api/exercises/{id}");

    // Sealed private work.
    String reflectionId = UUID.randomUUID().toString();
    check(alice.saveReflection(reflectionId, exerciseId, new JsonObject(), "draft", null), "PUT", "/api/reflections/{id}");
    check(alice.saveReflection(reflectionId, exerciseId, new JsonObject(), "complete", 1), "PUT", "/api/reflections/{id}");
    check(alice.saveReflection(reflectionId, exerciseId, new JsonObject().put("x", "y"), "draft", 1), "PUT", "/api/reflections/{id}");
    check(alice.get("/api/reflections/" + reflectionId), "GET", "/api/reflections/{id}");
    check(alice.get("/api/reflections?limit=10"), "GET", "/api/reflections");
    check(alice.get("/api/reflections?colour=red"), "GET", "/api/reflections");
    String partId = UUID.randomUUID().toString();
    check(alice.savePart(partId, new JsonObject().put("name", "The critic"), null), "PUT", "/api/parts/{id}");
    check(alice.get("/api/parts"), "GET", "/api/parts");
    check(alice.get("/api/parts/" + partId), "GET", "/api/parts/{id}");
    check(bob.get("/api/parts/" + partId), "GET", "/api/parts/{id}");
    check(alice.saveCheckin(UUID.randomUUID().toString(), null, new JsonObject().put("intensity", 3), null), "PUT", "/api/checkins/{id}");
    check(alice.get("/api/checkins"), "GET", "/api/checkins");
    String keptId = UUID.randomUUID().toString();
    check(alice.saveKept(keptId, new JsonObject().put("source", "share"), null), "PUT", "/api/kept/{id}");
    check(alice.get("/api/kept"), "GET", "/api/kept");
    check(alice.get("/api/kept/" + keptId), "GET", "/api/kept/{id}");
    check(alice.delete("/api/kept/" + keptId), "DELETE", "/api/kept/{id}");
    String heldId = UUID.randomUUID().toString();
    JsonObject heldContent = new JsonObject().put("type", "share").put("share", new JsonObject().put("title", "Later"));
    check(alice.put("/api/held/" + heldId, new JsonObject().put("sealed", alice.keys().seal("held", heldId, heldContent))),
        "PUT", "/api/held/{id}");
    check(alice.put("/api/held/" + UUID.randomUUID(), new JsonObject().put("title", "in the clear")), "PUT", "/api/held/{id}");
    check(alice.get("/api/held"), "GET", "/api/held");
    check(alice.get("/api/held/" + heldId), "GET", "/api/held/{id}");
    check(bob.get("/api/held/" + heldId), "GET", "/api/held/{id}");
    String reminderPath = "/api/held/" + heldId + "/reminder";
    JsonObject remindAt = new JsonObject().put("dueAt", server.clock.instant().plusSeconds(3600).toString()).put("channel", "email");
    check(alice.put(reminderPath, remindAt), "PUT", "/api/held/{id}/reminder");
    check(alice.put(reminderPath, remindAt.copy().put("dueAt", server.clock.instant().minusSeconds(60).toString())), "PUT", "/api/held/{id}/reminder");
    check(alice.put(reminderPath, new JsonObject().put("dueAt", "this evening")), "PUT", "/api/held/{id}/reminder");
    check(bob.put(reminderPath, remindAt), "PUT", "/api/held/{id}/reminder");
    check(alice.get("/api/held/" + heldId), "GET", "/api/held/{id}");
    check(alice.get("/api/held"), "GET", "/api/held");
    check(alice.get("/api/me/unread"), "GET", "/api/me/unread");
    check(alice.delete(reminderPath), "DELETE", "/api/held/{id}/reminder");
    check(alice.delete(reminderPath), "DELETE", "/api/held/{id}/reminder");
    String followupId = UUID.randomUUID().toString();
    JsonObject followup = new JsonObject().put("type", "followup").put("text", "Look back").put("dueAt", "2026-02-01T09:00:00Z");
    check(alice.put("/api/followups/" + followupId, new JsonObject().put("sealed", alice.keys().seal("followup", followupId, followup))),
        "PUT", "/api/followups/{id}");
    check(alice.put("/api/followups/" + followupId, new JsonObject().put("sealed", alice.keys().seal("followup", followupId,
        followup.copy().put("done", true))).put("version", 1)), "PUT", "/api/followups/{id}");
    check(alice.get("/api/followups"), "GET", "/api/followups");
    check(alice.get("/api/followups/" + followupId), "GET", "/api/followups/{id}");
    check(alice.delete("/api/followups/" + followupId), "DELETE", "/api/followups/{id}");
    check(alice.get("/api/followups/" + followupId), "GET", "/api/followups/{id}");
    String checkinId = UUID.randomUUID().toString();
    check(alice.saveCheckin(checkinId, null, new JsonObject().put("intensity", 2), null), "PUT", "/api/checkins/{id}");
    check(alice.get("/api/checkins/" + checkinId), "GET", "/api/checkins/{id}");
    check(alice.delete("/api/checkins/" + checkinId), "DELETE", "/api/checkins/{id}");
    check(alice.delete("/api/checkins/" + checkinId), "DELETE", "/api/checkins/{id}");
    check(alice.get("/api/me/export"), "GET", "/api/me/export");

    // Notices, reminders and the one-click unsubscribe.
    check(alice.get("/api/me/notifications"), "GET", "/api/me/notifications");
    check(alice.put("/api/me/notifications", new JsonObject().put("email", "digest").put("receipts", true)
        .put("quietHours", new JsonObject().put("from", "22:00").put("to", "07:00"))
        .put("checkin", new JsonObject().put("every", "weekly").put("weekday", "sunday"))), "PUT", "/api/me/notifications");
    check(alice.put("/api/me/notifications", new JsonObject().put("checkin", new JsonObject().put("weekday", "someday"))),
        "PUT", "/api/me/notifications");
    check(alice.get("/api/me/unread"), "GET", "/api/me/unread");
    check(alice.get("/api/me/receipts"), "GET", "/api/me/receipts");
    check(alice.put("/api/me/seen", new JsonObject().put("checkin", true)), "PUT", "/api/me/seen");
    String reminderId = UUID.randomUUID().toString();
    check(alice.put("/api/me/reminders/" + reminderId, new JsonObject().put("dueAt", "2030-01-01T09:00:00Z").put("channel", "app")),
        "PUT", "/api/me/reminders/{id}");
    check(alice.put("/api/me/reminders/" + reminderId, new JsonObject().put("dueAt", "2030-01-02T09:00:00Z").put("channel", "email")),
        "PUT", "/api/me/reminders/{id}");
    check(bob.put("/api/me/reminders/" + reminderId, new JsonObject().put("dueAt", "2030-01-01T09:00:00Z").put("channel", "app")),
        "PUT", "/api/me/reminders/{id}");
    check(alice.get("/api/me/reminders"), "GET", "/api/me/reminders");
    check(alice.delete("/api/me/reminders/" + reminderId), "DELETE", "/api/me/reminders/{id}");
    check(alice.delete("/api/me/reminders/" + reminderId), "DELETE", "/api/me/reminders/{id}");
    check(anonymous.get("/api/unsubscribe?token=forged"), "GET", "/api/unsubscribe");
    check(anonymous.post("/api/unsubscribe?token=forged", new JsonObject()), "POST", "/api/unsubscribe");

    // The prompt catalog.
    var catalog = check(alice.get("/api/prompt-catalog"), "GET", "/api/prompt-catalog");
    JsonObject catalogPrompt = catalog.bodyAsJsonObject().getJsonArray("prompts").getJsonObject(0);
    check(alice.get("/api/prompt-catalog/" + catalogPrompt.getString("id")), "GET", "/api/prompt-catalog/{id}");
    check(alice.get("/api/prompt-catalog/no-such-prompt"), "GET", "/api/prompt-catalog/{id}");
    check(alice.get("/api/prompts"), "GET", "/api/prompts");

    // Pairing.
    check(alice.get("/api/couple"), "GET", "/api/couple");
    check(alice.get("/api/shares"), "GET", "/api/shares");
    check(alice.post("/api/couple", new JsonObject()), "POST", "/api/couple");
    check(alice.post("/api/couple", new JsonObject()), "POST", "/api/couple");
    check(bob.post("/api/couple/join", new JsonObject().put("code", "NOPE-NOPE")), "POST", "/api/couple/join");
    var invite = check(alice.post("/api/couple/invite", new JsonObject()), "POST", "/api/couple/invite");
    check(bob.post("/api/couple/join", new JsonObject().put("code", invite.bodyAsJsonObject().getJsonObject("invite").getString("code"))),
        "POST", "/api/couple/join");
    check(bob.get("/api/couple"), "GET", "/api/couple");

    // Sharing and responding.
    String shareId = UUID.randomUUID().toString();
    JsonObject share = new JsonObject().put("reflectionId", reflectionId).put("title", "What I noticed")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "I went quiet when it got loud."))).put("note", "For Sunday")
        .put("intent", "respond");
    check(alice.put("/api/shares/" + shareId, share), "PUT", "/api/shares/{id}");
    check(alice.put("/api/shares/" + shareId, share.copy().put("title", "Edited").put("version", 1)), "PUT", "/api/shares/{id}");
    check(alice.put("/api/shares/" + shareId, share.copy().put("title", "Stale").put("version", 1)), "PUT", "/api/shares/{id}");
    check(bob.put("/api/shares/" + shareId, share.copy().put("title", "Not mine")), "PUT", "/api/shares/{id}");
    check(alice.put("/api/shares/" + UUID.randomUUID(), share.copy().put("intent", "shout")), "PUT", "/api/shares/{id}");
    check(bob.get("/api/shares"), "GET", "/api/shares");
    check(bob.get("/api/shares/" + shareId), "GET", "/api/shares/{id}");
    check(bob.put("/api/shares/" + shareId + "/counseling", new JsonObject().put("flag", true)), "PUT", "/api/shares/{id}/counseling");
    String ackId = UUID.randomUUID().toString();
    check(bob.put("/api/shares/" + shareId + "/responses/" + ackId, new JsonObject().put("kind", "ack").put("ack", "hear_you")),
        "PUT", "/api/shares/{id}/responses/{rid}");
    check(alice.put("/api/shares/" + shareId + "/responses/" + UUID.randomUUID(), new JsonObject().put("kind", "ack").put("ack", "hear_you")),
        "PUT", "/api/shares/{id}/responses/{rid}");
    String commentId = UUID.randomUUID().toString();
    check(alice.put("/api/shares/" + shareId + "/responses/" + commentId, new JsonObject().put("kind", "comment").put("text", "Thank you")),
        "PUT", "/api/shares/{id}/responses/{rid}");
    check(bob.delete("/api/shares/" + shareId + "/responses/" + commentId), "DELETE", "/api/shares/{id}/responses/{rid}");
    check(alice.delete("/api/shares/" + shareId + "/responses/" + commentId), "DELETE", "/api/shares/{id}/responses/{rid}");

    // Answer apart, reveal together: the reveal is a pair share.
    String promptId = UUID.randomUUID().toString();
    String catalogId = catalogPrompt.getString("id");
    String questionId = catalogPrompt.getJsonArray("questions").getJsonObject(0).getString("id");
    check(alice.put("/api/prompts/" + promptId, new JsonObject().put("promptId", catalogId)), "PUT", "/api/prompts/{id}");
    check(alice.put("/api/prompts/" + promptId, new JsonObject().put("promptId", catalogId)), "PUT", "/api/prompts/{id}");
    String otherCatalogId = catalog.bodyAsJsonObject().getJsonArray("prompts").getJsonObject(1).getString("id");
    check(bob.put("/api/prompts/" + promptId, new JsonObject().put("promptId", otherCatalogId)), "PUT", "/api/prompts/{id}");
    check(alice.put("/api/prompts/" + UUID.randomUUID(), new JsonObject().put("promptId", "no-such-prompt")), "PUT", "/api/prompts/{id}");
    check(bob.delete("/api/prompts/" + promptId + "/answer"), "DELETE", "/api/prompts/{id}/answer");
    check(alice.put("/api/prompts/" + promptId + "/answer", new JsonObject().put("answers", new JsonObject().put(questionId, "Mine"))),
        "PUT", "/api/prompts/{id}/answer");
    check(alice.put("/api/prompts/" + promptId + "/answer", new JsonObject().put("answers", new JsonObject().put(questionId, "Changed"))),
        "PUT", "/api/prompts/{id}/answer");
    check(alice.put("/api/prompts/" + promptId + "/answer", new JsonObject().put("answers", new JsonObject().put("no-such-question", "x"))),
        "PUT", "/api/prompts/{id}/answer");
    check(bob.get("/api/prompts/" + promptId), "GET", "/api/prompts/{id}");
    var revealed = check(bob.put("/api/prompts/" + promptId + "/answer",
        new JsonObject().put("answers", new JsonObject().put(questionId, "Yours"))), "PUT", "/api/prompts/{id}/answer");
    String pairId = revealed.bodyAsJsonObject().getString("shareId");
    assertNotNull(pairId, revealed.bodyAsString());
    check(alice.delete("/api/prompts/" + promptId + "/answer"), "DELETE", "/api/prompts/{id}/answer");
    check(alice.delete("/api/prompts/" + promptId), "DELETE", "/api/prompts/{id}");
    check(alice.get("/api/prompts"), "GET", "/api/prompts");
    var pair = check(alice.get("/api/shares/" + pairId), "GET", "/api/shares/{id}");
    assertEquals("pair", pair.bodyAsJsonObject().getString("kind"), pair.bodyAsString());
    check(alice.put("/api/shares/" + pairId, share.copy().put("title", "Not editable")), "PUT", "/api/shares/{id}");
    check(alice.get("/api/shares"), "GET", "/api/shares");
    String cancelled = UUID.randomUUID().toString();
    check(bob.put("/api/prompts/" + cancelled, new JsonObject().put("promptId", catalogId)), "PUT", "/api/prompts/{id}");
    check(alice.delete("/api/prompts/" + cancelled), "DELETE", "/api/prompts/{id}");
    check(alice.get("/api/prompts/" + cancelled), "GET", "/api/prompts/{id}");
    check(bob.get("/api/me/unread"), "GET", "/api/me/unread");
    check(bob.put("/api/me/seen", new JsonObject().put("couple", 1).put("opened", new JsonArray().add(shareId))), "PUT", "/api/me/seen");
    check(bob.put("/api/me/notifications", new JsonObject().put("receipts", true)), "PUT", "/api/me/notifications");
    check(bob.put("/api/me/seen", new JsonObject().put("opened", new JsonArray().add(shareId))), "PUT", "/api/me/seen");
    check(alice.get("/api/me/receipts"), "GET", "/api/me/receipts");

    // The joint review and the brief.
    check(alice.get("/api/reviews/current"), "GET", "/api/reviews/current");
    var started = check(alice.post("/api/reviews", new JsonObject()), "POST", "/api/reviews");
    String reviewId = started.bodyAsJsonObject().getString("id");
    check(bob.post("/api/reviews", new JsonObject()), "POST", "/api/reviews");
    check(bob.get("/api/reviews/current"), "GET", "/api/reviews/current");
    check(alice.put("/api/reviews/" + reviewId + "/agenda", new JsonObject().put("shareIds", new JsonArray().add(shareId))),
        "PUT", "/api/reviews/{id}/agenda");
    check(alice.put("/api/reviews/" + reviewId + "/notes/" + shareId, new JsonObject().put("text", "I want to talk about this")),
        "PUT", "/api/reviews/{id}/notes/{shareId}");
    check(alice.put("/api/reviews/" + reviewId + "/notes/" + UUID.randomUUID(), new JsonObject().put("text", "Not on the agenda")),
        "PUT", "/api/reviews/{id}/notes/{shareId}");
    check(alice.put("/api/reviews/" + reviewId + "/ready", new JsonObject().put("ready", true)), "PUT", "/api/reviews/{id}/ready");
    check(bob.get("/api/reviews/" + reviewId + "/brief?format=md"), "GET", "/api/reviews/{id}/brief");
    check(bob.get("/api/reviews/" + reviewId + "/brief?format=doc"), "GET", "/api/reviews/{id}/brief");
    check(bob.post("/api/reviews/" + reviewId + "/close", new JsonObject()), "POST", "/api/reviews/{id}/close");
    check(bob.put("/api/reviews/" + reviewId + "/ready", new JsonObject().put("ready", false)), "PUT", "/api/reviews/{id}/ready");
    check(alice.get("/api/reviews/" + reviewId), "GET", "/api/reviews/{id}");
    check(alice.get("/api/reviews"), "GET", "/api/reviews");

    // Counselor access to the review: proposed by one, consented by the other, opened with the link's token.
    var proposed = check(alice.post("/api/counselor-grants", new JsonObject().put("reviewId", reviewId).put("label", "Dr. Rivera").put("days", 7)),
        "POST", "/api/counselor-grants");
    String grantId = proposed.bodyAsJsonObject().getJsonObject("grant").getString("id");
    String token = proposed.bodyAsJsonObject().getString("token");
    check(alice.get("/api/counselor-grants"), "GET", "/api/counselor-grants");
    check(alice.put("/api/counselor-grants/" + grantId + "/consent", new JsonObject()), "PUT", "/api/counselor-grants/{id}/consent");
    check(bob.put("/api/counselor-grants/" + grantId + "/consent", new JsonObject()), "PUT", "/api/counselor-grants/{id}/consent");
    check(bob.get("/api/counselor-grants/" + grantId), "GET", "/api/counselor-grants/{id}");
    io.vertx.core.MultiMap bearer = io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
    check(anonymous.send(HttpMethod.GET, "/api/counselor/view", null, bearer), "GET", "/api/counselor/view");
    check(anonymous.send(HttpMethod.GET, "/api/counselor/brief.pdf", null, bearer), "GET", "/api/counselor/brief.pdf");
    check(anonymous.send(HttpMethod.GET, "/api/counselor/view", null,
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer not-a-token")), "GET", "/api/counselor/view");
    check(alice.delete("/api/counselor-grants/" + grantId), "DELETE", "/api/counselor-grants/{id}");

    // Withdrawal, keys, leaving, deletion, signing out.
    check(bob.delete("/api/shares/" + shareId), "DELETE", "/api/shares/{id}");
    check(alice.delete("/api/shares/" + shareId), "DELETE", "/api/shares/{id}");
    check(alice.delete("/api/reflections/" + reflectionId), "DELETE", "/api/reflections/{id}");
    check(alice.delete("/api/parts/" + partId), "DELETE", "/api/parts/{id}");
    check(bob.delete("/api/couple"), "DELETE", "/api/couple");
    check(alice.get("/api/me"), "GET", "/api/me");
    check(alice.put("/api/me/keys", new JsonObject().put("currentAuthKey", "d3Jvbmc").mergeIn(Api.freshKeys().body())), "PUT", "/api/me/keys");
    var prelogin = check(anonymous.post("/api/auth/prelogin", new JsonObject().put("email", alice.email())), "POST", "/api/auth/prelogin");
    assertNotNull(prelogin.bodyAsJsonObject().getJsonObject("kdf"));
    check(anonymous.post("/api/auth/recover/start", new JsonObject().put("email", alice.email()).put("recoveryAuth", "d3Jvbmc")),
        "POST", "/api/auth/recover/start");
    check(anonymous.post("/api/auth/recover", new JsonObject().put("email", alice.email()).put("recoveryAuth", "d3Jvbmc")
        .put("authKey", "x").put("kdf", new JsonObject()).put("vault", new JsonObject()).put("recoveryAuth2", "y")), "POST", "/api/auth/recover");
    Api carol = server.register("Carol");
    check(carol.delete("/api/me", new JsonObject().put("authKey", "d3Jvbmc")), "DELETE", "/api/me");
    check(carol.delete("/api/me", new JsonObject().put("authKey", carol.keys().authKey())), "DELETE", "/api/me");
    check(bob.send(HttpMethod.POST, "/api/auth/logout", null, io.vertx.core.MultiMap.caseInsensitiveMultiMap()), "POST", "/api/auth/logout");

    assertEquals(List.of(), failures, "answers that do not fit the OpenAPI document");
    assertTrue(checked.size() >= 90, "checked only " + checked.size());
    System.out.println("Validated " + checked.size() + " answers: " + new TreeSet<>(checked));
  }

  /** The answer's status is documented for the operation, and its body fits that status's schema. */
  private static HttpResponse<Buffer> check(HttpResponse<Buffer> r, String method, String template) {
    String where = method + " " + template + " " + r.statusCode();
    checked.add(where);
    JsonObject operation = doc.getJsonObject("paths").getJsonObject(template, new JsonObject()).getJsonObject(method.toLowerCase());
    if (operation == null) {
      failures.add(where + ": no such operation in the document");
      return r;
    }
    JsonObject response = operation.getJsonObject("responses").getJsonObject(String.valueOf(r.statusCode()));
    if (response == null) {
      failures.add(where + ": status not documented (" + r.bodyAsString() + ")");
      return r;
    }
    JsonObject content = response.getJsonObject("content");
    if (content == null) {
      if (r.body() != null && r.body().length() > 0) failures.add(where + ": documented without a body, but has one");
      return r;
    }
    String type = String.valueOf(r.getHeader("Content-Type")).split(";")[0].trim();
    JsonObject media = content.getJsonObject(type);
    if (media == null) {
      failures.add(where + ": content type " + type + " not documented");
      return r;
    }
    if (!type.equals("application/json")) return r;
    Validator validator = Validator.create(JsonSchema.of((JsonObject) inline(media.getJsonObject("schema"))),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://bridgework.invalid/")
            .setOutputFormat(OutputFormat.Basic));
    OutputUnit result = validator.validate(Json.decodeValue(r.bodyAsString()));
    if (!Boolean.TRUE.equals(result.getValid())) failures.add(where + ": " + result.getErrors() + " in " + r.bodyAsString());
    return r;
  }

  /** The schema with every {@code #/components/schemas/X} replaced by X itself (the schemas have no cycles). */
  private static Object inline(Object schema) {
    if (schema instanceof JsonObject obj) {
      String ref = obj.getString("$ref");
      if (ref != null && ref.startsWith("#/components/schemas/")) {
        return inline(doc.getJsonObject("components").getJsonObject("schemas").getJsonObject(ref.substring("#/components/schemas/".length())));
      }
      JsonObject out = new JsonObject();
      obj.forEach(e -> out.put(e.getKey(), inline(e.getValue())));
      return out;
    }
    if (schema instanceof JsonArray arr) {
      JsonArray out = new JsonArray();
      arr.forEach(v -> out.add(inline(v)));
      return out;
    }
    return schema;
  }
}
