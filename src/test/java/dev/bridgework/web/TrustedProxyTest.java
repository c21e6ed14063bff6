package dev.bridgework.web;

import dev.bridgework.app.AppConfig;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forwarded headers count only from {@code http.trustedProxies}. The test client connects from
 * 127.0.0.1, so it plays the proxy when that address is trusted, and a stranger when only 10.9.9.9 is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class TrustedProxyTest {
  static final MultiMap SPOOFED = MultiMap.caseInsensitiveMultiMap()
      .add("X-Forwarded-Proto", "https").add("X-Forwarded-Host", "bridge.example").add("X-Forwarded-For", "203.0.113.7");

  static TestServer behindProxy;
  static TestServer direct;
  static Vertx vertx;
  static WebClient client;

  @BeforeAll
  static void start(Vertx injected, VertxTestContext ctx) {
    vertx = injected;
    client = WebClient.create(vertx);
    Future.all(
            TestServer.start(vertx, Map.of("http.trustedProxies", "127.0.0.1/32")).onSuccess(started -> behindProxy = started),
            TestServer.start(vertx, Map.of("http.trustedProxies", "10.9.9.9")).onSuccess(started -> direct = started))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static HttpResponse<Buffer> health(TestServer server, MultiMap headers) {
    return client.get(server.port(), "localhost", "/health").putHeaders(headers).send().await();
  }

  /** POST /api/auth/logout without a session: 401 once past the Origin check, 403 forbidden_origin if refused there. */
  private static HttpResponse<Buffer> logout(TestServer server, String origin) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(SPOOFED).add("Origin", origin);
    return client.post(server.port(), "localhost", "/api/auth/logout").putHeaders(headers).send().await();
  }

  private static String errorCode(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  @Test
  void httpsAtTrustedProxyGetsHsts() {
    assertEquals("max-age=31536000", health(behindProxy, SPOOFED).getHeader("Strict-Transport-Security"));
    assertNull(health(behindProxy, MultiMap.caseInsensitiveMultiMap()).getHeader("Strict-Transport-Security"));
    assertNull(health(behindProxy, MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-Proto", "http"))
        .getHeader("Strict-Transport-Security"));
  }

  @Test
  void ownOriginBehindTrustedProxyIsTheForwardedOne() {
    HttpResponse<Buffer> forwarded = logout(behindProxy, "https://bridge.example");
    assertEquals(401, forwarded.statusCode(), forwarded.bodyAsString());
    HttpResponse<Buffer> internal = logout(behindProxy, "http://localhost:" + behindProxy.port());
    assertEquals(403, internal.statusCode(), internal.bodyAsString());
    assertEquals("forbidden_origin", errorCode(internal));
  }

  @Test
  void forwardedHeadersFromAnUntrustedPeerChangeNothing() {
    assertNull(health(direct, SPOOFED).getHeader("Strict-Transport-Security"));
    HttpResponse<Buffer> spoofed = logout(direct, "https://bridge.example");
    assertEquals(403, spoofed.statusCode(), spoofed.bodyAsString());
    assertEquals("forbidden_origin", errorCode(spoofed));
    HttpResponse<Buffer> real = logout(direct, "http://localhost:" + direct.port());
    assertEquals(401, real.statusCode(), real.bodyAsString());
  }

  /**
   * The accessors themselves, on real requests through a router mounted like the server's (the
   * handler first, the route in a sub-router), read both from the context and from its request.
   */
  private static JsonObject seenBy(String trusted, MultiMap headers) {
    Router router = Router.router(vertx);
    router.route().handler(new ClientRequestInfo(TrustedProxies.parse(List.of(trusted.split(",")))));
    Router api = Router.router(vertx);
    api.get("/seen").handler(ctx -> ctx.json(new JsonObject()
        .put("secure", ClientRequestInfo.isSecure(ctx))
        .put("secureViaRequest", ClientRequestInfo.isSecure(ctx.request()))
        .put("origin", ClientRequestInfo.origin(ctx.request()))
        .put("clientAddress", ClientRequestInfo.clientAddress(ctx))
        .put("clientAddressViaRequest", ClientRequestInfo.clientAddress(ctx.request()))));
    router.route("/api*").subRouter(api);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    try {
      JsonObject seen = client.get(server.actualPort(), "127.0.0.1", "/api/seen").putHeaders(headers).send().await()
          .bodyAsJsonObject();
      assertEquals(seen.getString("clientAddress"), seen.getString("clientAddressViaRequest"));
      assertEquals(seen.getBoolean("secure"), seen.getBoolean("secureViaRequest"));
      return seen;
    } finally {
      server.close().await();
    }
  }

  private static MultiMap forwardedFor(String... values) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String v : values) headers.add("X-Forwarded-For", v);
    return headers;
  }

  @Test
  void clientAddressIsTheRightMostUntrustedForwardedAddress() {
    // The left entry is whatever the client claimed; the proxy appended the real peer on the right.
    assertEquals("203.0.113.7", seenBy("127.0.0.1/32", forwardedFor("6.6.6.6, 203.0.113.7")).getString("clientAddress"));
    // Trusted hops (a proxy chain) are skipped.
    assertEquals("203.0.113.7", seenBy("127.0.0.1,10.0.0.0/8", forwardedFor("6.6.6.6, 203.0.113.7", "10.1.2.3"))
        .getString("clientAddress"));
    // IPv6, with a port, in one canonical spelling.
    assertEquals("2001:db8::7", seenBy("127.0.0.0/8,fd00::/8", forwardedFor("[2001:0db8:0:0:0:0:0:7]:443, fd00::1"))
        .getString("clientAddress"));
    // Without the header, or with garbage from the proxy: the nearest address a trusted proxy vouched for.
    assertEquals("127.0.0.1", seenBy("127.0.0.1", MultiMap.caseInsensitiveMultiMap()).getString("clientAddress"));
    assertEquals("127.0.0.1", seenBy("127.0.0.1", forwardedFor("proxy.evil.test")).getString("clientAddress"));
  }

  @Test
  void untrustedPeerCannotChooseItsAddressSchemeOrHost() {
    JsonObject seen = seenBy("10.9.9.9,::1", SPOOFED);
    assertEquals("127.0.0.1", seen.getString("clientAddress"));
    assertFalse(seen.getBoolean("secure"));
    assertTrue(seen.getString("origin").startsWith("http://127.0.0.1:"), seen.encode());

    JsonObject trusted = seenBy("127.0.0.1", SPOOFED);
    assertEquals("203.0.113.7", trusted.getString("clientAddress"));
    assertTrue(trusted.getBoolean("secure"));
    assertEquals("https://bridge.example", trusted.getString("origin"));
  }

  @Test
  void trustedProxiesMatchIpv4AndIpv6Blocks() {
    TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.0/8", "192.168.1.7", "2001:db8:abcd::/48", "::1"));
    assertTrue(proxies.contains("10.255.0.1"));
    assertTrue(proxies.contains("::ffff:10.1.1.1"));
    assertTrue(proxies.contains("192.168.1.7"));
    assertFalse(proxies.contains("192.168.1.8"));
    assertFalse(proxies.contains("11.0.0.1"));
    assertTrue(proxies.contains("2001:db8:abcd:12::1"));
    assertFalse(proxies.contains("2001:db8:abce::1"));
    assertTrue(proxies.contains("0:0:0:0:0:0:0:1"));
    assertFalse(proxies.contains("localhost"));
    assertFalse(TrustedProxies.parse(List.of("0.0.0.0/0")).contains("::1"));
  }

  @Test
  void malformedTrustedProxyStopsStartUpNamingIt() {
    for (String bad : new String[] {"proxy.internal", "10.0.0.0/33", "::1/129", "10.0.0/8", "1.2.3.4/x"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> AppConfig.fromMap(Map.of("http.trustedProxies", "127.0.0.1," + bad)));
      assertTrue(e.getMessage().contains("http.trustedProxies") && e.getMessage().contains(bad), e.getMessage());
    }
    assertEquals(List.of("127.0.0.1", "fd00::/8"), AppConfig.fromMap(Map.of("http.trustedProxies", " 127.0.0.1 , fd00::/8"))
        .trustedProxies());
  }
}
