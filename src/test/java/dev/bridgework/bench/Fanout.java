package dev.bridgework.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop share load against one {@link Target}: a timer sends shares at a fixed total rate,
 * spread round-robin over the couples (partner A shares, partner B receives); each share is timed
 * from just before its PUT to the moment partner B's socket receives the matching
 * {@code share.created}. The sender never waits for answers, so a slow server cannot slow the
 * offered load down (no coordinated omission).
 */
final class Fanout implements Sock.Listener {
  /** A realistic excerpt: a few sentences of reflection, about 300 characters. */
  static final String EXCERPT = "When you came home late on Thursday I told myself it did not matter, but I noticed "
      + "my chest getting tight and I went quiet. The part of me that keeps the peace wanted to avoid a fight. "
      + "What I would like is to hear what the evening was like for you, and to tell you I missed you.";

  private final Vertx vertx;
  private final Target target;
  private final List<Couple> couples;
  private final Map<String, Window.Sent> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong cursor = new AtomicLong();
  final AtomicLong unknownEvents = new AtomicLong();
  final AtomicLong misrouted = new AtomicLong();
  final AtomicLong otherKinds = new AtomicLong();

  Fanout(Vertx vertx, Target target, List<Couple> couples) {
    this.vertx = vertx;
    this.target = target;
    this.couples = couples;
  }

  static Buffer shareBody(long n) {
    return new JsonObject().put("title", "Bench share " + n)
        .put("excerpts", new JsonArray().add(new JsonObject().put("text", EXCERPT)))
        .put("intent", "listen").toBuffer();
  }

  /** Opens both partners' sockets of every couple (bounded concurrency), each ready at {@code synced}. */
  Future<Void> openSockets(WebSocketClient client, int concurrency) {
    return Async.bounded(couples.size() * 2, concurrency, i -> {
      Couple c = couples.get(i / 2);
      char side = i % 2 == 0 ? 'A' : 'B';
      Sock sock = new Sock(c, side, null, this);
      return sock.open(client, target.socket(c, side == 'A' ? c.a : c.b, side), 30_000).map(s -> {
        if (side == 'A') c.sockA = s;
        else c.sockB = s;
        return s;
      });
    }).mapEmpty();
  }

  Future<Void> closeSockets() {
    return Future.join(couples.stream().flatMap(c -> java.util.stream.Stream.of(c.sockA, c.sockB))
        .filter(java.util.Objects::nonNull).map(Sock::close).toList()).mapEmpty();
  }

  /**
   * Sends {@code rate} shares per second for {@code length}, then waits (at most {@code drainLimit})
   * until every accepted share reached both partners' sockets. Blocks the calling (non-Vert.x) thread.
   */
  Window run(String name, int rate, Duration length, Duration drainLimit, long serverPid) throws Exception {
    Window w = new Window(target.name(), name, rate, couples.size());
    long total = Math.max(1, Math.round(rate * (length.toNanos() / 1e9)));
    long self = ProcessHandle.current().pid();
    Promise<Void> sentAll = Promise.promise();
    long serverBefore = Proc.cpuTicks(serverPid);
    long selfBefore = Proc.cpuTicks(self);
    long[] machineBefore = Proc.machineTicks();
    w.startNanos = System.nanoTime();
    vertx.runOnContext(v -> vertx.setPeriodic(1, timer -> {
      long now = System.nanoTime();
      long due = Math.min(total, (long) ((now - w.startNanos) / 1e9 * rate) + 1);
      while (w.sent.get() < due) send(w);
      if (w.sent.get() >= total) {
        vertx.cancelTimer(timer);
        w.sendEndNanos = System.nanoTime();
        sentAll.complete();
      }
    }));
    sentAll.future().await(length.toMillis() + 60_000, TimeUnit.MILLISECONDS);
    long serverAfter = Proc.cpuTicks(serverPid);
    long selfAfter = Proc.cpuTicks(self);
    long[] machineAfter = Proc.machineTicks();
    long window = w.sendEndNanos - w.startNanos;
    w.serverCpu = Proc.cpuPercent(serverBefore, serverAfter, window);
    w.loadCpu = Proc.cpuPercent(selfBefore, selfAfter, window);
    // Busy share of all cores, in % of one core as well (200 = both cores of a 2-core machine).
    w.machineBusy = machineAfter[1] > machineBefore[1]
        ? 100.0 * Runtime.getRuntime().availableProcessors() * (machineAfter[0] - machineBefore[0]) / (machineAfter[1] - machineBefore[1])
        : -1;

    long drainDeadline = System.nanoTime() + drainLimit.toNanos();
    while (System.nanoTime() < drainDeadline && (w.unanswered() > 0 || w.undelivered() > 0)) Thread.sleep(10);
    // A short grace period catches duplicates that would arrive right after the last delivery.
    Thread.sleep(200);
    w.drainedNanos = System.nanoTime();
    w.drained = w.unanswered() == 0 && w.undelivered() == 0;
    w.countLosses();
    return w;
  }

