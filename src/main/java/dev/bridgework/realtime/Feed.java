package dev.bridgework.realtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.TreeMap;

/**
 * One stream as one socket sees it: delivers its events in order, each exactly once, from two
 * sources that overlap: the live events of the bus and the stored events of the {@link EventLog}.
 *
 * <p>The bus consumer is registered before the log is first read, so every event is either in the
 * log when it is read or arrives live afterwards. Live events are buffered by seq; a cursor
 * ({@code lastSent}) decides: a seq at or below it is a duplicate and dropped, the next seq is sent,
 * and a seq further ahead is a hole, filled from the log. A hole the log cannot fill within
 * {@code holeGrace} (a writer took the number and failed to store it, or the history is gone)
 * ends in {@code reset} for the stream. Live events are buffered only up to a bound; beyond it they
 * are dropped and read back from the log, so a slow socket costs storage reads, not memory.
 *
 * <p>Confined to its socket's event loop.
 */
final class Feed {
  /** What a feed needs from its socket. */
  interface Sink {
    boolean writeQueueFull();

    /** Calls {@link Connection#pump()} again once the socket's write queue drained. */
    void awaitDrain();

    void deliver(Feed feed, JsonObject event);

    void reset(Feed feed, long head);

    /** Something changed that may complete the replay (for {@code synced}). */
    void progressed();
  }

  private static final int READ_BATCH = 250;

  final Stream stream;
  private final Vertx vertx;
  private final EventLog log;
  private final Sink sink;
  private final RealtimeLimits limits;
  private final TreeMap<Long, JsonObject> pending = new TreeMap<>();
  private MessageConsumer<JsonObject> consumer;

  /** The last seq sent to the client; -1 until the client said where it is ({@code resume}). */
  private long lastSent = -1;
  /** The highest seq known to exist (the head when read, or any live seq seen). */
  private long known;
  /** The head at {@code resume}: events above it wait until the socket sent {@code synced}. */
  private long replayTo;
  private boolean reading;
  private boolean stopped;
  private long holeSeq = -1;
  private long holeDeadline;
  private long retryTimer = -1;

  Feed(Stream stream, Vertx vertx, EventLog log, Sink sink, RealtimeLimits limits) {
    this.stream = stream;
    this.vertx = vertx;
    this.log = log;
    this.sink = sink;
    this.limits = limits;
  }

  /** Starts listening live; completes once the subscription is known to the whole cluster. */
  Future<Void> subscribe() {
    if (stopped) return Future.succeededFuture();
    consumer = vertx.eventBus().consumer(stream.address(), message -> live(message.body()));
    return consumer.completion();
  }

  /** The client has seen up to {@code from}; the stream's head is {@code head} (so replay up to it). */
  void start(long from, long head) {
    if (stopped) return;
    lastSent = from;
    known = Math.max(known, head);
    replayTo = head;
    pending.headMap(from, true).clear();
  }

  boolean started() {
    return lastSent >= 0;
  }

  /** True once everything up to the head at resume was sent. */
  boolean caughtUp() {
    return stopped || (lastSent >= replayTo && !reading);
  }

  boolean stopped() {
    return stopped;
  }

  long lastSent() {
    return lastSent;
  }

  /** A head read elsewhere (the periodic sweep): events the bus dropped are fetched from the log. */
  /** True for an event numbered after the head read at resume: live, not part of the replay. */
  boolean isLive(Object seq) {
    return seq instanceof Number n && n.longValue() > replayTo;
  }

  void observeHead(long head) {
    if (head > known) known = head;
  }

  private void live(JsonObject event) {
    if (stopped || event == null) return;
    Object rawSeq = event.getValue("seq");
    if (!(rawSeq instanceof Number number)) return;
    long seq = number.longValue();
    if (seq > known) known = seq;
    // Before resume nothing is kept: whatever is published before the head is read at resume is
    // numbered at or below that head, so the replay reads it from the log.
    if (lastSent < 0 || seq <= lastSent) return;
    if (pending.size() < limits.maxPending() || seq == lastSent + 1) pending.put(seq, event);
    sink.progressed();
  }

  /**
   * Sends what can be sent now and fetches what is missing: up to the head at resume until the
   * socket is {@code synced}, everything after. Called whenever something changed: a live event, a
   * finished read, a drained socket, a timer.
   */
  void pump(boolean synced) {
    if (stopped || lastSent < 0) return;
    long limit = synced ? Long.MAX_VALUE : replayTo;
    pending.headMap(lastSent, true).clear();
    while (!pending.isEmpty() && pending.firstKey() == lastSent + 1 && lastSent + 1 <= limit) {
      if (sink.writeQueueFull()) {
        sink.awaitDrain();
        return;
      }
      JsonObject event = pending.pollFirstEntry().getValue();
      lastSent++;
      holeSeq = -1;
      sink.deliver(this, event);
      if (stopped) return;
    }
    long want = Math.min(known, limit);
    if (want <= lastSent || reading || retryTimer != -1) return;
    if (sink.writeQueueFull()) {
      sink.awaitDrain();
      return;
    }
    read(lastSent + 1, Math.min(want, lastSent + READ_BATCH));
  }

  private void read(long from, long to) {
    reading = true;
    log.read(stream, from, to).onComplete(ar -> {
      reading = false;
      if (stopped) return;
      if (ar.failed()) {
        // The database hiccupped; try again shortly rather than give up on the socket.
        retryLater(limits.holeGrace().toMillis() / 4 + 1);
        return;
      }
      List<JsonObject> events = ar.result();
      for (JsonObject event : events) {
        long seq = event.getLong("seq");
        if (seq > lastSent) pending.put(seq, event);
      }
      if (!pending.containsKey(lastSent + 1)) {
        hole(lastSent + 1);
        return;
      }
      sink.progressed();
    });
  }

  /** {@code seq} is missing from the log: wait for its writer a little, then give up with reset. */
  private void hole(long seq) {
    long now = System.nanoTime();
    if (holeSeq != seq) {
      holeSeq = seq;
      holeDeadline = now + limits.holeGrace().toNanos();
    }
    if (now - holeDeadline >= 0) {
      holeSeq = -1;
      long head = known;
      lastSent = head;
      pending.headMap(head, true).clear();
      sink.reset(this, head);
      sink.progressed();
      return;
    }
    // Re-read a few times within the grace: the missing event usually lands within milliseconds.
    long wait = Math.max(1, Math.min(limits.holeGrace().toMillis() / 8 + 1, (holeDeadline - now) / 1_000_000 + 1));
    retryLater(wait);
  }

  private void retryLater(long millis) {
    if (retryTimer != -1) return;
    retryTimer = vertx.setTimer(millis, id -> {
      retryTimer = -1;
      if (!stopped) sink.progressed();
    });
  }

  /** Stops at once: no more events from this stream reach the socket. */
  Future<Void> stop() {
    if (stopped) return Future.succeededFuture();
    stopped = true;
    pending.clear();
    if (retryTimer != -1) vertx.cancelTimer(retryTimer);
    retryTimer = -1;
    return consumer == null ? Future.succeededFuture() : consumer.unregister().otherwiseEmpty();
  }
}
