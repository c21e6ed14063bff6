package dev.bridgework.web;

import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server serving HTTPS itself from PEM files ({@code http.tls.certPath}, {@code http.tls.keyPath}):
 * a client that trusts only the test's self-signed certificate (host name verified) talks to it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class HttpsTest {
  @TempDir
  static Path dir;
  static Path certFile;
  static Path keyFile;
  static TestServer server;
  static WebClient https;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    certFile = dir.resolve("cert.pem");
    keyFile = dir.resolve("key.pem");
    writeSelfSigned(certFile, keyFile);
    server = TestServer.startOn(vertx, Map.of("http.tls.certPath", certFile.toString(), "http.tls.keyPath", keyFile.toString()));
    https = WebClient.create(server.vertx, new WebClientOptions()
        .setSsl(true).setVerifyHost(true).setTrustOptions(new PemTrustOptions().addCertPath(certFile.toString()))
        .setDefaultHost("localhost").setDefaultPort(server.port()).setUserAgent("bridgework-test"));
  }

  /** A self-signed certificate for localhost and 127.0.0.1, and its key as PKCS#8, both PEM. */
  static void writeSelfSigned(Path cert, Path key) throws Exception {
    dev.bridgework.testing.SelfSignedPem.write(cert, key);
  }

  private static HttpResponse<Buffer> logoutFrom(String origin) {
    return https.post("/api/auth/logout").putHeaders(MultiMap.caseInsensitiveMultiMap().add("Origin", origin))
        .send().await();
  }

  private static String errorCode(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  @Test
  void servesHttpsWithHsts() {
    HttpResponse<Buffer> health = https.get("/health").send().await();
    assertEquals(200, health.statusCode());
    assertEquals("UP", health.bodyAsJsonObject().getString("status"));
    assertEquals("max-age=31536000", health.getHeader("Strict-Transport-Security"));
    // Also on an error answer and on a static file.
    assertEquals("max-age=31536000", https.get("/api/nothing-here").send().await().getHeader("Strict-Transport-Security"));
    assertEquals("max-age=31536000", https.get("/").send().await().getHeader("Strict-Transport-Security"));
  }

  @Test
  void ownHttpsOriginPassesTheOriginCheckAndTheHttpOneDoesNot() {
    // No session: 401 means the Origin check let the request through, 403 forbidden_origin that it did not.
    HttpResponse<Buffer> own = logoutFrom("https://localhost:" + server.port());
    assertEquals(401, own.statusCode(), own.bodyAsString());
    assertEquals("unauthenticated", errorCode(own));
    HttpResponse<Buffer> plain = logoutFrom("http://localhost:" + server.port());
    assertEquals(403, plain.statusCode(), plain.bodyAsString());
    assertEquals("forbidden_origin", errorCode(plain));
  }

  @Test
  void plainHttpOnTheTlsPortGetsNoAnswer() {
    WebClient plain = WebClient.create(server.vertx, new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(server.port()).setConnectTimeout(5000).setIdleTimeout(10));
    try {
      Future<HttpResponse<Buffer>> response = plain.get("/health").send();
      response.transform(done -> Future.succeededFuture()).await();
      assertTrue(response.failed(), () -> "plain HTTP was answered: " + response.result().statusCode());
    } finally {
      plain.close();
    }
  }

  @Test
  void sessionCookieIsSecureOverHttps() {
    // The one test here that needs an account: the session cookie is only set by register/login.
    JsonObject registration = dev.bridgework.testing.ClientCrypto.Keys
        .fresh("correct horse battery staple", dev.bridgework.testing.TestServer.TEST_MIN_KDF_ITERATIONS).body()
        .put("email", "tls-" + System.nanoTime() + "@example.test").put("displayName", "Tess");
    HttpResponse<Buffer> response = https.post("/api/auth/register").sendJsonObject(registration).await();
    assertEquals(201, response.statusCode(), response.bodyAsString());
    String cookie = response.cookies().stream().filter(c -> c.startsWith("bw_session=")).findFirst().orElse(null);
    assertNotNull(cookie, "no session cookie");
    assertTrue(cookie.contains("; Secure"), cookie);
    assertTrue(cookie.contains("; HTTPOnly") || cookie.contains("; HttpOnly"), cookie);
  }

  @Test
  void certificateWithoutKeyOrKeyWithoutCertificateStopsStartUp(Vertx vertx) {
    for (Map<String, String> half : new Map[] {
        Map.of("http.tls.certPath", certFile.toString()), Map.of("http.tls.keyPath", keyFile.toString())}) {
      Throwable failure = assertThrows(Throwable.class, () -> TestServer.startOn(vertx, half).close());
      assertTrue(failure.getMessage().contains("http.tls.certPath") && failure.getMessage().contains("http.tls.keyPath"),
          failure.getMessage());
    }
  }

  @Test
  void unreadablePemFileStopsStartUpNamingItsKey(Vertx vertx) {
    Throwable failure = assertThrows(Throwable.class, () -> TestServer.startOn(vertx, Map.of(
        "http.tls.certPath", dir.resolve("missing.pem").toString(), "http.tls.keyPath", keyFile.toString())).close());
    assertTrue(failure.getMessage().contains("http.tls.certPath"), failure.getMessage());
    assertFalse(failure.getMessage().contains("http.tls.keyPath"), failure.getMessage());
  }

  @Test
  void plainServerSendsNoHsts(Vertx vertx) {
    try (TestServer plain = TestServer.startOn(vertx, Map.of())) {
      WebClient client = WebClient.create(plain.vertx);
      try {
        HttpResponse<Buffer> health = client.get(plain.port(), "localhost", "/health").send().await();
        assertEquals(200, health.statusCode());
        assertEquals(null, health.getHeader("Strict-Transport-Security"));
      } finally {
        client.close();
      }
    }
  }
}
