package dev.bridgework.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * A real WebSocket client on /api/ws for tests: frames land in an {@link Inbox} as they arrive and
 * the test thread waits for the one it expects through a {@code VertxTestContext} checkpoint (never
 * a sleep or a poll).
 */
public final class WsClient implements AutoCloseable {
  private final WebSocketClient client;
  private final ClientWebSocket socket;
  private final Inbox<JsonObject> frames = new Inbox<>();
  private final Promise<Short> closed = Promise.promise();

  /** Handlers are set before connecting: Vert.x drops frames that arrive before a handler is set. */
  private WsClient(WebSocketClient client) {
    this.client = client;
    this.socket = client.webSocket();
    socket.textMessageHandler(text -> {
      try {
        frames.add(new JsonObject(text));
      } catch (RuntimeException e) {
        frames.add(new JsonObject().put("type", "__unparsable").put("text", text));
      }
    });
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
  }

  public static Future<WsClient> connect(Vertx vertx, int port, String cookieHeader, String origin) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(1024 * 1024).setMaxMessageSize(1024 * 1024));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI("/api/ws");
    if (cookieHeader != null) options.addHeader("Cookie", cookieHeader);
    if (origin != null) options.addHeader("Origin", origin);
    WsClient ws = new WsClient(client);
    return ws.socket.connect(options).map(ws).onFailure(e -> client.close());
  }

  /** Connects as this API client (same session cookie), blocking the test thread. */
  public static WsClient open(Api api) {
    return connect(api.vertx(), api.port(), api.cookieHeader(), null).await();
  }

  public void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode()).await();
  }

  /** The next frame, whatever it is. */
  public JsonObject next(Duration timeout) {
    return frames.next(any -> {}, timeout);
  }

  /** Skips frames until one matches (presence and the like may interleave). */
  public JsonObject await(Predicate<JsonObject> match, Duration timeout) {
    return frames.await(match, timeout);
  }

  /** Frames up to and including the first that matches. */
  public java.util.List<JsonObject> until(Predicate<JsonObject> last, Duration timeout) {
    return frames.until(last, timeout);
  }

  public JsonObject awaitType(String type, Duration timeout) {
    return await(f -> type.equals(f.getString("type")), timeout);
  }

  /** Reads the welcome and resumes from its heads (live events only). */
  public JsonObject welcomeAndResume() {
    JsonObject welcome = awaitType("welcome", Duration.ofSeconds(10));
    JsonObject heads = welcome.getJsonObject("heads");
    send(new JsonObject().put("type", "resume").put("self", heads.getLong("self")).put("couple", heads.getLong("couple")));
    awaitType("synced", Duration.ofSeconds(10));
    return welcome;
  }

  /** Frames already received and not yet taken. */
  public java.util.List<JsonObject> drain() {
    return frames.drain();
  }

  public Future<Short> closed() {
    return closed.future();
  }

  public WebSocket socket() {
    return socket;
  }

  @Override
  public void close() {
    if (!socket.isClosed()) socket.close();
    client.close();
  }
}
