package dev.bridgework.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;

/**
 * A real HTTP client for tests with its own cookie jar (one "device" of one person). Calls block the
 * test thread until the answer arrives ({@code Future.await()}), never an event loop.
 */
public final class Api {
  public static final String PASSWORD = "correct horse battery staple";

  private final Vertx vertx;
  private final int port;
  private final WebClientSession http;
  private JsonObject user;
  private String email;

  Api(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.http = WebClientSession.create(WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("localhost").setDefaultPort(port).setUserAgent("bridgework-test")));
  }

  void signedIn(JsonObject user, String email) {
    this.user = user;
    this.email = email;
  }

  public JsonObject user() {
    return user;
  }

  public String id() {
    return user.getString("id");
  }

  public String email() {
    return email;
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  public WebClientSession http() {
    return http;
  }

  /** The raw session cookie value (for opening WebSockets as this client). */
  public String cookieHeader() {
    return http.cookieStore().get(false, "localhost", "/").iterator().hasNext()
        ? "bw_session=" + http.cookieStore().get(false, "localhost", "/").iterator().next().value()
        : null;
  }

  /** Another device of the same person: a new client that signs in with the same credentials. */
  public Api anotherDevice() {
    Api device = new Api(vertx, port);
    var r = device.post("/api/auth/login", new JsonObject().put("email", email).put("password", PASSWORD));
    if (r.statusCode() != 200) throw new AssertionError("login failed: " + r.statusCode() + " " + r.bodyAsString());
    device.signedIn(user, email);
    return device;
  }

  public HttpResponse<Buffer> get(String path) {
    return send(HttpMethod.GET, path, null, null);
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, body, null);
  }

  public HttpResponse<Buffer> put(String path, JsonObject body) {
    return send(HttpMethod.PUT, path, body, null);
  }

  public HttpResponse<Buffer> delete(String path) {
    return send(HttpMethod.DELETE, path, null, null);
  }

  public HttpResponse<Buffer> delete(String path, JsonObject body) {
    return send(HttpMethod.DELETE, path, body, null);
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, JsonObject body, MultiMap headers) {
    return raw(method, path, body == null ? null : body.toBuffer(), headers, body == null ? null : "application/json");
  }

  /** Anything at all: raw bytes, any content type, extra headers. */
  public HttpResponse<Buffer> raw(HttpMethod method, String path, Buffer body, MultiMap headers, String contentType) {
    // A request that gets no answer fails the test instead of hanging it.
    var request = http.request(method, path).timeout(30_000);
    if (headers != null) request.putHeaders(headers);
    if (contentType != null) request.putHeader("Content-Type", contentType);
    return (body == null ? request.send() : request.sendBuffer(body)).await();
  }
}
