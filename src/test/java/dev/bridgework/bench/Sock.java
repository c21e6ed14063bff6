package dev.bridgework.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * One client WebSocket of one partner, speaking API.md's handshake: on {@code welcome} it sends
 * {@code resume} (from the welcome heads, or from a given couple seq for catch-up), and is ready at
 * {@code synced}. It checks the couple stream's numbering as frames arrive: every seq after the
 * resume point exactly once, nothing at or below it.
 */
final class Sock {
  /** Called on the socket's event loop for each {@code event} frame, with its arrival time. */
  interface Listener {
    void event(Sock sock, JsonObject event, long arrivedNanos);
  }

  final Couple couple;
  final char side;
  private final Long resumeCouple;
  volatile Listener listener;
  private final Promise<Void> synced = Promise.promise();
  private ClientWebSocket ws;

  volatile long connectNanos;
  volatile long welcomeNanos;
  volatile long resumeNanos;
  volatile long syncedNanos;
  volatile boolean closed;

  // Couple stream numbering, guarded by this.
  private long base = -1;
  private final BitSet seen = new BitSet();
  private long maxSeq;
  private int seqDuplicates;
  private int outOfOrder;
  private int atOrBelowBase;
  volatile int resets;
  volatile int errors;

  Sock(Couple couple, char side, Long resumeCouple, Listener listener) {
    this.couple = couple;
    this.side = side;
    this.resumeCouple = resumeCouple;
    this.listener = listener;
  }

  /** Connects, and completes when the server has sent {@code synced}. */
  Future<Sock> open(WebSocketClient client, WebSocketConnectOptions options, long timeoutMs) {
    ws = client.webSocket();
    ws.textMessageHandler(this::onText);
    ws.closeHandler(v -> closed = true);
    ws.exceptionHandler(e -> errors++);
    connectNanos = System.nanoTime();
    return ws.connect(options).compose(w -> synced.future()).timeout(timeoutMs, TimeUnit.MILLISECONDS).map(this);
  }

  Future<Void> close() {
    return ws == null || closed ? Future.succeededFuture() : ws.close();
  }

  private void onText(String text) {
    long now = System.nanoTime();
    JsonObject m = new JsonObject(text);
    switch (m.getString("type", "")) {
      case "welcome" -> {
        welcomeNanos = now;
        JsonObject heads = m.getJsonObject("heads", new JsonObject());
        long self = heads.getLong("self", 0L);
        long fromCouple = resumeCouple != null ? resumeCouple : heads.getLong("couple", 0L);
        synchronized (this) {
          base = fromCouple;
        }
        resumeNanos = System.nanoTime();
        ws.writeTextMessage(new JsonObject().put("type", "resume").put("self", self).put("couple", fromCouple).encode());
      }
      case "synced" -> {
        syncedNanos = now;
        synced.tryComplete();
      }
      case "event" -> {
        if ("couple".equals(m.getString("stream"))) track(m.getLong("seq", -1L));
        Listener l = listener;
        if (l != null) l.event(this, m, now);
      }
      case "reset" -> resets++;
      case "error" -> errors++;
      default -> { }
    }
  }

  private synchronized void track(long seq) {
    if (base < 0 || seq <= base) {
      atOrBelowBase++;
      return;
    }
    int index = (int) (seq - base - 1);
    if (seen.get(index)) {
      seqDuplicates++;
      return;
    }
    seen.set(index);
    if (seq < maxSeq) outOfOrder++;
    maxSeq = Math.max(maxSeq, seq);
  }

  /** Numbering check against the number of events the couple stream should have had since the resume point. */
  synchronized SeqReport seqReport(long expected) {
    int distinct = seen.cardinality();
    int inRange = seen.get(0, (int) Math.min(Integer.MAX_VALUE, Math.max(0, expected))).cardinality();
    return new SeqReport(Math.max(0, expected - inRange), distinct - inRange, seqDuplicates + atOrBelowBase, outOfOrder);
  }

  /** missing: expected seqs not seen; beyond: seqs past the expected head; duplicates; outOfOrder arrivals. */
  record SeqReport(long missing, long beyond, long duplicates, long outOfOrder) {
    SeqReport plus(SeqReport o) {
      return new SeqReport(missing + o.missing, beyond + o.beyond, duplicates + o.duplicates, outOfOrder + o.outOfOrder);
    }
  }

  synchronized long base() {
    return base;
  }
}
