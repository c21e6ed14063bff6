package dev.bridgework.soak;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The random operations of the soak, with no lock between the devices of a couple: both partners
 * and the second device of one of them act on the same recent shares at once. Each answer must be
 * one the contract allows for that race (an edit from a stale view: 409; anything on a share
 * withdrawn meanwhile: 404; a response to a full share: 400), and is written into the {@link Ledger}.
 * A 503 must carry {@code Retry-After}; the request is then repeated after it, as is a request
 * whose connection broke (the server was killed), until it has a real answer.
 */
final class Operations {
  /** Edits, responses and flags go to the couple's newest few shares, so that they collide. */
  private static final int HOT = 4;

  private final Ledger ledger;
  private final BooleanSupplier stalled;

  Operations(Ledger ledger, BooleanSupplier stalled) {
    this.ledger = ledger;
    this.stalled = stalled;
  }

  /** A couple: person A on one device, person B on two. */
  record Couple(String id, Device a, Device b1, Device b2) {
    List<Device> devices() {
      return List.of(a, b1, b2);
    }
  }

  void random(Random r, Couple c) {
    Device device = c.devices().get(r.nextInt(3));
    List<String> live = ledger.live(c.id());
    List<String> hot = live.subList(Math.max(0, live.size() - HOT), live.size());
    List<String> mine = hot.stream().filter(id -> device.userId().equals(ledger.shares.get(id).authorId)).toList();
    int dice = r.nextInt(100);
    ledger.operations.incrementAndGet();
    if (dice < 20 || hot.isEmpty()) {
      create(c, device, r);
    } else if (dice < 38 && !mine.isEmpty()) {
      edit(device, mine.get(r.nextInt(mine.size())), r);
    } else if (dice < 56) {
      respond(device, hot.get(r.nextInt(hot.size())), r);
    } else if (dice < 66) {
      flag(device, hot.get(r.nextInt(hot.size())), r.nextBoolean());
    } else if (dice < 76 && !mine.isEmpty()) {
      withdraw(device, mine.get(r.nextInt(mine.size())));
    } else if (dice < 88) {
      race(c, hot.get(r.nextInt(hot.size())), r);
    } else if (dice < 92) {
      read(device, hot.get(r.nextInt(hot.size())));
    } else {
      device.reconnect();
      ledger.reconnects.incrementAndGet();
    }
  }

  /**
   * Everyone at once on one share: each of the author's devices edits it from the version it shows
   * (or, one time in four, each withdraws it), while the partner's devices acknowledge and flag it.
   */
  private void race(Couple c, String id, Random r) {
    String author = ledger.shares.get(id).authorId;
    boolean withdrawing = r.nextInt(4) == 0;
    List<Runnable> moves = new java.util.ArrayList<>();
    for (Device d : c.devices()) {
      long seed = r.nextLong();
      if (d.userId().equals(author)) {
        moves.add(withdrawing ? () -> withdraw(d, id) : () -> edit(d, id, new Random(seed)));
      } else {
        moves.add(new Random(seed).nextBoolean() ? () -> respond(d, id, new Random(seed)) : () -> flag(d, id, new Random(seed).nextBoolean()));
      }
    }
    ledger.races.incrementAndGet();
    java.util.concurrent.CompletableFuture.allOf(moves.stream()
        .map(m -> java.util.concurrent.CompletableFuture.runAsync(m, RACERS)).toArray(java.util.concurrent.CompletableFuture[]::new)).join();
  }

  private static final java.util.concurrent.ExecutorService RACERS = java.util.concurrent.Executors.newCachedThreadPool(task -> {
    Thread t = new Thread(task, "soak-racer");
    t.setDaemon(true);
    return t;
  });

  private void create(Couple c, Device device, Random r) {
    String id = UUID.randomUUID().toString();
    HttpResponse<Buffer> answer = send(device, HttpMethod.PUT, "/api/shares/" + id, shareBody("soak " + r.nextInt()));
    // 200: a repeated create whose first attempt was stored (the answer to it was lost).
    expect(answer, Set.of(200, 201), device, "create " + id);
    ledger.created(c.id(), device.userId(), answer.bodyAsJsonObject());
  }

  /** An edit from the version this device shows: stale when the other device edited meanwhile. */
  private void edit(Device device, String id, Random r) {
    JsonObject shown = device.view.get(id);
    long version = shown != null && shown.getLong("version") != null ? shown.getLong("version") : ledger.shares.get(id).version;
    JsonObject body = shareBody("edited " + r.nextInt()).put("version", version);
    HttpResponse<Buffer> answer = send(device, HttpMethod.PUT, "/api/shares/" + id, body);
    switch (expect(answer, Set.of(200, 404, 409), device, "edit " + id + " v" + version)) {
      case 200 -> ledger.saved(id, answer.bodyAsJsonObject());
      case 409 -> {
        ledger.conflicts.incrementAndGet();
        if (!"version_conflict".equals(code(answer))) throw new AssertionError("edit 409 " + answer.bodyAsString());
      }
      default -> ledger.notFound(id);
    }
  }

