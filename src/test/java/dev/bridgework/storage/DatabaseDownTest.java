package dev.bridgework.storage;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the database gone, every route family answers 503 with a Retry-After (never 500, never a
 * hang) within the configured {@code mongo.timeout}, and so does the WebSocket upgrade.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class DatabaseDownTest {
  /** {@code mongo.timeout} of the server under test; answers must come well within a few of it. */
  static final long TIMEOUT_MS = 2000;

  TestServer server;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx, Map.of("mongo.timeout", TIMEOUT_MS / 1000 + "s"))
        .onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void everyRouteFamilyAnswers503WithRetryAfterWithinTheTimeoutWhenTheDatabaseIsGone() throws Exception {
    Api alice = server.register("Alice");
    String id = UUID.randomUUID().toString();
    server.app.database().stopEmbeddedForTests();

    record Call(HttpMethod method, String path, JsonObject body, boolean signedIn) {}
    List<Call> calls = List.of(
        new Call(HttpMethod.POST, "/api/auth/login", alice.loginBody(), false),
        new Call(HttpMethod.POST, "/api/auth/prelogin", new JsonObject().put("email", alice.email()), false),
        new Call(HttpMethod.POST, "/api/auth/recover/start", new JsonObject().put("email", alice.email())
            .put("recoveryAuth", alice.keys().recoveryAuth()), false),
        new Call(HttpMethod.GET, "/api/me", null, true),
        new Call(HttpMethod.GET, "/api/me/export", null, true),
        new Call(HttpMethod.POST, "/api/couple", new JsonObject(), true),
        new Call(HttpMethod.POST, "/api/couple/join", new JsonObject().put("code", "ABCD-EFGH-JK"), true),
        new Call(HttpMethod.GET, "/api/shares", null, true),
        new Call(HttpMethod.GET, "/api/reviews", null, true),
        new Call(HttpMethod.GET, "/api/exercises", null, true),
        new Call(HttpMethod.PUT, "/api/reflections/" + id, alice.reflectionBody(id, "mirror-recent-moment",
            new JsonObject().put("what-happened", "x"), "draft", null), true),
        new Call(HttpMethod.GET, "/api/parts", null, true),
        new Call(HttpMethod.GET, "/api/checkins", null, true),
        new Call(HttpMethod.GET, "/api/kept", null, true));
    List<String> wrong = new ArrayList<>();
    for (Call call : calls) {
      Api client = call.signedIn() ? alice : server.client();
      long started = System.nanoTime();
      HttpResponse<Buffer> r = client.send(call.method(), call.path(), call.body(), null);
      long ms = (System.nanoTime() - started) / 1_000_000;
      String where = call.method() + " " + call.path() + " -> " + r.statusCode() + " in " + ms + " ms " + r.bodyAsString();
      if (r.statusCode() != 503 || r.getHeader("Retry-After") == null
          || !"unavailable".equals(r.bodyAsJsonObject().getJsonObject("error").getString("code"))) {
        wrong.add(where);
      } else if (ms > 4 * TIMEOUT_MS + 1000) {
        wrong.add(where + " (too slow)");
      }
    }
    assertEquals(List.of(), wrong);

    HttpResponse<Buffer> health = server.client().get("/health");
    assertEquals(503, health.statusCode());

    // The WebSocket upgrade: refused with 503 before it becomes a socket.
    long started = System.nanoTime();
    String answer = upgrade(server.port(), alice.cookieHeader());
    long ms = (System.nanoTime() - started) / 1_000_000;
    assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
    assertTrue(answer.toLowerCase().contains("retry-after: "), answer);
    assertTrue(ms < 4 * TIMEOUT_MS + 1000, "upgrade answered in " + ms + " ms");
  }

  private static String upgrade(int port, String cookie) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: " + cookie + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      int c;
      while ((c = in.read()) != -1) {
        head.append((char) c);
        if (head.toString().endsWith("\r\n\r\n")) break;
      }
      return head.toString();
    }
  }
}
