package dev.bridgework.web;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
class OpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
  private static TestServer server;
  private static JsonObject doc;
  private static final List<String> checked = new ArrayList<>();
  private static final List<String> failures = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = TestServer.start();
    var r = server.client().get("/api/openapi.json");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
    doc = r.bodyAsJsonObject();
  }

  @AfterAll
  static void stop() {
    server.close();
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
    check(alice.get("/api/me/export"), "GET", "/api/me/export");

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