  private void send(Window w) {
    long n = cursor.getAndIncrement();
    Couple c = couples.get((int) (n % couples.size()));
    String id = UUID.randomUUID().toString();
    Buffer body = shareBody(n);
    Window.Sent s = new Window.Sent(c, w, System.nanoTime());
    inFlight.put(id, s);
    w.all.add(s);
    w.sent.incrementAndGet();
    target.share(c, id, body).onComplete(ar -> {
      Window.record(w.put, System.nanoTime() - s.sentNanos);
      if (ar.succeeded() && ar.result().status() / 100 == 2) {
        s.status = ar.result().status();
        w.putOk.incrementAndGet();
        c.sharesOk.incrementAndGet();
      } else {
        s.status = ar.succeeded() ? ar.result().status() : -1;
        w.putFailed.incrementAndGet();
        String why = ar.succeeded() ? Integer.toString(ar.result().status()) : ar.cause().getClass().getSimpleName();
        w.failures.computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
      }
    });
  }

  @Override
  public void event(Sock sock, JsonObject event, long arrivedNanos) {
    if (!"share.created".equals(event.getString("kind"))) {
      otherKinds.incrementAndGet();
      return;
    }
    JsonObject data = event.getJsonObject("data");
    Window.Sent s = data == null ? null : inFlight.get(data.getString("id", ""));
    if (s == null) {
      unknownEvents.incrementAndGet();
      return;
    }
    if (s.couple != sock.couple) {
      misrouted.incrementAndGet();
      return;
    }
    if (sock.side == 'B') {
      if (s.toB.incrementAndGet() == 1) {
        s.deliveredNanos = arrivedNanos;
        Window.record(s.window.delivery, arrivedNanos - s.sentNanos);
      } else s.window.duplicates.incrementAndGet();
    } else if (s.toA.incrementAndGet() > 1) {
      s.window.duplicates.incrementAndGet();
    }
  }

  /** The couple stream's numbering on every socket, against the shares each couple had accepted. */
  Sock.SeqReport seqReport() {
    Sock.SeqReport total = new Sock.SeqReport(0, 0, 0, 0);
    for (Couple c : couples) {
      for (Sock s : new Sock[] {c.sockA, c.sockB}) {
        if (s != null) total = total.plus(s.seqReport(c.sharesOk.get()));
      }
    }
    return total;
  }

  int resets() {
    int n = 0;
    for (Couple c : couples) {
      if (c.sockA != null) n += c.sockA.resets;
      if (c.sockB != null) n += c.sockB.resets;
    }
    return n;
  }

  int closedSockets() {
    int n = 0;
    for (Couple c : couples) {
      if (c.sockA != null && c.sockA.closed) n++;
      if (c.sockB != null && c.sockB.closed) n++;
    }
    return n;
  }
}
