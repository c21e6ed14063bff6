package dev.bridgework.soak;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One person on one device: its own signed-in session (cookie jar) and its own socket, folding the
 * couple stream into a view of the shares as the web app does. Two devices of one person share
 * nothing but the account. What the device saw is kept for the checks: per share, how many
 * {@code share.created} and {@code share.withdrawn} events arrived (never more than one each).
 */
final class Device {
  final String name;
  final Person person;
  final WebClientSession http;
  private final WebSocketClient ws;
  private final int port;
  volatile WebSocket socket;
  volatile String coupleId;
  final Map<String, JsonObject> view = new ConcurrentHashMap<>();
  volatile long lastSeq;
  final List<String> violations = new CopyOnWriteArrayList<>();
  final Map<String, Integer> created = new ConcurrentHashMap<>();
  final Map<String, Integer> withdrawn = new ConcurrentHashMap<>();
  /** {@code reset} frames (a seq stayed missing past the hole grace: only while the database stalls or after a kill). */
  final AtomicInteger resets = new AtomicInteger();
  /** When a reset may legitimately arrive (set by the test around the stall and the kill). */
  static volatile boolean resetsExpected;

  /** A person: the account, with the devices signed in to it. */
  record Person(String name, String email, String userId, dev.bridgework.testing.ClientCrypto.Keys keys) {}