  private void respond(Device device, String id, Random r) {
    boolean partners = !device.userId().equals(ledger.shares.get(id).authorId);
    JsonObject body = partners && r.nextBoolean()
        ? new JsonObject().put("kind", "ack").put("ack", List.of("hear_you", "thank_you", "understand_more").get(r.nextInt(3)))
        : new JsonObject().put("kind", "comment").put("text", "comment " + r.nextInt());
    String rid = UUID.randomUUID().toString();
    HttpResponse<Buffer> answer = send(device, HttpMethod.PUT, "/api/shares/" + id + "/responses/" + rid, body);
    switch (expect(answer, Set.of(200, 201, 400, 404, 409), device, "respond " + id)) {
      case 200, 201 -> ledger.responded(id, rid, answer.bodyAsJsonObject());
      case 400 -> {
        // The share holds the most responses it can (ShareService.MAX_RESPONSES).
        if (!answer.bodyAsString().contains("responses")) throw new AssertionError("respond 400 " + answer.bodyAsString());
        ledger.full.incrementAndGet();
      }
      case 409 -> ledger.conflicts.incrementAndGet();
      default -> ledger.notFound(id);
    }
  }

  private void flag(Device device, String id, boolean flag) {
    HttpResponse<Buffer> answer = send(device, HttpMethod.PUT, "/api/shares/" + id + "/counseling", new JsonObject().put("flag", flag));
    switch (expect(answer, Set.of(200, 404, 409), device, "flag " + id)) {
      case 200 -> ledger.saved(id, answer.bodyAsJsonObject());
      case 409 -> ledger.conflicts.incrementAndGet();
      default -> ledger.notFound(id);
    }
  }

  /** Both devices of the author may withdraw the same share at once: one is told 204, the other 204 or 404. */
  private void withdraw(Device device, String id) {
    HttpResponse<Buffer> answer = send(device, HttpMethod.DELETE, "/api/shares/" + id, null);
    expect(answer, Set.of(204, 404), device, "withdraw " + id);
    ledger.withdrawn(id);
  }

  private void read(Device device, String id) {
    HttpResponse<Buffer> answer = send(device, HttpMethod.GET, "/api/shares/" + id, null);
    if (expect(answer, Set.of(200, 404), device, "read " + id) == 404) ledger.notFound(id);
  }

  static JsonObject shareBody(String title) {
    return new JsonObject().put("title", title).put("intent", "listen")
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", "words for " + title)));
  }

  /**
   * Sends until there is an answer other than 503: a 503 must say when to come back
   * ({@code Retry-After}) and is repeated then; a broken connection (the server was killed) is
   * repeated once the server is back. A 5xx other than 503 fails the soak at once.
   */
  HttpResponse<Buffer> send(Device device, HttpMethod method, String path, JsonObject body) {
    for (int attempt = 0; attempt < 200; attempt++) {
      HttpResponse<Buffer> answer;
      boolean inStall = stalled.getAsBoolean();
      long sent = System.nanoTime();
      try {
        HttpRequest<Buffer> request = device.http.request(method, path).timeout(120_000);
        answer = body == null ? request.send().await()
            : request.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()).await();
        slow(device, method, path, sent, answer.statusCode());
      } catch (Exception broken) {
        slow(device, method, path, sent, -1);
        ledger.brokenConnections.incrementAndGet();
        Device.sleep(500);
        continue;
      }
      if (answer.statusCode() == 503) {
        String retryAfter = answer.getHeader("Retry-After");
        if (retryAfter == null || !"unavailable".equals(code(answer))) {
          throw new AssertionError(device + " " + method + " " + path + ": 503 without Retry-After or code: " + answer.bodyAsString());
        }
        ledger.unavailable.incrementAndGet();
        if (inStall || stalled.getAsBoolean()) ledger.unavailableInStall.incrementAndGet();
        Device.sleep(Math.min(5, Long.parseLong(retryAfter)) * 1000);
        continue;
      }
      if (answer.statusCode() >= 500) {
        throw new AssertionError(device + " " + method + " " + path + ": " + answer.statusCode() + " " + answer.bodyAsString());
      }
      return answer;
    }
    throw new AssertionError(device + " " + method + " " + path + ": no answer after 200 attempts");
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Operations.class);

  /** A request that took long is worth knowing about (the server bounds its own answers by http.requestTimeout). */
  private static void slow(Device device, HttpMethod method, String path, long sent, int status) {
    long ms = (System.nanoTime() - sent) / 1_000_000;
    if (ms > 15_000) LOG.info("soak: slow answer {} ms to {} {} {} ({})", ms, device, method, path, status);
  }

  private static int expect(HttpResponse<Buffer> answer, Set<Integer> allowed, Device device, String what) {
    if (!allowed.contains(answer.statusCode())) {
      throw new AssertionError(device + " " + what + ": " + answer.statusCode() + " " + answer.bodyAsString());
    }
    return answer.statusCode();
  }

  private static String code(HttpResponse<Buffer> answer) {
    try {
      return answer.bodyAsJsonObject().getJsonObject("error").getString("code");
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
