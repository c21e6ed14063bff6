package dev.bridgework.realtime;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.Inbox;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A real WebSocket client for tests: frames land in an {@link Inbox} whose waits are
 * {@code VertxTestContext} checkpoints (with a timeout, never a sleep or a poll); the close code
 * lands in a future, awaited the same way.
 */
final class Ws implements AutoCloseable {
  static final Duration WAIT = Inbox.WAIT;

  final WebSocket socket;
  final JsonObject welcome;
  final Inbox<JsonObject> frames = new Inbox<>();
  /** The close code, completed by the close handler on the event loop. */
  final Promise<Short> closed = Promise.promise();
  private final WebSocketClient client;

  private Ws(WebSocketClient client, WebSocketConnectOptions options) {
    this.client = client;
    // Handlers are set before connecting: Vert.x drops frames that arrive before a handler is set,
    // and the welcome can arrive before a handler set on the connect future's completion runs.
    ClientWebSocket ws = client.webSocket();
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
    this.socket = ws.connect(options).await();
    this.welcome = next();
    assertEquals("welcome", welcome.getString("type"), welcome.encode());
  }

  /** Opens a socket as {@code api} (its session cookie) on {@code port}; waits for welcome. */
  static Ws open(Api api, int port) {
    return open(api.vertx(), api.cookieHeader(), port);
  }

  /** Opens a socket from a client Vert.x of the test's choosing (one that outlives a server node). */
  static Ws open(Vertx vertx, String cookie, int port) {
    return new Ws(client(vertx), options(port).putHeader("Cookie", cookie));
  }

  static Ws live(Vertx vertx, String cookie, int port) {
    Ws ws = open(vertx, cookie, port);
    ws.resumeFromHeads();
    return ws;
  }

  static Ws open(Api api) {
    return open(api, api.port());
  }

  /** Opens, then resumes from the heads given in welcome and waits for synced. */
  static Ws live(Api api, int port) {
    Ws ws = open(api, port);
    ws.resumeFromHeads();
    return ws;
  }

  static Ws live(Api api) {
    return live(api, api.port());
  }

  /** The handshake's failure: the rejected upgrade's status and body. */
  static UpgradeRejectedException refused(Vertx vertx, int port, String cookie, String origin) {
    WebSocketClient client = client(vertx);
    WebSocketConnectOptions options = options(port);
    if (cookie != null) options.putHeader("Cookie", cookie);
    // (setAllowOriginHeader(false) would drop this header too; the client keeps an explicit Origin.)
    if (origin != null) options.putHeader("Origin", origin);
    try {
      WebSocket socket = client.connect(options).await();
      socket.close();
      throw new AssertionError("the upgrade was accepted for origin " + origin);
    } catch (UpgradeRejectedException e) {
      return e;
    } finally {
      client.close();
    }
  }

  static WebSocketConnectOptions options(int port) {
    return new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI("/api/ws");
  }

  private static WebSocketClient client(Vertx vertx) {
    // The client's own limits are raised so tests can send frames the server must refuse.
    return vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1024 * 1024)
        .setMaxMessageSize(4 * 1024 * 1024));
  }

  void resumeFromHeads() {
    JsonObject heads = welcome.getJsonObject("heads");
    send(new JsonObject().put("type", "resume").put("self", heads.getLong("self")).put("couple", heads.getLong("couple")));
    JsonObject synced = next();
    assertEquals("synced", synced.getString("type"), synced.encode());
  }

  void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode()).await();
  }

  void sendText(String text) {
    socket.writeTextMessage(text).await();
  }

  void sendFrame(WebSocketFrame frame) {
    socket.writeFrame(frame).await();
  }

  void sendBinary(Buffer data) {
    socket.writeBinaryMessage(data).await();
  }

  /** The next frame; fails the test if none arrives in time. */
  JsonObject next() {
    try {
      return frames.next(any -> {}, WAIT);
    } catch (AssertionError e) {
      throw closed.future().isComplete() ? new AssertionError(e.getMessage() + " (closed " + closed.future().result() + ")", e) : e;
    }
  }

  /** The next frame, which must be of {@code type} (checked as it arrives). */
  JsonObject next(String type) {
    return frames.next(frame -> assertEquals(type, frame.getString("type"), frame.encode()), WAIT);
  }

  /** Frames up to and including the first that matches. */
  List<JsonObject> until(Predicate<JsonObject> last) {
    return frames.until(last, WAIT);
  }

  /** Frames that arrived and were not taken (after a close, say). */
  List<JsonObject> received() {
    return frames.kept();
  }

  /** A ping answered by a pong, with nothing else in between: nothing else was waiting for this socket. */
  void assertQuiet() {
    send(new JsonObject().put("type", "ping"));
    JsonObject frame = next();
    assertEquals("pong", frame.getString("type"), "unexpected frame: " + frame.encode());
  }

  short awaitClose() {
    Short code = Inbox.await(closed.future(), WAIT);
    assertNotNull(code);
    return code;
  }

  static boolean isEvent(JsonObject frame, String stream, long seq) {
    return "event".equals(frame.getString("type")) && stream.equals(frame.getString("stream"))
        && frame.getLong("seq") == seq;
  }

  @Override
  public void close() {
    if (!closed.future().isComplete()) {
      Future<Void> f = socket.close();
      try {
        f.await();
      } catch (Exception ignored) {
        // already gone
      }
    }
    client.close();
  }
}
