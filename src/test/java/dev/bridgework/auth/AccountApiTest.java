package dev.bridgework.auth;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.ClientCrypto;
import dev.bridgework.testing.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class AccountApiTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject registration(String email, String name) {
    return TestServer.registration(email, name, Api.freshKeys());
  }

  @Test
  void registerSetsAHardenedCookieAndAnswersTheUser() {
    Api api = server.client();
    var r = api.post("/api/auth/register", registration("Robin@Example.test", "Robin"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject user = r.bodyAsJsonObject().getJsonObject("user");
    assertEquals("Robin@Example.test", user.getString("email"));
    assertEquals("Robin", user.getString("displayName"));
    assertNotNull(user.getString("id"));
    assertNotNull(user.getString("createdAt"));
    assertFalse(user.containsKey("passwordHash"));
    String cookie = r.cookies().stream().filter(c -> c.startsWith("bw_session=")).findFirst().orElse(null);
    assertNotNull(cookie, "a session cookie: " + r.cookies());
    assertTrue(cookie.toLowerCase().contains("httponly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertEquals("no-store", r.getHeader("Cache-Control"));

    var me = api.get("/api/me");
    assertEquals(200, me.statusCode());
    assertEquals(user, me.bodyAsJsonObject().getJsonObject("user"));
    assertTrue(me.bodyAsJsonObject().containsKey("couple"));
    assertNull(me.bodyAsJsonObject().getValue("couple"));
  }

  @Test
  void emailsAreUniqueIgnoringCase() {
    String email = "casey-" + System.nanoTime() + "@example.test";
    assertEquals(201, server.client().post("/api/auth/register", registration(email, "Casey")).statusCode());
    var again = server.client().post("/api/auth/register", registration(email.toUpperCase(), "Casey"));
    assertEquals(409, again.statusCode());
    assertEquals("email_taken", again.bodyAsJsonObject().getJsonObject("error").getString("code"));
    long stored = server.mongo().count("users", new JsonObject().put("emailKey", email)).await();
    assertEquals(1, stored);
  }

  @Test
  void registrationValidatesEveryField() {
    Api api = server.client();
    assertInvalid(api.post("/api/auth/register", registration("not-an-email", "A")), "email");
    assertInvalid(api.post("/api/auth/register", registration("x@example.test", "")), "displayName");
    assertInvalid(api.post("/api/auth/register", registration("x@example.test", "A").put("admin", true)), "admin");
    assertInvalid(api.post("/api/auth/register", registration("x@example.test", "A").put("email", 5)), "email");
    assertEquals(0L, server.mongo().count("users", new JsonObject().put("emailKey", "x@example.test")).await());
    // The password never reaches the server: any length is the client's business.
    var longPassword = api.post("/api/auth/register", TestServer.registration("long-" + System.nanoTime() + "@example.test", "Long",
        ClientCrypto.Keys.fresh("p".repeat(1000), Api.ITERATIONS)));
    assertEquals(201, longPassword.statusCode(), longPassword.bodyAsString());
  }

  @Test
  void loginAnswersTheSameForUnknownEmailAndWrongKey() {
    Api alice = server.register("Alice");
    String wrongKey = ClientCrypto.b64(ClientCrypto.random(32));
    var wrong = server.client().post("/api/auth/login", new JsonObject().put("email", alice.email()).put("authKey", wrongKey));
    var unknown = server.client().post("/api/auth/login", new JsonObject().put("email", "nobody-" + System.nanoTime() + "@example.test").put("authKey", wrongKey));
    assertEquals(401, wrong.statusCode());
    assertEquals(401, unknown.statusCode());
    assertEquals(wrong.bodyAsJsonObject(), unknown.bodyAsJsonObject());
    assertEquals("invalid_credentials", wrong.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  void logoutEndsTheSessionOnTheServer() {
    Api alice = server.register("Alice");
    String cookie = alice.cookieHeader();
    assertEquals(204, alice.post("/api/auth/logout", null).statusCode());
    assertEquals(401, alice.get("/api/me").statusCode());
    // The old cookie replayed by hand is dead too.
    Api replay = server.client();
    var r = replay.raw(HttpMethod.GET, "/api/me", null, MultiMap.caseInsensitiveMultiMap().add("Cookie", cookie), null);
    assertEquals(401, r.statusCode());
    assertEquals("unauthenticated", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  void loginGivesANewSessionEachTime() {
    Api alice = server.register("Alice");
    Api phone = alice.anotherDevice();
    Api laptop = alice.anotherDevice();
    assertFalse(phone.cookieHeader().equals(laptop.cookieHeader()));
    assertEquals(200, phone.get("/api/me").statusCode());
    assertEquals(200, laptop.get("/api/me").statusCode());
  }

  @Test
  void badRequestsGetTheContractsErrors() {
    Api alice = server.register("Alice");
    var badJson = alice.raw(HttpMethod.POST, "/api/auth/login", Buffer.buffer("{nope"), null, "application/json");
    assertEquals(400, badJson.statusCode());
    assertEquals("invalid_json", badJson.bodyAsJsonObject().getJsonObject("error").getString("code"));
    var array = alice.raw(HttpMethod.POST, "/api/auth/login", Buffer.buffer("[1,2]"), null, "application/json");
    assertEquals("invalid_json", array.bodyAsJsonObject().getJsonObject("error").getString("code"));
    var text = alice.raw(HttpMethod.POST, "/api/auth/login", Buffer.buffer("email=x"), null, "text/plain");
    assertEquals(415, text.statusCode());
    assertEquals("unsupported_media_type", text.bodyAsJsonObject().getJsonObject("error").getString("code"));
    var huge = alice.raw(HttpMethod.POST, "/api/auth/login", Buffer.buffer("{\"email\":\"" + "a".repeat(300 * 1024) + "\"}"), null, "application/json");
    assertEquals(413, huge.statusCode());
    assertEquals("too_large", huge.bodyAsJsonObject().getJsonObject("error").getString("code"));
    var unknown = alice.get("/api/nothing-here");
    assertEquals(404, unknown.statusCode());
    assertEquals("not_found", unknown.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertFalse(unknown.bodyAsString().contains("Exception"));
  }

  @Test
  void foreignOriginsCannotChangeAnything() {
    String email = "origin-" + System.nanoTime() + "@example.test";
    for (String origin : new String[] {"http://evil.test", "http://localhost:" + server.port() + ".evil.test", "null"}) {
      var r = server.client().send(HttpMethod.POST, "/api/auth/register", registration(email, "Eve"),
          MultiMap.caseInsensitiveMultiMap().add("Origin", origin));
      assertEquals(403, r.statusCode(), origin);
      assertEquals("forbidden_origin", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
    assertEquals(0L, server.mongo().count("users", new JsonObject().put("emailKey", email)).await());
    var own = server.client().send(HttpMethod.POST, "/api/auth/register", registration(email, "Eve"),
        MultiMap.caseInsensitiveMultiMap().add("Origin", "http://localhost:" + server.port()));
    assertEquals(201, own.statusCode());
  }

  @Test
  void securityHeadersOnEveryResponse() {
    for (String path : new String[] {"/", "/health", "/api/me", "/api/missing"}) {
      var r = server.client().get(path);
      String csp = r.getHeader("Content-Security-Policy");
      assertNotNull(csp, path);
      assertFalse(csp.contains("unsafe-inline"), path);
      assertTrue(csp.contains("frame-ancestors 'none'"), path);
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), path);
      assertEquals("no-referrer", r.getHeader("Referrer-Policy"), path);
    }
  }

  @Test
  void healthReportsTheDatabase() {
    var r = server.client().get("/health");
    assertEquals(200, r.statusCode());
    assertEquals(new JsonObject().put("status", "UP").put("checks",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "mongo").put("status", "UP"))), r.bodyAsJsonObject());
  }

  private static void assertInvalid(io.vertx.ext.web.client.HttpResponse<Buffer> r, String field) {
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("invalid", error.getString("code"));
    assertEquals(field, error.getString("field"));
  }
}
