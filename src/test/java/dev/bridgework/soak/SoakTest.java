package dev.bridgework.soak;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.ClientCrypto;
import dev.bridgework.testing.Inbox;
import dev.bridgework.testing.ServerProcess;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Couples live on sockets while shares, edits, responses, flags, withdrawals and reconnects happen
 * at random (fixed seed). At the end every client's view equals the server's, with no event lost
 * or duplicated; then the server is killed with SIGKILL under load and restarted, and every write
 * that had been acknowledged is there.
 *
 * <p>CI runs it small; the full soak (200 couples, 5 minutes) is
 * {@code mvn -B verify -Dtest=SoakTest -Dsoak.couples=200 -Dsoak.seconds=300}.
 */
@Tag("soak")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class SoakTest {
  private static final Logger LOG = LoggerFactory.getLogger(SoakTest.class);
  private static final int COUPLES = Integer.getInteger("soak.couples", 12);
  private static final int SECONDS = Integer.getInteger("soak.seconds", 20);
  private static final int WORKERS = 6;
  private static final long SEED = Long.getLong("soak.seed", 20261125L);

  /** One person on one device: an HTTP session and a socket that folds the couple stream into a view. */
  static final class Client {
    final String name;
    final WebClientSession http;
    String userId;
    String cookie;
    /** The person's client-side keys: login sends their authKey. */
    ClientCrypto.Keys keys;
    volatile WebSocket socket;
    final Map<String, JsonObject> view = new ConcurrentHashMap<>();
    final AtomicLong lastSeq = new AtomicLong();
    final List<String> violations = new CopyOnWriteArrayList<>();
    /** Completed when {@link #lastSeq} reaches {@link #target}; guarded by this. */
    private Promise<Void> reaching;
    private long target;

    Client(String name, WebClientSession http) {
      this.name = name;
      this.http = http;
    }

    synchronized void onFrame(JsonObject f) {
      String type = f.getString("type");
      if ("reset".equals(type)) {
        violations.add(name + ": unexpected reset " + f.encode());
      } else if ("event".equals(type) && "couple".equals(f.getString("stream"))) {
        long seq = f.getLong("seq");
        long expected = lastSeq.get() + 1;
        if (seq != expected) {
          violations.add(name + ": got seq " + seq + " expected " + expected);
          if (seq < expected) return;
        }
        lastSeq.set(seq);
        if (reaching != null && seq >= target) {
          reaching.complete();
          reaching = null;
        }
        String kind = f.getString("kind");
        JsonObject data = f.getJsonObject("data");
        switch (kind) {
          case "share.withdrawn" -> view.remove(data.getString("id"));
          case "share.created", "share.updated", "share.flagged", "response.created", "response.deleted" ->
              view.put(data.getString("id"), data);
          default -> { }
        }
      }
    }

    /** Completes once this client has folded in couple event {@code seq} (delivered on its socket's event loop). */
    synchronized Future<Void> reached(long seq) {
      if (lastSeq.get() >= seq) return Future.succeededFuture();
      if (reaching != null) reaching.tryFail("superseded");
      target = seq;
      reaching = Promise.promise();
      return reaching.future();
    }
  }

  /** A couple and the shares it has, with who wrote each (known when the PUT is answered, before any event). */
  record Couple(Client a, Client b, List<String> shares, Map<String, String> authors) {}

  @Test
  void nothingIsLostOrDuplicatedUnderRandomLoadAndAKill(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("bw-soak");
    int port = ServerProcess.freePort();
    WebClient plain = WebClient.create(vertx);
    // Vert.x limits a WebSocket client to 50 connections per server by default; the soak holds two per couple.
    WebSocketClient wsClient = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions()
        .setMaxConnections(4 * COUPLES + 16));
    ServerProcess server = ServerProcess.start(dataDir, port, Map.of()).awaitHealthy(plain);
    try {
      List<Couple> couples = prepare(vertx, port);
      for (Couple c : couples) {
        connect(wsClient, port, c.a(), 0);
        connect(wsClient, port, c.b(), 0);
      }
      Random random = new Random(SEED);
      AtomicLong ops = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      List<java.util.concurrent.Future<?>> running = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        long workerSeed = random.nextLong();
        running.add(pool.submit((java.util.concurrent.Callable<Void>) () -> {
          Random r = new Random(workerSeed);
          while (System.nanoTime() < end) {
            Couple c = couples.get(r.nextInt(couples.size()));
            synchronized (c) {
              randomOperation(r, c, wsClient, port);
            }
            ops.incrementAndGet();
          }
          return null;
        }));
      }
      for (var f : running) f.get();
      LOG.info("soak: {} operations over {} couples in {} s", ops.get(), couples.size(), SECONDS);

      // Quiesce: every client catches up to its couple's head, then its view equals the server's.
      for (Couple c : couples) {
        for (Client client : List.of(c.a(), c.b())) {
          long head = head(wsClient, port, client);
          awaitSeq(client, head);
          assertEquals(List.of(), client.violations, client.name);
          Map<String, JsonObject> stored = new HashMap<>();
          for (Object o : get(client, "/api/shares").getJsonArray("shares")) {
            JsonObject s = (JsonObject) o;
            stored.put(s.getString("id"), s);
          }
          assertEquals(stored.keySet(), client.view.keySet(), client.name + " sees the same shares");
          for (String id : stored.keySet()) {
            assertEquals(stored.get(id), client.view.get(id), client.name + " sees share " + id + " as stored");
          }
        }
      }

      // Kill -9 in the middle of writes; every acknowledged write must be there after a restart.
      Map<String, JsonObject> acknowledged = new ConcurrentHashMap<>();
      int enoughWrites = Math.min(50, COUPLES * 3);
      Promise<Void> enough = Promise.promise();
      AtomicBoolean stop = new AtomicBoolean();
      List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int worker = w;
        writers.add(pool.submit((java.util.concurrent.Callable<Void>) () -> {
          int i = 0;
          while (!stop.get()) {
            Couple c = couples.get((worker + i++ * WORKERS) % couples.size());
            String id = UUID.randomUUID().toString();
            JsonObject body = shareBody("kill-" + id);
            try {
              HttpResponse<Buffer> r = c.a().http.request(HttpMethod.PUT, "/api/shares/" + id)
                  .putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()).await();
              if (r.statusCode() == 201) {
                acknowledged.put(id, body.put("couple", c.a().userId));
                if (acknowledged.size() >= enoughWrites) enough.tryComplete();
              }
            } catch (Exception connectionLost) {
              // not acknowledged: the client would retry the same PUT
            }
          }
          return null;
        }));
      }
      // Kill once enough writes were acknowledged: the writer that acknowledged the last of them says so.
      Inbox.await(enough.future(), Duration.ofSeconds(60));
      server.kill();
      stop.set(true);
      for (var f : writers) f.get();
      pool.shutdown();
      server = ServerProcess.start(dataDir, port, Map.of()).awaitHealthy(plain);
      for (Couple c : couples) {
        login(c.a());
      }
      Map<String, Client> byUser = new HashMap<>();
      couples.forEach(c -> byUser.put(c.a().userId, c.a()));
      int found = 0;
      for (var e : acknowledged.entrySet()) {
        Client author = byUser.get(e.getValue().getString("couple"));
        HttpResponse<Buffer> r = author.http.get("/api/shares/" + e.getKey()).send().await();
        assertEquals(200, r.statusCode(), "acknowledged share " + e.getKey() + " survived kill -9");
        assertEquals(e.getValue().getString("title"), r.bodyAsJsonObject().getString("title"));
        found++;
      }
      LOG.info("soak: {} acknowledged writes all present after SIGKILL", found);
      assertTrue(found > 0);
    } finally {
      server.kill();
    }
  }

  private static void randomOperation(Random r, Couple c, WebSocketClient ws, int port) {
    Client author = r.nextBoolean() ? c.a() : c.b();
    Client partner = author == c.a() ? c.b() : c.a();
    int dice = r.nextInt(100);
    List<String> mine = c.shares().stream().filter(id -> author.userId.equals(c.authors().get(id))).toList();
    if (dice < 35 || c.shares().isEmpty()) {
      String id = UUID.randomUUID().toString();
      expect(put(author, "/api/shares/" + id, shareBody("soak " + r.nextInt())), 201);
      c.shares().add(id);
      c.authors().put(id, author.userId);
    } else if (dice < 50 && !mine.isEmpty()) {
      String id = mine.get(r.nextInt(mine.size()));
      JsonObject current = get(author, "/api/shares/" + id);
      expect(put(author, "/api/shares/" + id, shareBody("edited " + r.nextInt()).put("version", current.getLong("version"))), 200);
    } else if (dice < 62) {
      String id = c.shares().get(r.nextInt(c.shares().size()));
      boolean partnerOwns = !author.userId.equals(c.authors().get(id));
      JsonObject body = partnerOwns && r.nextBoolean()
          ? new JsonObject().put("kind", "ack").put("ack", List.of("hear_you", "thank_you", "understand_more").get(r.nextInt(3)))
          : new JsonObject().put("kind", "comment").put("text", "comment " + r.nextInt());
      expect(put(author, "/api/shares/" + id + "/responses/" + UUID.randomUUID(), body), 201);
    } else if (dice < 72) {
      String id = c.shares().get(r.nextInt(c.shares().size()));
      expect(put(partner, "/api/shares/" + id + "/counseling", new JsonObject().put("flag", r.nextBoolean())), 200);
    } else if (dice < 82 && !mine.isEmpty()) {
      String id = mine.get(r.nextInt(mine.size()));
      HttpResponse<Buffer> d = author.http.delete("/api/shares/" + id).send().await();
      expect(d, 204);
      c.shares().remove(id);
    } else {
      // A dropped connection: reconnect and resume from what this device last saw.
      Client who = r.nextBoolean() ? author : partner;
      who.socket.close().await();
      connect(ws, port, who, who.lastSeq.get());
    }
  }

  private static JsonObject shareBody(String title) {
    return new JsonObject().put("title", title).put("intent", "listen")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "words for " + title)));
  }

  private static List<Couple> prepare(Vertx vertx, int port) {
    List<Couple> couples = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < COUPLES; i++) {
      Client a = register(vertx, port, "A" + i);
      Client b = register(vertx, port, "B" + i);
      JsonObject created = post(a, "/api/couple", new JsonObject(), 201);
      post(b, "/api/couple/join", new JsonObject().put("code", created.getJsonObject("invite").getString("code")), 200);
      couples.add(new Couple(a, b, new CopyOnWriteArrayList<>(), new ConcurrentHashMap<>()));
    }
    return couples;
  }

  private static Client register(Vertx vertx, int port, String name) {
    WebClientSession http = WebClientSession.create(WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("localhost").setDefaultPort(port)));
    Client c = new Client(name, http);
    String email = "soak-" + name.toLowerCase() + "-" + UUID.randomUUID() + "@example.test";
    c.keys = Api.freshKeys();
    JsonObject user = post(c, "/api/auth/register", TestServer.registration(email, name, c.keys), 201).getJsonObject("user");
    c.userId = user.getString("id");
    c.cookie = email;
    return c;
  }

  private static void login(Client c) {
    post(c, "/api/auth/login", new JsonObject().put("email", c.cookie).put("authKey", c.keys.authKey()), 200);
  }

  private static void connect(WebSocketClient ws, int port, Client c, long fromSeq) {
    String cookie = c.http.cookieStore().get(false, "localhost", "/").iterator().next().value();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI("/api/ws")
        .addHeader("Cookie", "bw_session=" + cookie);
    Promise<Void> synced = Promise.promise();
    // The handler is set before connecting: Vert.x drops frames that arrive before a handler is
    // set, and the welcome may come before a handler set on the connect's completion would run.
    ClientWebSocket opened = ws.webSocket();
    opened.textMessageHandler(text -> {
      JsonObject f = new JsonObject(text);
      switch (f.getString("type")) {
        case "welcome" -> opened.writeTextMessage(new JsonObject().put("type", "resume")
            .put("self", f.getJsonObject("heads").getLong("self")).put("couple", fromSeq).encode());
        case "synced" -> synced.tryComplete();
        default -> c.onFrame(f);
      }
    });
    WebSocket socket = opened.connect(options).await();
    c.socket = socket;
    try {
      Inbox.await(synced.future(), Duration.ofSeconds(30));
    } catch (AssertionError e) {
      throw new AssertionError(c.name + " did not sync", e);
    }
  }

  /** The couple stream's head, from a fresh socket's welcome. */
  private static long head(WebSocketClient ws, int port, Client c) throws Exception {
    String cookie = c.http.cookieStore().get(false, "localhost", "/").iterator().next().value();
    Promise<Long> head = Promise.promise();
    ClientWebSocket opened = ws.webSocket();
    opened.textMessageHandler(text -> {
      JsonObject f = new JsonObject(text);
      if ("welcome".equals(f.getString("type"))) head.tryComplete(f.getJsonObject("heads").getLong("couple"));
    });
    WebSocket socket = opened.connect(new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI("/api/ws")
        .addHeader("Cookie", "bw_session=" + cookie)).await();
    long h = Inbox.await(head.future(), Duration.ofSeconds(30));
    socket.close().await();
    return h;
  }

  private static void awaitSeq(Client c, long head) {
    // The client's socket delivers on an event loop; the frame that reaches the head completes the wait.
    try {
      Inbox.await(c.reached(head), Duration.ofSeconds(30));
    } catch (AssertionError e) {
      throw new AssertionError(c.name + " stuck at " + c.lastSeq.get() + " of " + head, e);
    }
  }

  private static JsonObject get(Client c, String path) {
    HttpResponse<Buffer> r = c.http.get(path).send().await();
    assertEquals(200, r.statusCode(), path + " " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> put(Client c, String path, JsonObject body) {
    return c.http.request(HttpMethod.PUT, path).putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()).await();
  }

  private static JsonObject post(Client c, String path, JsonObject body, int status) {
    HttpResponse<Buffer> r = c.http.request(HttpMethod.POST, path).putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer()).await();
    assertEquals(status, r.statusCode(), path + " " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static void expect(HttpResponse<Buffer> r, int status) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
  }
}