  Device(Vertx vertx, WebSocketClient ws, int port, String name, Person person) {
    this(ws, port, name, person, WebClientSession.create(WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("localhost").setDefaultPort(port).setUserAgent("bridgework-soak-" + name))));
  }

  private Device(WebSocketClient ws, int port, String name, Person person, WebClientSession http) {
    this.name = name;
    this.person = person;
    this.ws = ws;
    this.port = port;
    this.http = http;
  }

  /** A new socket of the same session that starts from nothing (replays the whole stream). */
  Device replica() {
    return new Device(ws, port, name + "-replay", person, http);
  }

  String userId() {
    return person.userId();
  }

  /** Events that arrived while a reload after {@code reset} was on its way; applied in order after it. */
  private final java.util.ArrayDeque<JsonObject> held = new java.util.ArrayDeque<>();
  private boolean reloading;
  private int reloadGeneration;

  synchronized void onFrame(JsonObject f) {
    String type = f.getString("type");
    if ("reset".equals(type) && "couple".equals(f.getString("stream"))) {
      if (!resetsExpected) violations.add(name + ": reset outside a stall or kill " + f.encode());
      resets.incrementAndGet();
      reload(f.getLong("head"));
    } else if ("event".equals(type) && "couple".equals(f.getString("stream"))) {
      if (reloading) held.add(f);
      else apply(f);
    }
  }

  private void apply(JsonObject f) {
    long seq = f.getLong("seq");
    if (seq != lastSeq + 1) {
      violations.add(name + ": got seq " + seq + " expected " + (lastSeq + 1));
      if (seq <= lastSeq) return;
    }
    lastSeq = seq;
    JsonObject data = f.getJsonObject("data");
    String id = data.getString("id");
    switch (f.getString("kind")) {
      case "share.withdrawn" -> {
        view.remove(id);
        if (withdrawn.merge(id, 1, Integer::sum) > 1) violations.add(name + ": share.withdrawn twice for " + id);
      }
      case "share.created" -> {
        view.put(id, data);
        if (created.merge(id, 1, Integer::sum) > 1) violations.add(name + ": share.created twice for " + id);
      }
      case "share.updated", "share.flagged", "response.created", "response.deleted" -> view.put(id, data);
      default -> { }
    }
  }

  /**
   * What the web app does on {@code reset}: reload the couple's shares over HTTP and take the head
   * as the last seq seen; events arriving meanwhile are applied after the reload, in order. Runs on
   * the socket's event loop, so the reload is sent from another thread.
   */
  private void reload(long head) {
    reloading = true;
    int generation = ++reloadGeneration;
    lastSeq = head;
    held.removeIf(f -> f.getLong("seq") <= head);
    view.clear();
    view.put(RELOADING, new JsonObject());
    CompletableFuture.runAsync(() -> {
      Map<String, JsonObject> fresh = stored();
      synchronized (this) {
        if (generation != reloadGeneration) return; // a later reset reloads again
        view.clear();
        view.putAll(fresh);
        reloading = false;
        while (!held.isEmpty()) apply(held.poll());
      }
    });
  }

  /** A placeholder that keeps the view from matching anything while a reload is on its way. */
  static final String RELOADING = "(reloading)";

  /** The couple's shares as the server answers them to this device (503s during a stall are retried). */
  Map<String, JsonObject> stored() {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<Buffer> r;
      try {
        r = http.get("/api/shares").timeout(60_000).send().await();
      } catch (Exception broken) {
        if (attempt >= 120) throw new AssertionError(name + ": GET /api/shares", broken);
        sleep(500); // the server is restarting
        continue;
      }
      if (r.statusCode() == 503 && attempt < 120) {
        sleep(1000);
        continue;
      }
      if (r.statusCode() != 200) throw new AssertionError(name + ": GET /api/shares " + r.statusCode() + " " + r.bodyAsString());
      Map<String, JsonObject> out = new HashMap<>();
      r.bodyAsJsonObject().getJsonArray("shares").forEach(o -> out.put(((JsonObject) o).getString("id"), (JsonObject) o));
      return out;
    }
  }

  void login() {
    HttpResponse<Buffer> r = http.request(HttpMethod.POST, "/api/auth/login").putHeader("Content-Type", "application/json")
        .sendBuffer(new JsonObject().put("email", person.email()).put("authKey", person.keys().authKey()).toBuffer()).await();
    if (r.statusCode() != 200) throw new AssertionError(name + ": login " + r.statusCode() + " " + r.bodyAsString());
  }

  private String cookie() {
    return http.cookieStore().get(false, "localhost", "/").iterator().next().value();
  }

  /**
   * Opens the socket and resumes from the last seq this device saw; retried while the server is
   * unavailable (a stalled database refuses the upgrade with 503, a restarting server refuses the connection).
   */
  void connect() {
    synchronized (connecting) {
      connectRetrying();
    }
  }

  /** Serialises this device's (re)connects: one socket per device at a time. Not {@code this}: frames lock that. */
  private final Object connecting = new Object();

  private void connectRetrying() {
    AssertionError last = null;
    long started = System.nanoTime();
    for (int attempt = 0; attempt < 120; attempt++) {
      try {
        connectOnce();
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (ms > 15_000) org.slf4j.LoggerFactory.getLogger(Device.class).info("soak: {} connected after {} ms, {} attempts", name, ms, attempt + 1);
        return;
      } catch (AssertionError | Exception e) {
        last = e instanceof AssertionError a ? a : new AssertionError(name + ": " + e, e);
        sleep(500);
      }
    }
    throw last;
  }

  private void connectOnce() {
    CompletableFuture<Void> synced = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
    ClientWebSocket opened = ws.webSocket();
    opened.textMessageHandler(text -> {
      if (abandoned.get()) return; // an attempt given up on: its late frames must not mix with the next socket's
      JsonObject f = new JsonObject(text);
      switch (f.getString("type")) {
        case "welcome" -> {
          coupleId = f.getString("coupleId");
          opened.writeTextMessage(new JsonObject().put("type", "resume")
              .put("self", f.getJsonObject("heads").getLong("self")).put("couple", lastSeq).encode());
        }
        case "synced" -> synced.complete(null);
        default -> onFrame(f);
      }
    });
    WebSocket s = opened.connect(new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI("/api/ws")
        .addHeader("Cookie", "bw_session=" + cookie()).setTimeout(30_000)).await();
    try {
      synced.get(60, TimeUnit.SECONDS);
      socket = s;
    } catch (Exception e) {
      abandoned.set(true);
      s.close();
      throw new AssertionError(name + " did not sync", e);
    }
  }

  /** A dropped connection: close, then reconnect and resume. */
  void reconnect() {
    synchronized (connecting) {
      WebSocket s = socket;
      if (s != null && !s.isClosed()) s.close().await();
      connectRetrying();
    }
  }

  /** After a kill (or anything else that closed the socket): reconnect and resume. */
  void ensureConnected() {
    synchronized (connecting) {
      if (!socketOpen()) connectRetrying();
    }
  }

  boolean socketOpen() {
    WebSocket s = socket;
    return s != null && !s.isClosed();
  }

  /** The couple stream's head, from a fresh socket's welcome. */
  long head() {
    for (int attempt = 0; ; attempt++) {
      try {
        CompletableFuture<Long> head = new CompletableFuture<>();
        ClientWebSocket opened = ws.webSocket();
        opened.textMessageHandler(text -> {
          JsonObject f = new JsonObject(text);
          if ("welcome".equals(f.getString("type"))) head.complete(f.getJsonObject("heads").getLong("couple"));
        });
        WebSocket s = opened.connect(new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI("/api/ws")
            .addHeader("Cookie", "bw_session=" + cookie())).await();
        long h = head.get(30, TimeUnit.SECONDS);
        s.close().await();
        return h;
      } catch (Exception e) {
        if (attempt > 60) throw new AssertionError(name + ": no head", e);
        sleep(500);
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
