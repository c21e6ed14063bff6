package dev.bridgework.privacy;

import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated corpus of hostile requests (malformed JSON, wrong types, huge and deeply nested
 * values, invalid UTF-8, control characters, unknown fields, path traversal and injection strings,
 * Mongo operator injection in ids, bodies and filters) against every route: only 4xx answers, never
 * a 5xx, and the database is exactly as it was.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class HostileInputTest {
  static TestServer server;
  static Api alice;
  static Api bob;
  static String shareId;
  static String reflectionId;
  static String partId;
  static String checkinId;
  static String keptId;
  static final Random RANDOM = new Random(20261125L);

  record Attack(HttpMethod method, String path, Buffer body, String contentType, String label) {}

  /** A route with a valid body: every field gets mutated into something it must refuse. */
  record Template(HttpMethod method, String path, JsonObject body) {}

  @BeforeAll
  static void start(Vertx vertx) {
    server = TestServer.startOn(vertx, Map.of());
    alice = server.register("Alice");
    bob = server.register("Bob");
    Pairing.pair(alice, bob);
    shareId = UUID.randomUUID().toString();
    assertEquals(201, alice.put("/api/shares/" + shareId, share()).statusCode());
    reflectionId = UUID.randomUUID().toString();
    assertEquals(201, alice.put("/api/reflections/" + reflectionId, reflection(reflectionId)).statusCode());
    partId = UUID.randomUUID().toString();
    assertEquals(201, alice.put("/api/parts/" + partId, part(partId)).statusCode());
    checkinId = UUID.randomUUID().toString();
    assertEquals(201, alice.put("/api/checkins/" + checkinId, checkin(checkinId)).statusCode());
    keptId = UUID.randomUUID().toString();
    assertEquals(201, alice.put("/api/kept/" + keptId, kept(keptId)).statusCode());
  }

  static JsonObject share() {
    return new JsonObject().put("title", "A title").put("intent", "listen").put("note", "a note")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "some words")));
  }

  static JsonObject reflection(String id) {
    return alice.reflectionBody(id, "mirror-recent-moment", new JsonObject().put("what-happened", "it rained").put("how-strong", 3),
        "draft", null);
  }

  static JsonObject part(String id) {
    return alice.partBody(id, new JsonObject().put("name", "The critic").put("role", "manager"), null);
  }

  static JsonObject checkin(String id) {
    return alice.checkinBody(id, null, new JsonObject().put("emotions", new JsonArray().add("calm")).put("intensity", 3).put("note", "ok"), null);
  }

  static JsonObject kept(String id) {
    return alice.keptBody(id, new JsonObject().put("source", "share").put("title", "kept"), null);
  }

  /** The keys body of a new password: what register, a recovery and a key change carry. */
  static JsonObject newKeys() {
    return Api.freshKeys().body();
  }

  static List<Template> templates() {
    String fresh = UUID.randomUUID().toString();
    return List.of(
        // An email that is taken: a mutation the server happened to accept still could not create anything.
        new Template(HttpMethod.POST, "/api/auth/register", newKeys().put("email", alice.email()).put("displayName", "X")),
        new Template(HttpMethod.POST, "/api/auth/prelogin", new JsonObject().put("email", "x@example.test")),
        new Template(HttpMethod.POST, "/api/auth/login", alice.loginBody()),
        // Recovery and a key change with a wrong code or current key: refused whatever else is wrong.
        new Template(HttpMethod.POST, "/api/auth/recover/start", new JsonObject().put("email", alice.email())
            .put("recoveryAuth", Api.freshKeys().recoveryAuth())),
        new Template(HttpMethod.POST, "/api/auth/recover", newKeys().put("email", alice.email())
            .put("recoveryAuth2", Api.freshKeys().recoveryAuth())),
        new Template(HttpMethod.PUT, "/api/me/keys", newKeys().put("currentAuthKey", Api.freshKeys().authKey())),
        new Template(HttpMethod.DELETE, "/api/me", new JsonObject().put("authKey", alice.keys().authKey())),
        new Template(HttpMethod.POST, "/api/couple/join", new JsonObject().put("code", "ABCD-EFGH-JK")),
        new Template(HttpMethod.PUT, "/api/shares/" + fresh, share()),
        new Template(HttpMethod.PUT, "/api/shares/" + shareId, share().put("version", 1)),
        new Template(HttpMethod.PUT, "/api/shares/" + shareId + "/counseling", new JsonObject().put("flag", true)),
        new Template(HttpMethod.PUT, "/api/shares/" + shareId + "/responses/" + fresh, new JsonObject().put("kind", "comment").put("text", "hi")),
        new Template(HttpMethod.PUT, "/api/reflections/" + fresh, reflection(fresh)),
        new Template(HttpMethod.PUT, "/api/reflections/" + reflectionId, reflection(reflectionId).put("version", 1)),
        new Template(HttpMethod.PUT, "/api/parts/" + partId, part(partId).put("version", 1)),
        new Template(HttpMethod.PUT, "/api/checkins/" + checkinId, checkin(checkinId).put("version", 1)),
        new Template(HttpMethod.PUT, "/api/kept/" + keptId, kept(keptId).put("version", 1)));
  }

  /** Values of the wrong JSON type for a field whose valid value is {@code valid}. */
  static List<Object> wrongTypes(Object valid) {
    List<Object> out = new ArrayList<>();
    JsonObject operator = new JsonObject().put("$gt", "");
    JsonObject where = new JsonObject().put("$where", "sleep(1000)");
    if (!(valid instanceof String)) out.addAll(List.of("a string", "{\"$gt\":\"\"}"));
    if (!(valid instanceof Number)) out.addAll(List.of(42, -1, 1.5e308));
    if (!(valid instanceof Boolean)) out.add(true);
    if (!(valid instanceof JsonArray)) out.add(new JsonArray().add("x"));
    if (!(valid instanceof JsonObject)) out.addAll(List.of(operator, where, new JsonObject()));
    if (valid instanceof String) {
      out.add("x".repeat(20_001));
      out.add("nul\u0000byte");
      out.add("bell\u0007and\u001bescape");
    }
    if (valid instanceof Number) out.addAll(List.of(Long.MAX_VALUE, -99999999999L, 3.5));
    if (valid instanceof JsonArray) {
      JsonArray huge = new JsonArray();
      for (int i = 0; i < 5_000; i++) huge.add("x");
      out.add(huge);
      out.add(new JsonArray().add(operator));
    }
    return out;
  }

  /** Every field of the body (and of its nested objects) replaced by each wrong value. */
  static List<JsonObject> mutations(JsonObject valid) {
    List<JsonObject> out = new ArrayList<>();
    for (String field : valid.fieldNames()) {
      Object value = valid.getValue(field);
      for (Object wrong : wrongTypes(value)) out.add(valid.copy().put(field, wrong));
      if (value instanceof JsonObject nested) {
        for (JsonObject m : mutations(nested)) out.add(valid.copy().put(field, m));
      }
      if (value instanceof JsonArray arr && !arr.isEmpty() && arr.getValue(0) instanceof JsonObject first) {
        for (JsonObject m : mutations(first)) out.add(valid.copy().put(field, new JsonArray().add(m)));
      }
    }
    for (String unknown : List.of("$where", "__proto__", "constructor", "admin", "ownerId.$ne", "a.b", "")) {
      out.add(valid.copy().put(unknown, true));
    }
    return out;
  }

  static final List<String> MALFORMED = List.of("{", "}", "{\"a\":}", "{'single':'quotes'}", "{\"a\":1,}", "[]", "\"string\"",
      "42", "null", "true", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":\"unterminated}", "{\"a\":1}{\"b\":2}",
      "{\"a\":\"\\ud800\"}", "\u0000", "<xml/>", "a=1&b=2", "{\"a\" 1}", "{\"\\u0000\":1}");

  static Buffer deeplyNested(int depth) {
    return Buffer.buffer("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
  }

  static Buffer invalidUtf8() {
    Buffer b = Buffer.buffer("{\"title\":\"");
    b.appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
    return b.appendString("\"}");
  }

  static final List<String> HOSTILE_IDS = List.of("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f",
      enc("{\"$gt\":\"\"}"), enc("{\"$ne\":null}"), enc("<script>alert(1)</script>"), "%00", "a".repeat(3000), enc("' OR '1'='1"),
      "00000000-0000-0000-0000-00000000000g", enc("ünïcødé"), "%ff%fe", "1;DROP TABLE users", enc("$where"), "null", "-1");

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static List<Attack> corpus() {
    List<Attack> attacks = new ArrayList<>();
    for (Template t : templates()) {
      for (JsonObject m : mutations(t.body())) attacks.add(new Attack(t.method(), t.path(), m.toBuffer(), "application/json", "mutated"));
      for (String bad : MALFORMED) attacks.add(new Attack(t.method(), t.path(), Buffer.buffer(bad), "application/json", "malformed"));
      attacks.add(new Attack(t.method(), t.path(), deeplyNested(5_000), "application/json", "nested"));
      attacks.add(new Attack(t.method(), t.path(), invalidUtf8(), "application/json", "utf8"));
      attacks.add(new Attack(t.method(), t.path(), Buffer.buffer("x".repeat(300 * 1024)), "application/json", "huge"));
      for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml")) {
        attacks.add(new Attack(t.method(), t.path(), t.body().toBuffer(), type, "content-type"));
      }
    }
    // Hostile ids in every id position of every route.
    List<String> idRoutes = List.of("GET /api/shares/%s", "PUT /api/shares/%s", "DELETE /api/shares/%s", "PUT /api/shares/%s/counseling",
        "PUT /api/shares/" + "SHARE" + "/responses/%s", "DELETE /api/shares/SHARE/responses/%s", "GET /api/reflections/%s",
        "PUT /api/reflections/%s", "DELETE /api/reflections/%s", "GET /api/parts/%s", "PUT /api/parts/%s", "DELETE /api/parts/%s",
        "PUT /api/checkins/%s", "GET /api/kept/%s", "PUT /api/kept/%s", "DELETE /api/kept/%s");
    for (String route : idRoutes) {
      String[] parts = route.split(" ", 2);
      for (String id : HOSTILE_IDS) {
        // Spaces would make the request line itself invalid: see brokenRequestLinesGetTheContractsError.
        String path = String.format(parts[1].replace("SHARE", shareId), id.replace(" ", "%20"));
        JsonObject body = path.contains("/reflections/") ? reflection(reflectionId) : path.contains("/parts/") ? part(partId)
            : path.contains("/checkins/") ? checkin(checkinId) : path.contains("/kept/") ? kept(keptId) : path.endsWith("/counseling") ? new JsonObject().put("flag", true)
            : path.contains("/responses/") ? new JsonObject().put("kind", "comment").put("text", "t") : share();
        HttpMethod method = HttpMethod.valueOf(parts[0]);
        attacks.add(new Attack(method, path, method == HttpMethod.GET || method == HttpMethod.DELETE ? null : body.toBuffer(),
            "application/json", "id"));
      }
    }
    // Filters of the list routes.
    Map<String, List<String>> filters = Map.of(
        "/api/reflections", List.of("status", "exerciseId", "limit", "before"),
        "/api/checkins", List.of("from", "to"));
    List<String> hostileValues = List.of(enc("{\"$gt\":\"\"}"), enc("{\"$ne\":null}"), "-1", "0", "101", "1e9", "abc", "%00",
        enc("' OR 1=1"), "x".repeat(2000), enc("../../"), "2026-13-45T99:99:99Z", enc("{\"$where\":\"1\"}"), "NaN", "[]");
    for (var e : filters.entrySet()) {
      for (String param : e.getValue()) {
        for (String value : hostileValues) {
          attacks.add(new Attack(HttpMethod.GET, e.getKey() + "?" + param + "=" + value, null, null, "filter"));
        }
        attacks.add(new Attack(HttpMethod.GET, e.getKey() + "?" + param + "[$ne]=x", null, null, "filter-operator"));
        attacks.add(new Attack(HttpMethod.GET, e.getKey() + "?" + param + "=a&" + param + "=b", null, null, "filter-twice"));
      }
      attacks.add(new Attack(HttpMethod.GET, e.getKey() + "?unknown=1", null, null, "filter-unknown"));
    }
    // Random combinations (fixed seed): several wrong fields at once, truncated JSON, random bytes.
    Random r = new Random(42);
    List<Template> templates = templates();
    for (int i = 0; i < 3_600; i++) {
      Template t = templates.get(r.nextInt(templates.size()));
      List<JsonObject> single = mutations(t.body());
      JsonObject combined = single.get(r.nextInt(single.size())).copy();
      for (int k = r.nextInt(3); k > 0; k--) {
        // Add another wrong field: only values that differ from the valid body, so every
        // combination stays invalid (copying a valid value back could repair the request).
        JsonObject other = single.get(r.nextInt(single.size()));
        for (String field : other.fieldNames()) {
          if (!java.util.Objects.equals(other.getValue(field), t.body().getValue(field))) combined.put(field, other.getValue(field));
        }
      }
      attacks.add(new Attack(t.method(), t.path(), combined.toBuffer(), "application/json", "combined"));
      String valid = t.body().encode();
      attacks.add(new Attack(t.method(), t.path(), Buffer.buffer(valid.substring(0, 1 + r.nextInt(valid.length() - 1))),
          "application/json", "truncated"));
      byte[] noise = new byte[1 + r.nextInt(200)];
      r.nextBytes(noise);
      noise[0] = (byte) "x{[\"\u0000\u00ff".charAt(r.nextInt(6));
      attacks.add(new Attack(t.method(), t.path(), Buffer.buffer(noise), "application/json", "noise"));
    }
    return attacks;
  }

  static String snapshot() {
    return snapshotOf(server);
  }

  /** Stored data, without what a request may touch in passing (sessions' idle clocks, throttles, lazily made keys). */
  static String snapshotOf(TestServer server) {
    // What share creates leave for after their answer is not a hostile request's doing.
    server.settled();
    return server.dumpDatabase().lines()
        .filter(l -> !l.startsWith("sessions ") && !l.startsWith("throttles ") && !l.startsWith("keys "))
        .sorted().collect(Collectors.joining("\n"));
  }

  @Test
  void theHostileCorpusGetsOnlyClientErrorsAndChangesNothing() {
    List<Attack> corpus = new ArrayList<>(corpus());
    Collections.shuffle(corpus, RANDOM);
    assertTrue(corpus.size() >= 10_000, "corpus size " + corpus.size());
    String before = snapshot();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    // One at a time: some answers close their connection (a body refused before it was read), and
    // a request must be judged on its own answer.
    int parallel = 1;
    for (int i = 0; i < corpus.size() && failures.size() < 40; i += parallel) {
      List<Future<HttpResponse<Buffer>>> batch = new ArrayList<>();
      List<Attack> sent = corpus.subList(i, Math.min(corpus.size(), i + parallel));
      for (Attack a : sent) {
        var request = alice.http().request(a.method(), a.path()).timeout(5_000);
        if (a.contentType() != null) request.putHeader("Content-Type", a.contentType());
        batch.add(a.body() == null ? request.send() : request.sendBuffer(a.body()));
      }
      for (int j = 0; j < batch.size(); j++) {
        Attack a = sent.get(j);
        String where = a.method() + " " + abbreviate(a.path()) + " (" + a.label() + ") " + abbreviate(a.body() == null ? "" : a.body().toString());
        try {
          HttpResponse<Buffer> r = batch.get(j).await();
          if (r.statusCode() < 400 || r.statusCode() >= 500) {
            failures.add(where + " -> " + r.statusCode() + " " + abbreviate(r.bodyAsString()));
          } else if (r.bodyAsJsonObject() == null || r.bodyAsJsonObject().getJsonObject("error") == null) {
            failures.add(where + " -> " + r.statusCode() + " without the contract's error body");
          }
        } catch (Exception e) {
          failures.add(where + " -> " + e);
        }
      }
    }
    assertEquals(List.of(), failures.stream().limit(40).toList(), failures.size() + " requests answered wrongly");
    assertEquals(before, snapshot(), "the hostile corpus changed stored data");
    assertEquals(200, alice.get("/api/shares/" + shareId).statusCode(), "the server still serves");
  }

  /** Bodies of every kind a client may send, each with its content type. */
  static final Map<String, Buffer> BODIES = Map.of(
      "application/x-www-form-urlencoded", Buffer.buffer("email=a%40b.test&authKey=x&$where=1"),
      "multipart/form-data; boundary=XyZ", Buffer.buffer("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../../x\"\r\n"
          + "Content-Type: application/octet-stream\r\n\r\nbytes\r\n--XyZ--\r\n"),
      "text/plain", Buffer.buffer("{\"title\":\"plain\"}"),
      "application/xml", Buffer.buffer("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"),
      "application/octet-stream", Buffer.buffer(new byte[] {0, 1, 2, (byte) 0xff}),
      "application/jsonx", Buffer.buffer("{}"));

  /**
   * A body on any method with any content type (issue #13: a GET with a form or multipart body
   * answered 500): under {@code /api/} every non-JSON body is 415 {@code unsupported_media_type},
   * whatever the method, the route or the session; the web app's pages ignore a body on GET and
   * HEAD and refuse other methods with 405. Each case is checked for its specific status and code.
   */
  @Test
  void aBodyOnAnyMethodWithAnyContentTypeGetsItsSpecificClientError() {
    List<HttpMethod> methods = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
        HttpMethod.DELETE, HttpMethod.OPTIONS);
    List<String> apiPaths = List.of("/api/me", "/api/auth/login", "/api/couple", "/api/shares", "/api/shares/" + shareId,
        "/api/reviews", "/api/reflections/" + reflectionId, "/api/parts", "/api/checkins", "/api/kept/" + keptId,
        "/api/exercises", "/api/nowhere");
    List<String> failures = new ArrayList<>();
    String before = snapshot();
    for (Api caller : List.of(alice, server.client())) {
      for (HttpMethod method : methods) {
        for (Map.Entry<String, Buffer> body : BODIES.entrySet()) {
          for (String path : apiPaths) {
            check(failures, caller, method, path, body, 415, "unsupported_media_type");
          }
          // The web app's own files: a body on a read is ignored; other methods are not allowed there.
          boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
          check(failures, caller, method, "/", body, read ? 200 : 405, read ? null : "method_not_allowed");
        }
      }
    }
    assertEquals(List.of(), failures.stream().limit(40).toList(), failures.size() + " requests answered wrongly");
    assertEquals(before, snapshot(), "bodies of other types changed stored data");
  }

  private static void check(List<String> failures, Api caller, HttpMethod method, String path, Map.Entry<String, Buffer> body,
                            int status, String code) {
    String where = method + " " + path + " (" + body.getKey() + (caller == alice ? ", signed in" : "") + ")";
    try {
      HttpResponse<Buffer> r = caller.raw(method, path, body.getValue(), null, body.getKey());
      if (r.statusCode() != status) {
        failures.add(where + " -> " + r.statusCode() + " (expected " + status + ") " + abbreviate(r.bodyAsString()));
      } else if (code != null && method != HttpMethod.HEAD
          && !code.equals(r.bodyAsJsonObject().getJsonObject("error").getString("code"))) {
        failures.add(where + " -> " + r.statusCode() + " " + abbreviate(r.bodyAsString()) + " (expected code " + code + ")");
      }
    } catch (Exception e) {
      failures.add(where + " -> " + e);
    }
  }

  @Test
  void brokenRequestLinesGetTheContractsErrorAndTheConnectionCloses() throws Exception {
    for (String line : List.of("GET /api/shares/' OR '1'='1 HTTP/1.1", "GET /api/me HTTP/9.9 extra", "\u0001\u0002 / HTTP/1.1",
        "GET /" + "a".repeat(10_000) + " HTTP/1.1")) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write((line + "\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1."), answer);
        int status = Integer.parseInt(answer.substring(9, 12));
        assertTrue(status >= 400 && status < 500, line + " -> " + answer);
        assertTrue(answer.contains("\"error\":{\"code\""), answer);
      }
    }
    assertEquals(200, alice.get("/api/shares/" + shareId).statusCode(), "the server still serves");
  }

  static String abbreviate(String s) {
    return s == null ? "" : s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }
}
