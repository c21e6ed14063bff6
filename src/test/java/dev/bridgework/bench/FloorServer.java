package dev.bridgework.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The floor: the least a server can do for Bridgework's fan-out, written with plain Vert.x. No
 * database, no authentication, no encryption. A client of pair N opens {@code /ws?pair=N}; a
 * {@code PUT /pairs/N/messages/<id>} with a JSON body is numbered within the pair, wrapped as the
 * same {@code event} frame Bridgework sends, written to every socket of the pair (both partners,
 * as Bridgework's couple stream does), and answered 201. It also speaks the {@code welcome} /
 * {@code resume} / {@code synced} handshake, so the benchmark's client code is the same for both.
 * Runs as its own JVM with as many event-loop instances as Bridgework ({@code one per core}).
 */
public final class FloorServer extends VerticleBase {
  private static final Map<String, Pair> PAIRS = new ConcurrentHashMap<>();
  private final int port;

  private FloorServer(int port) {
    this.port = port;
  }

  /** {@code FloorServer <port>}. */
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    vertx.deployVerticle(() -> new FloorServer(port), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("Floor server listening on 127.0.0.1:" + port + " (" + instances + " instances)"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost(JavaProcess.HOST).setPort(port))
        .webSocketHandler(this::socket)
        .requestHandler(this::request)
        .listen();
  }

  private static final class Pair {
    long seq;
    final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
  }

  private void socket(ServerWebSocket ws) {
    String query = ws.query() == null ? "" : ws.query();
    String pairId = query.startsWith("pair=") ? query.substring(5) : null;
    if (!"/ws".equals(ws.path()) || pairId == null) {
      ws.close((short) 4404);
      return;
    }
    Pair pair = PAIRS.computeIfAbsent(pairId, k -> new Pair());
    long head;
    synchronized (pair) {
      pair.sockets.add(ws);
      head = pair.seq;
    }
    ws.closeHandler(v -> pair.sockets.remove(ws));
    ws.writeTextMessage(new JsonObject().put("type", "welcome").put("userId", "floor").put("coupleId", pairId)
        .put("heads", new JsonObject().put("self", 0).put("couple", head)).put("partnerOnline", true).encode());
    ws.textMessageHandler(text -> {
      String type = new JsonObject(text).getString("type");
      if ("resume".equals(type)) ws.writeTextMessage("{\"type\":\"synced\"}");
      else if ("ping".equals(type)) ws.writeTextMessage("{\"type\":\"pong\"}");
    });
  }

  private void request(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET && "/health".equals(req.path())) {
      req.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
      return;
    }
    // PUT /pairs/<pair>/messages/<id>
    String[] parts = req.path().split("/");
    if (req.method() != HttpMethod.PUT || parts.length != 5 || !"pairs".equals(parts[1]) || !"messages".equals(parts[3])) {
      req.response().setStatusCode(404).end();
      return;
    }
    Pair pair = PAIRS.get(parts[2]);
    req.body().onSuccess(body -> {
      JsonObject message = new JsonObject(body).put("id", parts[4]);
      if (pair != null) {
        // Numbering and writing under one lock keeps each pair's frames in seq order.
        synchronized (pair) {
          long seq = ++pair.seq;
          String frame = new JsonObject().put("type", "event").put("stream", "couple").put("seq", seq)
              .put("kind", "share.created").put("data", message).encode();
          for (ServerWebSocket ws : pair.sockets) ws.writeTextMessage(frame);
        }
      }
      req.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(message.toBuffer());
    }).onFailure(e -> req.response().setStatusCode(400).end());
  }
}
