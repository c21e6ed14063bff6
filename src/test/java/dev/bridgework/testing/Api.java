package dev.bridgework.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Future;
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
  /** PBKDF2 iterations test clients use: the test server's {@code crypto.minKdfIterations}, so tests stay fast. */
  public static final int ITERATIONS = TestServer.TEST_MIN_KDF_ITERATIONS;

  private final Vertx vertx;
  private final int port;
  private final WebClientSession http;
  private JsonObject user;
  private String email;
  private ClientCrypto.Keys keys;

  Api(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.http = WebClientSession.create(WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("localhost").setDefaultPort(port).setUserAgent("bridgework-test")));
  }

  void signedIn(JsonObject user, String email, ClientCrypto.Keys keys) {
    this.user = user;
    this.email = email;
    this.keys = keys;
  }

  /** Fresh keys for {@link #PASSWORD}, as a client makes them at registration. */
  public static ClientCrypto.Keys freshKeys() {
    return ClientCrypto.Keys.fresh(PASSWORD, ITERATIONS);
  }

  /** The person's keys as their client holds them (password, kdf, vault key, recovery code). */
  public ClientCrypto.Keys keys() {
    return keys;
  }

  /** After a password change or a recovery: the client now holds these keys. */
  public Api useKeys(ClientCrypto.Keys newKeys) {
    this.keys = newKeys;
    return this;
  }

  /** The login body {@code {email, authKey}} of this person. */
  public JsonObject loginBody() {
    return new JsonObject().put("email", email).put("authKey", keys.authKey());
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
    var r = device.post("/api/auth/login", loginBody());
    if (r.statusCode() != 200) throw new AssertionError("login failed: " + r.statusCode() + " " + r.bodyAsString());
    device.signedIn(user, email, keys);
    return device;
  }

  // ---- private work, sealed and opened as the web app does (AAD <kind>/<id>) ----

  /** {@code {exerciseId, sealed:{answers}, status, version}} (version left out when null). */
  public JsonObject reflectionBody(String id, String exerciseId, JsonObject answers, String status, Integer version) {
    JsonObject body = new JsonObject().put("exerciseId", exerciseId)
        .put("sealed", keys.seal("reflection", id, new JsonObject().put("answers", answers))).put("status", status);
    if (version != null) body.put("version", version);
    return body;
  }

  public HttpResponse<Buffer> saveReflection(String id, String exerciseId, JsonObject answers, String status, Integer version) {
    return put("/api/reflections/" + id, reflectionBody(id, exerciseId, answers, status, version));
  }

  /** The reflection as the client shows it: a copy with {@code answers} opened from {@code sealed}. */
  public JsonObject openReflection(JsonObject reflection) {
    return opened("reflection", reflection);
  }

  /** {@code {sealed:{name, role, …}, version}}. */
  public JsonObject partBody(String id, JsonObject content, Integer version) {
    JsonObject body = new JsonObject().put("sealed", keys.seal("part", id, content));
    if (version != null) body.put("version", version);
    return body;
  }

  public HttpResponse<Buffer> savePart(String id, JsonObject content, Integer version) {
    return put("/api/parts/" + id, partBody(id, content, version));
  }

  /** A copy of the part with its sealed fields ({@code name}, {@code role}, …) opened next to the clear ones. */
  public JsonObject openPart(JsonObject part) {
    return opened("part", part);
  }

  /** {@code {at, sealed:{emotions, intensity, note}, version}} ({@code at} and version left out when null). */
  public JsonObject checkinBody(String id, String at, JsonObject content, Integer version) {
    JsonObject body = new JsonObject().put("sealed", keys.seal("checkin", id, content));
    if (at != null) body.put("at", at);
    if (version != null) body.put("version", version);
    return body;
  }

  public HttpResponse<Buffer> saveCheckin(String id, String at, JsonObject content, Integer version) {
    return put("/api/checkins/" + id, checkinBody(id, at, content, version));
  }

  public JsonObject openCheckin(JsonObject checkin) {
    return opened("checkin", checkin);
  }

  public JsonObject keptBody(String id, JsonObject content, Integer version) {
    JsonObject body = new JsonObject().put("sealed", keys.seal("kept", id, content));
    if (version != null) body.put("version", version);
    return body;
  }

  public HttpResponse<Buffer> saveKept(String id, JsonObject content, Integer version) {
    return put("/api/kept/" + id, keptBody(id, content, version));
  }

  public JsonObject openKept(JsonObject kept) {
    return opened("kept", kept);
  }

  /** Opens {@code sealed} with this person's vault key; throws IllegalArgumentException when it does not open. */
  public JsonObject open(String kind, String id, JsonObject envelope) {
    return keys.open(kind, id, envelope);
  }

  private JsonObject opened(String kind, JsonObject resource) {
    JsonObject copy = resource.copy();
    JsonObject sealed = resource.getJsonObject("sealed");
    if (sealed != null) copy.mergeIn(keys.open(kind, resource.getString("id"), sealed));
    return copy;
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

  /** As {@link #put}, answering at once: the answer's future completes on the event loop that received it. */
  public Future<HttpResponse<Buffer>> putAsync(String path, JsonObject body) {
    return sendAsync(HttpMethod.PUT, path, body);
  }

  /** Any request, answering at once: the answer's future completes on the event loop that received it. */
  public Future<HttpResponse<Buffer>> sendAsync(HttpMethod method, String path, JsonObject body) {
    var request = http.request(method, path).timeout(30_000);
    if (body == null) return request.send();
    return request.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer());
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
